package web_test

import (
	"strings"
	"testing"

	"github.com/accredit/accredit/web/webtest"
)

// TestAssessorAPIAccess: psychometricians read every circuit's results; a
// lead assessor only those of circuits they lead, and only a lead reaches
// the lead's live view; an assessor reaches neither.
func TestAssessorAPIAccess(t *testing.T) {
	hs := webtest.DemoNode(t, nil)
	psy := hs.Client(t, "PSY-OMAR-6J2T")
	iris := hs.Client(t, "LEAD-IRIS-4T6M")
	nadia := hs.Client(t, "ASR-NADIA-8F2B")
	inv := hs.Client(t, "INV-GRACE-4W8N")
	const c = "/api/marking/circuits/demo-practitioner"
	for _, tc := range []struct {
		who  string
		c    *webtest.Client
		path string
		code int
		body string
	}{
		{"psychometrician", psy, c + "/results.csv", 200, "candidate,station,assessor,score,global\n"},
		{"lead", iris, c + "/results.csv?shape=standard-setting", 200, "candidate,station,checklist,global\n"},
		{"assessor", nadia, c + "/results.csv", 403, ""},
		{"invigilator", inv, c + "/results.csv", 403, ""},
		{"psychometrician", psy, c + "/results.csv?shape=grades", 400, `shape is`},
		{"psychometrician", psy, c + "/results", 200, `"unsettled":[`},
		{"psychometrician", psy, "/api/marking/results", 200, `"id":"demo-practitioner"`},
		{"assessor", nadia, "/api/marking/results", 403, ""},
		{"lead", iris, "/api/marking/circuits", 200, `"id":"demo-practitioner"`},
		{"lead", iris, c, 200, `"current_slot":1`},
		{"psychometrician", psy, c, 403, ""},
		{"lead", iris, "/api/marking/circuits/no-such", 404, "no such circuit"},
		{"assessor", nadia, c + "/agreement", 403, ""},
		{"psychometrician", psy, c + "/agreement", 200, "["},
	} {
		code, body := tc.c.Do("GET", tc.path, "")
		if code != tc.code || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s as %s: %d %.200q, want %d with %q", tc.path, tc.who, code, body, tc.code, tc.body)
		}
	}
}
