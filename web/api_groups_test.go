package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/scoring/fairness"
	"github.com/accredit/accredit/scoring/respmatrix"
	"github.com/accredit/accredit/web/webtest"
)

// The results fixture's monitoring answers (webtest.ResultPerson): no
// other text of any answer holds them.
var monitoringValues = []string{"under 35", "50 and over", "white british"}

// TestAnalysisByMonitoringField: the psychometrician's DIF and adverse
// impact group the sitting's candidates by a monitoring field, joined on
// the server to the programme's records, with the same numbers as the
// fairness package on the same labels; employer stays the default; an
// unknown field, or a group with no candidate, is refused plainly.
func TestAnalysisByMonitoringField(t *testing.T) {
	n, _ := webtest.ResultsNode(t)
	psy := n.Client(t, "PSY-OMAR-6J2T")
	get := func(path string) (int, string) { return psy.Do("GET", "/api/sittings/rks"+path, "") }

	code, body := get("/groups?by=age_band")
	expect(t, "age band groups", code, body, 200, `"by":"age_band"`, `"min_group":10`, `{"group":"50 and over","n":12}`, `{"group":"under 35","n":12}`)
	code, body = get("/groups")
	expect(t, "employer groups", code, body, 200, `"by":"employer"`, `{"group":"north","n":12}`, `{"group":"south","n":12}`)
	code, body = get("/groups?by=religion")
	expect(t, "an unknown field", code, body, 400, "want one of")

	ref, foc := url.QueryEscape("under 35"), url.QueryEscape("50 and over")
	code, body = get("/analysis/dif?by=age_band&reference=" + ref + "&focal=" + foc)
	expect(t, "DIF by age band", code, body, 200, `"n_reference":12`, `"n_focal":12`)
	var page fairness.Report
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	m, labels := fixtureMatrix(t, psy)
	member, err := fairness.Membership(labels, "under 35", "50 and over")
	if err != nil {
		t.Fatal(err)
	}
	want := fairness.DIF(m, member, fairness.Options{})
	if len(page.Items) != len(want.Items) {
		t.Fatalf("DIF by age band: %d items, want %d", len(page.Items), len(want.Items))
	}
	for i, it := range want.Items {
		if got := page.Items[i]; got.ID != it.ID || got.ETSClass != it.ETSClass || got.NReference != it.NReference {
			t.Errorf("DIF item %d: %+v, want %+v", i, got, it)
		}
	}
	code, body = get("/analysis/dif?by=sex&reference=female&focal=male")
	expect(t, "DIF with no focal candidate", code, body, 400, "male")

	code, body = get("/analysis/impact?by=age_band&cut=10")
	expect(t, "impact by age band", code, body, 200, `"by":"age_band"`, `"group":"50 and over"`, `"group":"under 35"`, `"suppressed":[]`)
	code, body = get("/analysis/impact?cut=10")
	expect(t, "impact by employer", code, body, 200, `"by":"employer"`, `"group":"north"`)
}

// fixtureMatrix is the results fixture's sitting as the psychometrician
// exports it, with each candidate's age band from the fixture's people.
func fixtureMatrix(t *testing.T, psy *webtest.Client) (*respmatrix.Matrix, []string) {
	t.Helper()
	_, csv := psy.Do("GET", "/api/sittings/rks/responses.csv", "")
	m, err := respmatrix.Read(strings.NewReader(csv), "responses.csv", respmatrix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	band := map[string]string{}
	for i := range webtest.ResultsPeople {
		id, _, b, _, _ := webtest.ResultPerson(i)
		band[id] = b
	}
	labels := make([]string, m.NumPersons())
	for i, p := range m.Persons {
		labels[i] = band[p]
	}
	return m, labels
}

// TestGroupingRoutesRoles: the groups, DIF and impact routes, by a
// monitoring field, answer the psychometrician only: 401 signed out or
// from a candidate's portal, 403 to every other staff role, the
// administrator (who may use every staff route) included.
func TestGroupingRoutesRoles(t *testing.T) {
	n, _ := webtest.ResultsNode(t)
	c := clientsOf(t, n)
	others := map[string]*webtest.Client{"invigilator": c.inv, "auditor": c.aud, "lead_assessor": n.Client(t, "LEAD-IRIS-4T6M"),
		"administrator": c.adm, "supervisor": c.supN, "employer_admin": c.ea}
	for _, path := range []string{"/groups?by=age_band", "/analysis/dif?by=age_band&reference=under+35&focal=50+and+over",
		"/analysis/impact?by=age_band&cut=10"} {
		path = "/api/sittings/rks" + path
		if code, _ := c.psy.Do("GET", path, ""); code != 200 {
			t.Errorf("%s as the psychometrician: %d, want 200", path, code)
		}
		for _, cl := range []*webtest.Client{c.anon, c.r01} {
			if code, body := cl.Do("GET", path, ""); code != 401 || containsAny(body, monitoringValues) {
				t.Errorf("%s signed out or from a portal: %d %.200s, want 401", path, code, body)
			}
		}
		for role, cl := range others {
			if code, body := cl.Do("GET", path, ""); code != 403 || containsAny(body, monitoringValues) {
				t.Errorf("%s as %s: %d %.200s, want 403", path, role, code, body)
			}
		}
	}
}

// TestMonitoringReachesNoOtherRole sweeps every GET route the server
// mounts but the never-ending streams, with every path parameter filled
// in and the grouping queries added, as every kind of viewer: no answer holds a monitoring value but
// the workforce-impact report (the programme team's) and the
// psychometrician's fairness analyses.
func TestMonitoringReachesNoOtherRole(t *testing.T) {
	n, f := webtest.ResultsNode(t)
	c := clientsOf(t, n)
	ctx := context.Background()
	if code, body := c.psy.Do("POST", "/api/results/standards/practitioner", webtest.ResultsStandardJSON); code != 201 {
		t.Fatalf("adopt: %d %s", code, body)
	}
	if code, body := c.adm.Do("POST", webtest.ResultsReleasePath, ""); code != 201 {
		t.Fatalf("release: %d %s", code, body)
	}
	rec, err := f.Programme.Record(ctx, "r01")
	if err != nil || len(rec.Bookings) == 0 || len(rec.Endorsements) == 0 {
		t.Fatalf("r01's record: %+v, %v", rec, err)
	}
	params := map[string][]string{
		"id": {"rks", roleplay.DemoPractitionerCircuit}, "person": {"r01"}, "p": {"r01"}, "cand": {"r01"}, "candidate": {"r01"},
		"window": {webtest.ResultsWindow}, "status": {string(programme.Practitioner)}, "booking": {rec.Bookings[0].ID},
		"endorsement": {rec.Endorsements[0].ID}, "station": {"S1"}, "assessor": {"ASR-LIAM"}, "appeal": {"ap-1"},
		"file": {"panelA.csv"}, "e": {"north"}, "s": {"rks"}, "st": {"S1"},
	}
	team := map[string][]string{ // where each may read monitoring values
		"administrator":   {"/api/results/impact"},
		"psychometrician": {"/api/results/impact", "/api/sittings/{id}/groups", "/api/sittings/{id}/analysis/"},
	}
	viewers := map[string]*webtest.Client{"signed out": c.anon, "invigilator": c.inv, "auditor": c.aud, "lead_assessor": n.Client(t, "LEAD-IRIS-4T6M"),
		"supervisor": c.supN, "other supervisor": c.supS, "employer_admin": c.ea, "candidate": c.r01, "administrator": c.adm, "psychometrician": c.psy}
	const query = "?by=age_band&reference=under+35&focal=50+and+over&cut=10&shape=sheets"
	swept := 0
	for _, route := range n.Server.Routes() {
		method, path, ok := strings.Cut(route, " ")
		if !ok {
			method, path = "GET", route
		}
		if method != "GET" || !strings.HasPrefix(path, "/api/") || strings.HasSuffix(path, "/live") || strings.HasSuffix(path, "/events") {
			continue // the streams (live room, events) never end: not swept
		}
		for _, concrete := range fill(path, params) {
			swept++
			for who, cl := range viewers {
				code, body := cl.Do("GET", concrete+query, "")
				if !containsAny(body, monitoringValues) || mayRead(team[who], path) {
					continue
				}
				t.Errorf("%s as %s: %d, holds a monitoring value: %.300s", concrete, who, code, body)
			}
		}
	}
	if code, body := c.psy.Do("GET", "/api/sittings/rks/groups?by=age_band", ""); !containsAny(body, monitoringValues) {
		t.Fatalf("the sweep's own check: the psychometrician's groups hold no age band: %d %s", code, body)
	}
	t.Logf("%d GET routes swept as %d viewers", swept, len(viewers))
}

// fill returns path with each {name} replaced by each of its values in
// params (every combination; an unknown name by "x").
func fill(path string, params map[string][]string) []string {
	i := strings.Index(path, "{")
	if i < 0 {
		return []string{strings.TrimSuffix(path, "{$}")}
	}
	j := strings.Index(path[i:], "}") + i
	name := strings.TrimSuffix(path[i+1:j], "...")
	if name == "$" {
		return []string{path[:i]}
	}
	vals := params[name]
	if len(vals) == 0 {
		vals = []string{"x"}
	}
	var out []string
	for _, v := range vals {
		out = append(out, fill(path[:i]+url.PathEscape(v)+path[j+1:], params)...)
	}
	return out
}

func mayRead(prefixes []string, pattern string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(pattern, p) {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// TestGroupingWithoutProgramme: a server without the programme's records
// groups by employer as before and refuses a monitoring field plainly.
func TestGroupingWithoutProgramme(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()
	psy := srv.Client(t, "STAFF-PSY-5T2N")
	srv.Client(t, "STAFF-INV-3H8W").Do("POST", "/api/sittings/s1/release", "")
	for i, code := range []string{"TEST-ONE-7K2M", "TEST-TWO-9P4R"} {
		id, err := srv.Engine.Join(ctx, code, enginetest.NopPeer{})
		if err != nil {
			t.Fatal(err)
		}
		srv.Engine.Handle(ctx, id, enginetest.NopPeer{}, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{[]string{"b", "a"}[i]}})
		srv.Engine.Handle(ctx, id, enginetest.NopPeer{}, engine.ClientMsg{Type: "submit", Seq: 2, Confirm: true})
	}
	code, body := psy.Do("GET", "/api/sittings/s1/groups", "")
	expect(t, "employer groups", code, body, 200, `"by":"employer"`)
	code, body = psy.Do("GET", "/api/sittings/s1/groups?by=age_band", "")
	expect(t, "age band groups without the programme", code, body, 409, "needs the programme's records")
}
