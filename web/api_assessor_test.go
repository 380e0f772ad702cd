package web_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
)

// demoServer serves the demo content and role-play model with live
// marking, as accredit serve --demo does.
func demoServer(t *testing.T) *httptest.Server {
	t.Helper()
	lib, err := content.Load(content.Demo())
	if err != nil {
		t.Fatal(err)
	}
	model, err := roleplay.Load(roleplay.Demo())
	if err != nil {
		t.Fatal(err)
	}
	st, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(model.Circuits[roleplay.DemoPractitionerCircuit].Start.Add(5 * time.Minute))
	eng := engine.New(engine.Config{Library: lib, Store: st, Clock: clk})
	var srv *web.Server
	ms := marking.New(marking.Config{Model: model, Store: st, Clock: clk,
		Identify: func(r *http.Request, code string) (string, error) { return srv.Assessor(r, code) }})
	srv = mustNew(t, web.Config{Engine: eng, Library: lib, Store: st, Clock: clk, Marking: ms})
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); ms.Close(); eng.Close(); st.Close() })
	return hs
}

// TestAssessorAPIAccess: psychometricians read every circuit's results; a
// lead assessor only those of circuits they lead, and only a lead reaches
// the lead's live view; an assessor reaches neither.
func TestAssessorAPIAccess(t *testing.T) {
	hs := demoServer(t)
	psy := newClient(t, hs, "PSY-OMAR-6J2T")
	iris := newClient(t, hs, "LEAD-IRIS-4T6M")
	nadia := newClient(t, hs, "ASR-NADIA-8F2B")
	inv := newClient(t, hs, "INV-GRACE-4W8N")
	const c = "/api/marking/circuits/demo-practitioner"
	for _, tc := range []struct {
		who  string
		c    *client
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
		code, body := tc.c.do("GET", tc.path, "")
		if code != tc.code || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s as %s: %d %.200q, want %d with %q", tc.path, tc.who, code, body, tc.code, tc.body)
		}
	}
}
