package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/web/webtest"
)

// programmeNode serves the demo content and the programme fixture with
// the audit log, on a fake clock at webtest.Start.
func programmeNode(t *testing.T) *webtest.Node {
	t.Helper()
	n, _, _ := webtest.ProgrammeNode(t)
	return n
}

// portalClient signs person in to their portal with the personal code an
// administrator reads for them.
func portalClient(t *testing.T, n *webtest.Node, adm *webtest.Client, person string) *webtest.Client {
	t.Helper()
	code, body := adm.Do("GET", "/api/admin/people/"+person+"/portal-code", "")
	var pc struct{ Code string }
	if code != 200 || json.Unmarshal([]byte(body), &pc) != nil || !strings.HasPrefix(pc.Code, "PC-") {
		t.Fatalf("portal code of %s: %d %s", person, code, body)
	}
	c := n.Client(t, "")
	if code, body := c.Do("POST", "/api/portal/login", `{"code":"`+strings.ToLower(pc.Code)+`"}`); code != 200 {
		t.Fatalf("portal sign-in of %s: %d %s", person, code, body)
	}
	return c
}

const endorsement = `{"status":"practitioner","sessions":["2026-10-01","2026-11-05"],"summary":"reflective supervision on three cases",
	"feedback_considered":true,"feedback_summary":"two families' feedback","outcome":"ready"}`

func expect(t *testing.T, what string, code int, body string, wantCode int, wants ...string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("%s: %d %.400s, want %d", what, code, body, wantCode)
		return
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: %.400s lacks %q", what, body, w)
		}
	}
}

// TestProgrammeAssignments: a supervisor sees and endorses only their
// employer's people (another employer's supervisor gets 403), an employer
// administrator may not endorse, a candidate sees only themselves, other
// roles reach none of it, and no answer carries monitoring answers.
func TestProgrammeAssignments(t *testing.T) {
	n := programmeNode(t)
	adm := n.Client(t, "ADM-RUTH-3H9X")
	north := n.Client(t, webtest.SupervisorNorthCode)
	south := n.Client(t, webtest.SupervisorSouthCode)
	ea := n.Client(t, webtest.EmployerAdminCode)
	inv := n.Client(t, "INV-GRACE-4W8N")
	var answers []string
	do := func(c *webtest.Client, method, path, body string) (int, string) {
		code, b := c.Do(method, path, body)
		answers = append(answers, b)
		return code, b
	}

	code, body := do(north, "GET", "/api/employer/people", "")
	expect(t, "north's team", code, body, 200, `"p1"`, `"p3"`, "no_endorsement")
	if strings.Contains(body, `"p2"`) {
		t.Errorf("north's supervisor sees south's people: %s", body)
	}
	code, body = do(south, "GET", "/api/employer/people/p1", "")
	expect(t, "south's supervisor reads north's person", code, body, 403, "not one of your employer's people")
	code, body = do(south, "POST", "/api/employer/people/p1/endorsements", endorsement)
	expect(t, "south's supervisor endorses north's person", code, body, 403)
	code, body = do(ea, "POST", "/api/employer/people/p1/endorsements", endorsement)
	expect(t, "an employer administrator endorses", code, body, 403, "not_supervisor")
	code, body = do(inv, "GET", "/api/employer/people", "")
	expect(t, "an invigilator reads a team", code, body, 403)
	code, body = do(north, "GET", "/api/admin/people", "")
	expect(t, "a supervisor reads every person", code, body, 403)
	code, body = do(adm, "GET", "/api/employer/people", "")
	expect(t, "an administrator on the employer API", code, body, 403, "not on an employer's staff")

	code, body = do(north, "POST", "/api/employer/people/p3/endorsements", endorsement)
	expect(t, "an agency worker short of the tenure rule", code, body, 409, "agency_tenure")
	code, body = do(north, "POST", "/api/employer/people/p1/endorsements", endorsement)
	expect(t, "north endorses p1", code, body, 201, `"outcome":"ready"`, `"supervisor":"sup-north"`)

	p1 := portalClient(t, n, adm, "p1")
	code, body = do(p1, "GET", "/api/portal/me", "")
	expect(t, "p1's portal", code, body, 200, `"id":"p1"`, `"outcome":"ready"`, `"blocked":[]`)
	if strings.Contains(body, "p2") || strings.Contains(body, "Paul") {
		t.Errorf("p1 sees another person: %s", body)
	}
	code, body = do(p1, "GET", "/api/admin/people/p2", "")
	expect(t, "a candidate on the admin API", code, body, 401)
	code, body = do(n.Client(t, ""), "GET", "/api/portal/me", "")
	expect(t, "the portal signed out", code, body, 401)
	code, body = do(n.Client(t, ""), "POST", "/api/portal/login", `{"code":"PC-2222-3333-4444"}`)
	expect(t, "a wrong personal code", code, body, 401, "unknown personal code")

	for _, path := range []string{"/api/admin/people", "/api/admin/people/p1", "/api/employer/people/p1"} {
		c := adm
		if strings.HasPrefix(path, "/api/employer") {
			c = north
		}
		code, body = do(c, "GET", path, "")
		expect(t, path, code, body, 200)
	}
	for _, a := range answers {
		for _, f := range []string{"age_band", "ethnic", "disability", "white british", "monitoring"} {
			if strings.Contains(a, f) {
				t.Errorf("an answer carries monitoring (%s): %.300s", f, a)
			}
		}
	}
}

// TestProgrammeRefusals: booking without an endorsement, twice, into a full
// sitting, or with an adjustment out of bounds is refused with its reason;
// the booking carries its access code; adjustments await an
// administrator's approval; a bad CSV file is refused with every fault
// located and nothing imported.
func TestProgrammeRefusals(t *testing.T) {
	n := programmeNode(t)
	adm := n.Client(t, "ADM-RUTH-3H9X")
	north := n.Client(t, webtest.SupervisorNorthCode)
	south := n.Client(t, webtest.SupervisorSouthCode)
	p1 := portalClient(t, n, adm, "p1")
	p2 := portalClient(t, n, adm, "p2")
	const seat = `{"kind":"knowledge","event":"ks1"}`

	code, body := p1.Do("POST", "/api/portal/bookings", seat)
	expect(t, "booking without an endorsement", code, body, 409, "no_endorsement")
	code, body = north.Do("POST", "/api/employer/people/p1/endorsements", endorsement)
	expect(t, "endorse p1", code, body, 201)
	code, body = south.Do("POST", "/api/employer/people/p2/endorsements", endorsement)
	expect(t, "endorse p2", code, body, 201)

	code, body = p1.Do("POST", "/api/portal/bookings", `{"kind":"knowledge","event":"ks1","adjustments":{"time_factor":5}}`)
	expect(t, "extra time out of bounds", code, body, 409, `"adjustment"`)
	code, body = p1.Do("POST", "/api/portal/bookings", `{"kind":"knowledge","event":"ks1","adjustments":{"time_factor":1.25,"larger_text":true}}`)
	expect(t, "p1 books", code, body, 201, `"state":"live"`, `"code":"`)
	var b struct{ ID, Code string }
	json.Unmarshal([]byte(body), &b)
	code, body = p1.Do("POST", "/api/portal/bookings", seat)
	expect(t, "booking twice", code, body, 409, "already_booked")
	code, body = p1.Do("GET", "/api/portal/me", "")
	expect(t, "p1 sees their booking and code", code, body, 200, b.Code)

	code, body = adm.Do("GET", "/api/admin/bookings?pending=adjustments", "")
	expect(t, "adjustments to approve", code, body, 200, b.ID)
	code, body = adm.Do("POST", "/api/admin/people/p1/bookings/"+b.ID+"/approve", "")
	expect(t, "approve", code, body, 204)
	code, body = adm.Do("GET", "/api/admin/bookings?pending=adjustments", "")
	expect(t, "none left to approve", code, body, 200, `"bookings":[]`)

	// p2 is south's: north's administrator may not book for them.
	ea := n.Client(t, webtest.EmployerAdminCode)
	code, body = ea.Do("POST", "/api/employer/people/p2/bookings", seat)
	expect(t, "north's administrator books south's person", code, body, 403)
	code, body = adm.Do("POST", "/api/admin/sittings", `{"id":"ks-small","centre":"Quay","start":"2026-12-12T09:30:00Z","session":"morning","capacity":1,"form":"demo-form"}`)
	expect(t, "a sitting of one", code, body, 201, `"status":"practitioner"`)
	code, body = p2.Do("POST", "/api/portal/bookings/"+b.ID+"/cancel", "")
	expect(t, "p2 cancels p1's booking", code, body, 409, "no booking")
	code, body = p1.Do("POST", "/api/portal/bookings/"+b.ID+"/move", `{"event":"ks-small"}`)
	expect(t, "p1 moves to the sitting of one", code, body, 200, `"event":"ks-small"`)
	code, body = p2.Do("POST", "/api/portal/bookings", `{"kind":"knowledge","event":"ks-small"}`)
	expect(t, "booking a full sitting", code, body, 409, `"full"`)

	code, body = adm.Do("POST", "/api/admin/people/import", `{"file":"people.csv","csv":"id,name,registration,employer,employment,started,email,seeks\n`+
		`q1,Quinn,SW100001,north,permanent,2020-01-01,q1@example.org,practitioner\n`+
		`q2,Rosa,SW200002,nowhere,agency,2030-01-01,q2@example.org,practitioner\n"}`)
	expect(t, "a bad people file", code, body, 400, "people.csv:2", "registration", "people.csv:3", "unknown employer", "in the future", `"faults"`)
	code, body = adm.Do("GET", "/api/admin/people", "")
	expect(t, "nothing imported", code, body, 200)
	if strings.Contains(body, "q1") {
		t.Errorf("a refused file imported a person: %s", body)
	}
	code, body = adm.Do("POST", "/api/admin/employers/import", `{"file":"employers.csv","csv":"id,name,region,phase,rating\neast,Eastham,East,phase2,good\n"}`)
	expect(t, "an employers file", code, body, 200, `"imported":1`)
}

// TestProgrammeSittingInvigilators: a sitting made in the programme names
// its invigilators, who then run it and no other; one who is no
// invigilator is refused with the reason.
func TestProgrammeSittingInvigilators(t *testing.T) {
	n := programmeNode(t)
	adm := n.Client(t, "ADM-RUTH-3H9X")
	inv := n.Client(t, "INV-GRACE-4W8N")
	code, body := adm.Do("POST", "/api/admin/sittings", `{"id":"ks9","centre":"Quay House","start":"2026-12-20T09:30:00Z",
		"session":"morning","capacity":5,"form":"demo-form","invigilators":["s02"]}`)
	expect(t, "a psychometrician as invigilator", code, body, 409, `invigilator \"s02\" is no invigilator`)
	code, body = inv.Do("GET", "/api/sittings/ks1", "")
	expect(t, "a programme sitting not assigned", code, body, 403)
	code, body = adm.Do("POST", "/api/admin/sittings", `{"id":"ks9","centre":"Quay House","start":"2026-12-20T09:30:00Z",
		"session":"morning","capacity":5,"form":"demo-form","invigilators":["s01"]}`)
	expect(t, "create", code, body, 201)
	code, body = inv.Do("GET", "/api/sittings", "")
	expect(t, "the invigilator's sittings", code, body, 200, `"id":"ks9"`, `"id":"demo-sitting"`)
	if strings.Contains(body, `"ks1"`) {
		t.Errorf("an unassigned programme sitting listed: %s", body)
	}
	code, body = inv.Do("GET", "/api/sittings/ks9", "")
	expect(t, "the assigned sitting", code, body, 200, `"centre":"Quay House"`)
}

// TestProgrammeSittingRejoinRules: a sitting made in the programme may
// need approval for rejoins, with a grace; its room then runs by them. A
// grace out of bounds, or without the approval, is refused with the reason.
func TestProgrammeSittingRejoinRules(t *testing.T) {
	n := programmeNode(t)
	adm := n.Client(t, "ADM-RUTH-3H9X")
	inv := n.Client(t, "INV-GRACE-4W8N")
	sitting := func(rules string) string {
		return `{"id":"ks8","centre":"Quay House","start":"2026-12-20T09:30:00Z","session":"morning","capacity":5,` +
			`"form":"demo-form","invigilators":["s01"]` + rules + `}`
	}
	code, body := adm.Do("POST", "/api/admin/sittings", sitting(`,"rejoin_approval":true,"rejoin_grace_seconds":3601`))
	expect(t, "a grace over the bound", code, body, 409, `rejoin_grace_seconds 3601: want 0 to 3600`)
	code, body = adm.Do("POST", "/api/admin/sittings", sitting(`,"rejoin_grace_seconds":90`))
	expect(t, "a grace without approval", code, body, 409, `rejoin_grace_seconds 90 without rejoin_approval`)
	code, body = adm.Do("POST", "/api/admin/sittings", sitting(`,"rejoin_approval":"yes"`))
	expect(t, "approval not a bool", code, body, 400)
	code, body = adm.Do("POST", "/api/admin/sittings", sitting(`,"rejoin_approval":true,"rejoin_grace_seconds":90`))
	expect(t, "create", code, body, 201, `"rejoin_approval":true`, `"rejoin_grace_seconds":90`)
	code, body = inv.Do("GET", "/api/sittings/ks8", "")
	expect(t, "the room's rules", code, body, 200, `"rejoin_approval":true`, `"rejoin_grace_seconds":90`)
}

// TestPortalSignOutEndsTheSession: the portal session lives in the store,
// so signing out ends it for every copy of the cookie, not only this
// browser's.
func TestPortalSignOutEndsTheSession(t *testing.T) {
	n := programmeNode(t)
	adm := n.Client(t, "ADM-RUTH-3H9X")
	me := portalClient(t, n, adm, "p1")
	u, _ := url.Parse(n.URL())
	copied := n.Client(t, "")
	copied.HTTP.Jar.SetCookies(u, me.HTTP.Jar.Cookies(u))
	code, body := copied.Do("GET", "/api/portal/me", "")
	expect(t, "the copied cookie before sign-out", code, body, 200, `"p1"`)
	code, body = me.Do("POST", "/api/portal/logout", "")
	expect(t, "sign out", code, body, 204)
	code, body = copied.Do("GET", "/api/portal/me", "")
	expect(t, "the copied cookie after sign-out", code, body, 401, "sign in with your personal code")
	forged := n.Client(t, "")
	forged.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "accredit_portal", Value: "p1.99999999999.00"}})
	code, body = forged.Do("GET", "/api/portal/me", "")
	expect(t, "a made-up cookie", code, body, 401)
}

// TestAccessCodeShownOnTheDay: a booking's access code reaches the
// administrator at once, the candidate from the start of the day of the
// sitting (centre time), and the employer's staff never.
func TestAccessCodeShownOnTheDay(t *testing.T) {
	n, _, clk := webtest.ProgrammeNode(t)
	adm := n.Client(t, "ADM-RUTH-3H9X")
	ea := n.Client(t, webtest.EmployerAdminCode)
	if code, body := n.Client(t, webtest.SupervisorNorthCode).Do("POST", "/api/employer/people/p1/endorsements", endorsement); code != 201 {
		t.Fatalf("endorse: %d %s", code, body)
	}
	code, body := ea.Do("POST", "/api/employer/people/p1/bookings", `{"kind":"knowledge","event":"ks1"}`)
	var b struct{ ID, Code string }
	if code != 201 || json.Unmarshal([]byte(body), &b) != nil || b.Code != "" {
		t.Fatalf("the employer's administrator books: %d %s", code, body)
	}
	_, body = adm.Do("GET", "/api/admin/people/p1", "")
	var rec struct {
		Bookings []struct {
			ID, Code string
			CodeFrom time.Time `json:"code_from"`
		}
	}
	if json.Unmarshal([]byte(body), &rec) != nil || len(rec.Bookings) != 1 || len(rec.Bookings[0].Code) != 14 {
		t.Fatalf("the administrator's view: %s", body)
	}
	issued := rec.Bookings[0].Code
	for _, c := range []*webtest.Client{ea, n.Client(t, webtest.SupervisorNorthCode)} {
		if _, body := c.Do("GET", "/api/employer/people/p1", ""); strings.Contains(body, issued) {
			t.Fatalf("the employer's staff see the access code: %s", body)
		}
	}
	me := portalClient(t, n, adm, "p1")
	_, body = me.Do("GET", "/api/portal/me", "")
	if json.Unmarshal([]byte(body), &rec) != nil || rec.Bookings[0].Code != "" || strings.Contains(body, issued) {
		t.Fatalf("the candidate before the day: %s", body)
	}
	day := rec.Bookings[0].CodeFrom
	if y, m, d := webtest.SittingStart.Date(); !day.Equal(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) { // London is on UTC in December
		t.Fatalf("code from %s, sitting at %s", day, webtest.SittingStart)
	}
	clk.Advance(day.Sub(clk.Now()))
	me = portalClient(t, n, n.Client(t, "ADM-RUTH-3H9X"), "p1") // the earlier sessions have lapsed
	_, body = me.Do("GET", "/api/portal/me", "")
	if json.Unmarshal([]byte(body), &rec) != nil || rec.Bookings[0].Code != issued {
		t.Fatalf("the candidate on the day: %s", body)
	}
}
