package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/web/webtest"
)

// resultsClients are one client of every kind of viewer.
type resultsClients struct {
	anon, inv, aud, psy, adm, supN, supS, ea *webtest.Client
	r01, r02, r13                            *webtest.Client // candidates on their portal
}

func clientsOf(t *testing.T, n *webtest.Node) resultsClients {
	t.Helper()
	adm := n.Client(t, "ADM-RUTH-3H9X")
	return resultsClients{anon: n.Client(t, ""), inv: n.Client(t, "INV-GRACE-4W8N"), aud: n.Client(t, "AUD-MAREN-7V2H"),
		psy: n.Client(t, "PSY-OMAR-6J2T"), adm: adm, supN: n.Client(t, webtest.SupervisorNorthCode),
		supS: n.Client(t, webtest.SupervisorSouthCode), ea: n.Client(t, webtest.EmployerAdminCode),
		r01: portalClient(t, n, adm, "r01"), r02: portalClient(t, n, adm, "r02"), r13: portalClient(t, n, adm, "r13")}
}

// TestResultsRouteRoles: every results route answers only the roles it
// serves: 401 without the sign-in it needs, 403 for a role it does not
// serve, and the act refused leaves nothing changed.
func TestResultsRouteRoles(t *testing.T) {
	n, _ := webtest.ResultsNode(t)
	c := clientsOf(t, n)
	staff := map[string]*webtest.Client{"invigilator": c.inv, "auditor": c.aud, "lead_assessor": n.Client(t, "LEAD-IRIS-4T6M"), "psychometrician": c.psy,
		"administrator": c.adm, "supervisor": c.supN, "employer_admin": c.ea}
	preview := "/api/results/standards/practitioner/preview?standard=" + url.QueryEscape(webtest.ResultsStandardJSON)
	for _, tc := range []struct {
		method, path, body string
		allowed            []string // staff roles served
		portal             bool     // a candidate's portal route
	}{
		{"GET", "/api/results/standards", "", []string{"psychometrician", "administrator"}, false},
		{"GET", preview, "", []string{"psychometrician", "administrator"}, false},
		{"GET", "/api/results/windows", "", []string{"psychometrician", "administrator"}, false},
		{"GET", "/api/results/windows/" + webtest.ResultsWindow + "/decisions", "", []string{"psychometrician", "administrator"}, false},
		{"GET", "/api/results/releases", "", []string{"psychometrician", "administrator"}, false},
		{"GET", "/api/results/people/r01/decision", "", []string{"psychometrician", "administrator"}, false},
		{"GET", "/api/results/people/r01/appeals", "", []string{"psychometrician", "administrator"}, false},
		{"GET", "/api/results/appeals", "", []string{"psychometrician", "administrator"}, false},
		{"GET", "/api/results/impact", "", []string{"psychometrician", "administrator"}, false},
		{"GET", "/api/results/impact.csv", "", []string{"psychometrician", "administrator"}, false}, // 404: no decision yet
		{"GET", "/api/employer/outcomes", "", []string{"supervisor", "employer_admin"}, false},
		{"POST", "/api/results/standards/practitioner", webtest.ResultsStandardJSON, nil, false}, // the psychometrician's: tested below
		{"POST", webtest.ResultsReleasePath, "", nil, false},
		{"POST", "/api/results/people/r02/appeals/ap-1/decide", `{"upheld":true,"note":"n"}`, nil, false},
		{"GET", "/api/portal/outcome", "", nil, true},
		{"POST", "/api/portal/appeals", `{"grounds":"g"}`, nil, true},
	} {
		what := tc.method + " " + tc.path
		if code, _ := c.anon.Do(tc.method, tc.path, tc.body); code != 401 {
			t.Errorf("%s signed out: %d, want 401", what, code)
		}
		if !tc.portal {
			if code, _ := c.r01.Do(tc.method, tc.path, tc.body); code != 401 {
				t.Errorf("%s from a candidate's portal: %d, want 401", what, code)
			}
		}
		for role, cl := range staff {
			if tc.method != "GET" && !tc.portal {
				continue // the acts, below
			}
			code, body := cl.Do(tc.method, tc.path, tc.body)
			switch allowed := contains(tc.allowed, role); {
			case tc.portal && code != 401:
				t.Errorf("%s as %s without a portal session: %d", what, role, code)
			case !tc.portal && tc.method == "GET" && allowed && code != 200 && !(strings.HasSuffix(tc.path, ".csv") && code == 404):
				t.Errorf("%s as %s: %d %.200s, want 200", what, role, code, body)
			case !tc.portal && tc.method == "GET" && !allowed && code != 403:
				t.Errorf("%s as %s: %d, want 403", what, role, code)
			}
		}
	}
	// The acts: each refused to every role but its own, nothing stored.
	for _, tc := range []struct {
		path, body string
		refused    []*webtest.Client
	}{
		{"/api/results/standards/practitioner", webtest.ResultsStandardJSON, []*webtest.Client{c.adm, c.inv, c.aud, c.supN, c.ea}},
		{webtest.ResultsReleasePath, "", []*webtest.Client{c.psy, c.inv, c.aud, c.supN, c.ea}},
		{"/api/results/people/r02/appeals/ap-1/decide", `{"upheld":true,"note":"n"}`, []*webtest.Client{c.psy, c.inv, c.supN}},
	} {
		for _, cl := range tc.refused {
			if code, body := cl.Do("POST", tc.path, tc.body); code != 403 {
				t.Errorf("POST %s by a role it does not serve: %d %.200s, want 403", tc.path, code, body)
			}
		}
	}
	if _, body := c.psy.Do("GET", "/api/results/standards", ""); strings.Contains(body, `"version"`) {
		t.Errorf("a refused adoption stored a version: %s", body)
	}
	if _, body := c.adm.Do("GET", "/api/results/releases", ""); body != `{"releases":[]}`+"\n" && body != `{"releases":[]}` {
		t.Errorf("a refused release stored one: %s", body)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// outcomeOf reads a portal outcome.
type portalOutcome struct {
	Held    bool   `json:"held"`
	Message string `json:"message"`
	Outcome *struct {
		Outcome   string   `json:"outcome"`
		Passed    []string `json:"passed"`
		NotPassed []string `json:"not_passed"`
		Feedback  *struct {
			Strengths []string `json:"strengths"`
			Develop   []string `json:"develop"`
		} `json:"feedback"`
	} `json:"outcome"`
	Resit   []string `json:"resit"`
	ResitBy string   `json:"resit_by"`
}

func readOutcome(t *testing.T, c *webtest.Client) (portalOutcome, string) {
	t.Helper()
	code, body := c.Do("GET", "/api/portal/outcome", "")
	var o portalOutcome
	if code != 200 || json.Unmarshal([]byte(body), &o) != nil {
		t.Fatalf("portal outcome: %d %s", code, body)
	}
	return o, body
}

// noMarks fails when body carries a score, a cut or a maximum.
func noMarks(t *testing.T, what, body string) {
	t.Helper()
	for _, k := range []string{`"score"`, `"cut"`, `"max"`, `"panel"`, `"age_band"`} {
		if strings.Contains(body, k) {
			t.Errorf("%s carries %s: %.300s", what, k, body)
		}
	}
}

// TestResultsEmbargo: before the window is released only the programme
// team sees an outcome; the release is refused listing every person and
// reason while a cut or a sheet is missing; after it each candidate sees
// their own outcome and each employer its people's, never a mark.
func TestResultsEmbargo(t *testing.T) {
	n, f := webtest.ResultsNode(t, "r05")
	c := clientsOf(t, n)

	// No standard: the release is refused, naming every person.
	code, body := c.adm.Do("POST", webtest.ResultsReleasePath, "")
	expect(t, "release with no standard", code, body, 409, "no_standard", "r01", "r24")
	code, body = c.psy.Do("POST", "/api/results/standards/practitioner", webtest.ResultsStandardJSON)
	expect(t, "adopt", code, body, 201, `"version":1`, `"cut":15`)
	// The server records the act; the results, told so, do not again.
	adoptions := 0
	for _, e := range entries(t, n.Store) {
		if e.Entry.Action == audit.StandardAdopt {
			adoptions++
		}
	}
	if adoptions != 1 {
		t.Errorf("one adoption recorded %d times", adoptions)
	}
	code, body = c.psy.Do("POST", "/api/results/standards/practitioner", `{"knowledge":{"demo-form":{"cut":99}},"role_play":{"nowhere":{"cut":1}}}`)
	expect(t, "adopt out of range", code, body, 409, "out_of_range", "unknown")

	held := func(when string) {
		t.Helper()
		for name, cl := range map[string]*webtest.Client{"r01": c.r01, "r02": c.r02, "r13": c.r13} {
			o, body := readOutcome(t, cl)
			if !o.Held || o.Message != "held until released" || o.Outcome != nil {
				t.Errorf("%s: %s's portal shows %s", when, name, body)
			}
		}
		for name, cl := range map[string]*webtest.Client{"north's supervisor": c.supN, "south's supervisor": c.supS, "north's administrator": c.ea} {
			code, body := cl.Do("GET", "/api/employer/outcomes", "")
			if code != 200 || strings.Contains(body, `"outcome"`) || strings.Count(body, `"held":true`) != webtest.ResultsPeople/2 {
				t.Errorf("%s: %s sees %d %.300s", when, name, code, body)
			}
		}
	}
	held("before release")
	for _, cl := range []*webtest.Client{c.psy, c.adm} {
		code, body := cl.Do("GET", "/api/results/people/r02/decision", "")
		expect(t, "the team's view before release", code, body, 200, `"outcome":"partially_met"`, `"score":18`, `"resit":["role_play"]`)
	}

	// A sheet unsettled holds the window back.
	code, body = c.adm.Do("POST", webtest.ResultsReleasePath, "")
	expect(t, "release with a sheet unsettled", code, body, 409, "sheet_unsettled", "r05", "S2")
	held("after a refused release")
	f.Mark(t, n, "r05", "S2")

	code, body = c.adm.Do("POST", webtest.ResultsReleasePath, "")
	expect(t, "release", code, body, 201, `"people":24`, `"met":`, `"practitioner":1`)
	code, body = c.adm.Do("POST", webtest.ResultsReleasePath, "")
	expect(t, "second release", code, body, 409, `"code":"released"`)

	o, body := readOutcome(t, c.r01)
	if o.Held || o.Outcome == nil || o.Outcome.Outcome != "met" || len(o.Outcome.Passed) != 2 || o.Outcome.Feedback == nil ||
		strings.Join(o.Outcome.Feedback.Strengths, " ") != "kss1 kss2 kss3 kss4 kss5" || !strings.Contains(body, `"kss7":"The law and the family and youth justice systems"`) {
		t.Errorf("r01 after release: %s", body)
	}
	noMarks(t, "r01's outcome", body)
	o, body = readOutcome(t, c.r02)
	if o.Outcome == nil || o.Outcome.Outcome != "partially_met" || len(o.Resit) != 1 || o.Resit[0] != "role_play" ||
		!strings.HasPrefix(o.ResitBy, "2027-03-") {
		t.Errorf("r02 after release: %s", body)
	}
	noMarks(t, "r02's outcome", body)

	code, body = c.supN.Do("GET", "/api/employer/outcomes", "")
	expect(t, "north after release", code, body, 200, `"person":"r01"`, `"outcome":"met"`, `"person":"r04"`, `"outcome":"not_met"`)
	if strings.Contains(body, `"r13"`) || strings.Contains(body, `"held":true`) {
		t.Errorf("north sees another employer's people or a held outcome: %s", body)
	}
	noMarks(t, "north's outcomes", body)
	code, body = c.supS.Do("GET", "/api/employer/outcomes", "")
	expect(t, "south after release", code, body, 200, `"person":"r13"`)
	if strings.Contains(body, `"r01"`) {
		t.Errorf("south sees north's people: %s", body)
	}
	for _, cl := range []*webtest.Client{c.inv, c.aud} {
		if code, _ := cl.Do("GET", "/api/employer/outcomes", ""); code != 403 {
			t.Errorf("outcomes to a role outside the employers: %d", code)
		}
	}

	// After the release a new version needs its reason, and the preview
	// shows who would change.
	stricter := `{"knowledge":{"demo-form":{"cut":20}},"role_play":{"demo-practitioner":{"cut":16}}}`
	code, body = c.psy.Do("POST", "/api/results/standards/practitioner", stricter)
	expect(t, "adopt after release without a reason", code, body, 409, "needs_reason")
	code, body = c.psy.Do("GET", "/api/results/standards/practitioner/preview?standard="+url.QueryEscape(stricter), "")
	expect(t, "preview", code, body, 200, `"person":"r01"`, `"outcome":"not_met"`)
	code, body = c.psy.Do("GET", "/api/results/standards/practitioner/preview?standard=nonsense", "")
	expect(t, "preview of nothing", code, body, 400, "JSON")

	// Appeals: the candidate lodges from the portal, an administrator decides.
	code, body = c.r02.Do("POST", "/api/portal/appeals", `{"grounds":"the station S3 actor left the script"}`)
	expect(t, "lodge", code, body, 201, `"id":"ap-1"`, `"person":"r02"`)
	code, body = c.r02.Do("POST", "/api/portal/appeals", `{"grounds":"again"}`)
	expect(t, "a second open appeal", code, body, 409, "appeal_open")
	code, body = c.adm.Do("GET", "/api/results/appeals", "")
	expect(t, "open appeals", code, body, 200, `"person":"r02"`, `"grounds":"the station S3 actor left the script"`)
	code, body = c.adm.Do("POST", "/api/results/people/r02/appeals/ap-1/decide", `{"upheld":false,"note":"the recording shows the script kept"}`)
	expect(t, "decide", code, body, 200, `"decided_by":"s03"`)
	code, body = c.adm.Do("POST", "/api/results/people/r02/appeals/ap-9/decide", `{"upheld":false,"note":"x"}`)
	expect(t, "decide an unknown appeal", code, body, 404, "ap-9")
	if _, body := c.adm.Do("GET", "/api/results/appeals", ""); body != "{\"appeals\":[]}\n" {
		t.Errorf("open appeals after the decision: %q", body)
	}
	_, body = readOutcome(t, c.r02)
	if !strings.Contains(body, `"appeals":[{"id":"ap-1"`) {
		t.Errorf("r02's appeals on the portal: %s", body)
	}
}

// TestResultsImpact: the programme team reads the workforce impact as
// JSON and CSV, with at least 10 to a published cell; the older half of
// the fixture is flagged by the four-fifths rule.
func TestResultsImpact(t *testing.T) {
	n, _ := webtest.ResultsNode(t)
	c := clientsOf(t, n)
	c.psy.Do("POST", "/api/results/standards/practitioner", webtest.ResultsStandardJSON)
	code, body := c.psy.Do("GET", "/api/results/impact", "")
	expect(t, "impact", code, body, 200, `"min_count":10`, `"group":"50 and over"`, `"four_fifths":true`)
	var rep struct {
		Overall struct{ N, Passed int } `json:"overall"`
	}
	if json.Unmarshal([]byte(body), &rep) != nil || rep.Overall.N != 24 || rep.Overall.Passed != 13 {
		t.Errorf("overall %+v, want 13 met of 24", rep.Overall)
	}
	code, body = c.adm.Do("GET", "/api/results/impact?min=12", "")
	expect(t, "impact with min 12", code, body, 200, `"min_count":12`)
	for _, min := range []string{"9", "0", "-1", "ten"} {
		if code, body := c.adm.Do("GET", "/api/results/impact?min="+min, ""); code != 400 {
			t.Errorf("min=%s: %d %s, want 400", min, code, body)
		}
	}
	code, body = c.adm.Do("GET", "/api/results/impact.csv", "")
	expect(t, "impact csv", code, body, 200, "section,table,key1,key2,n,passed,rate,ci_low,ci_high,suppressed", "impact,age_band,50 and over")
	for _, cl := range []*webtest.Client{c.supN, c.ea, c.inv, c.aud, c.r01} {
		if code, _ := cl.Do("GET", "/api/results/impact.csv", ""); code != 401 && code != 403 {
			t.Errorf("impact to someone outside the programme team: %d", code)
		}
	}
}
