package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// auditedNode serves the demo content with live marking, the standards
// page, the programme fixture and the audit log on one bolt store.
func auditedNode(t *testing.T) (*webtest.Node, store.Store, *engine.Engine) {
	t.Helper()
	_, model := webtest.Demo(t)
	lib := webtest.ProgrammeLibrary(t)
	st := webtest.Bolt(t)
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	log := audit.New(st, clk)
	p := webtest.Programme(t, st, clk, lib, log)
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st,
		Engine:  engine.Config{Clock: clk, Audit: log},
		Marking: marking.Config{Model: model, Clock: clk, Audit: log},
		Web: web.Config{Clock: clk, Audit: log, StandardsDir: t.TempDir(),
			Programme: p, Results: webtest.ResultsOn(t, st, clk, lib, p, log)},
	})
	return n, st, n.Engine
}

// oneWrite are the routes whose acts store their entry in the same write
// as their change: one entry if taken, none if refused.
var oneWrite = map[string]bool{
	"POST /api/sittings/{id}/release":                                        true,
	"POST /api/sittings/{id}/candidates/{cand}/extra-time":                   true,
	"POST /api/sittings/{id}/candidates/{cand}/pause":                        true,
	"POST /api/sittings/{id}/candidates/{cand}/resume":                       true,
	"POST /api/sittings/{id}/room/pause":                                     true,
	"POST /api/sittings/{id}/room/resume":                                    true,
	"POST /api/sittings/{id}/room/extra-time":                                true,
	"POST /api/sittings/{id}/candidates/{cand}/approve-rejoin":               true,
	"POST /api/sittings/{id}/candidates/{cand}/void":                         true,
	"POST /api/marking/circuits/{id}/moderate":                               true,
	"POST /api/marking/circuits/{id}/assign":                                 true,
	"POST /api/results/standards/{status}":                                   true,
	"POST /api/results/windows/{window}/release":                             true,
	"POST /api/sittings/{id}/candidates/{cand}/checkin":                      true,
	"POST /api/sittings/{id}/candidates/{cand}/admit":                        true,
	"POST /api/sittings/{id}/announce":                                       true,
	"POST /api/sittings/{id}/incidents":                                      true,
	"POST /standards/api/decision":                                           true,
	"POST /api/portal/appeals":                                               true,
	"POST /api/results/people/{person}/appeals/{appeal}/decide":              true,
	"POST /api/admin/employers":                                              true,
	"POST /api/admin/employers/import":                                       true,
	"POST /api/admin/staff":                                                  true,
	"POST /api/admin/people":                                                 true,
	"POST /api/admin/people/import":                                          true,
	"POST /api/admin/sittings":                                               true,
	"POST /api/admin/roleplay-days":                                          true,
	"POST /api/employer/people/{person}/endorsements":                        true,
	"POST /api/portal/bookings":                                              true,
	"POST /api/portal/bookings/{booking}/move":                               true,
	"POST /api/portal/bookings/{booking}/cancel":                             true,
	"POST /api/employer/people/{person}/bookings":                            true,
	"POST /api/employer/people/{person}/bookings/{booking}/move":             true,
	"POST /api/employer/people/{person}/bookings/{booking}/cancel":           true,
	"POST /api/employer/people/{person}/endorsements/{endorsement}/withdraw": true,
	"POST /api/admin/people/{person}/bookings":                               true,
	"POST /api/admin/people/{person}/bookings/{booking}/move":                true,
	"POST /api/admin/people/{person}/bookings/{booking}/cancel":              true,
	"POST /api/admin/people/{person}/bookings/{booking}/approve":             true,
	"POST /api/admin/people/{person}/endorsements/{endorsement}/withdraw":    true,
}

// TestEveryActAudited lists the staff acts and the action each records:
// it fails when a route that changes state (every POST) or hands out
// responses writes no entry, or when a POST route is mounted that the list
// lacks. A refused act recorded first is followed by its ".aborted"
// record; one stored with its entry (oneWrite) records nothing.
func TestEveryActAudited(t *testing.T) {
	n, st, eng := auditedNode(t)
	srv := n.Server
	inv := n.Client(t, "INV-GRACE-4W8N")
	psy := n.Client(t, "PSY-OMAR-6J2T")
	lead := n.Client(t, "LEAD-IRIS-4T6M")
	if _, err := eng.Join(context.Background(), "DEMO-ANNA-7Q4K", enginetest.NopPeer{}); err != nil {
		t.Fatal(err)
	}
	const room = "/api/sittings/demo-sitting"
	const cand = room + "/candidates/c01"
	const circuit = "/api/marking/circuits/demo-practitioner"
	adm := n.Client(t, "ADM-RUTH-3H9X")
	sup := n.Client(t, webtest.SupervisorNorthCode)
	ea := n.Client(t, webtest.EmployerAdminCode)
	p1 := portalClient(t, n, adm, "p1")
	_, pc := adm.Do("GET", "/api/admin/people/p2/portal-code", "")
	p2code := strings.Split(pc, `"code":"`)[1][:17]
	const people = "/api/admin/people"
	acts := []struct {
		route  string // as mounted
		c      *webtest.Client
		method string
		path   string
		body   string
		action audit.Action
	}{
		{"POST /api/sittings/{id}/release", inv, "POST", "/api/sittings/demo-sitting/release", "", audit.SittingRelease},
		{"POST /api/sittings/{id}/candidates/{cand}/extra-time", inv, "POST", cand + "/extra-time", `{"minutes":5}`, audit.AttemptExtraTime},
		{"POST /api/sittings/{id}/candidates/{cand}/pause", inv, "POST", cand + "/pause", "", audit.AttemptPause},
		{"POST /api/sittings/{id}/candidates/{cand}/resume", inv, "POST", cand + "/resume", "", audit.AttemptResume},
		{"POST /api/sittings/{id}/room/pause", inv, "POST", room + "/room/pause", `{"reason":"fire alarm"}`, audit.AttemptPause},
		{"POST /api/sittings/{id}/room/resume", inv, "POST", room + "/room/resume", `{}`, audit.AttemptResume},
		{"POST /api/sittings/{id}/room/extra-time", inv, "POST", room + "/room/extra-time", `{"minutes":3,"reason":"alarm"}`, audit.AttemptExtraTime},
		{"POST /api/sittings/{id}/candidates/{cand}/checkin", inv, "POST", cand + "/checkin", "", audit.AttemptCheckIn},
		{"POST /api/sittings/{id}/candidates/{cand}/admit", inv, "POST", cand + "/admit", "", audit.AttemptAdmit},
		{"POST /api/sittings/{id}/candidates/{cand}/approve-rejoin", inv, "POST", cand + "/approve-rejoin", "", audit.AttemptApproveRejoin},
		{"POST /api/sittings/{id}/announce", inv, "POST", room + "/announce", `{"text":"Ten minutes left"}`, audit.SittingAnnounce},
		{"POST /api/sittings/{id}/incidents", inv, "POST", room + "/incidents", `{"category":"environment","text":"fire alarm"}`, audit.SittingIncident},
		{"POST /api/sittings/{id}/candidates/{cand}/void", inv, "POST", cand + "/void",
			`{"reason":"malpractice","text":"notes seen on the desk","confirm":"c01"}`, audit.AttemptVoid},
		{"GET /api/sittings/{id}/responses.csv", psy, "GET", "/api/sittings/demo-sitting/responses.csv", "", audit.ResponsesExport},
		{"GET /api/sittings/{id}/choices.csv", psy, "GET", "/api/sittings/demo-sitting/choices.csv", "", audit.ResponsesExport},
		{"GET /api/sittings/{id}/key.csv", psy, "GET", "/api/sittings/demo-sitting/key.csv", "", audit.ResponsesExport},
		{"GET /api/sittings/{id}/persons.csv", psy, "GET", "/api/sittings/demo-sitting/persons.csv", "", audit.ResponsesExport},
		{"POST /standards/api/decision", psy, "POST", "/standards/api/decision", `{"element":"knowledge","method":"angoff","cut":31}`, audit.StandardDecision},
		{"POST /api/marking/circuits/{id}/moderate", lead, "POST", circuit + "/moderate",
			`{"station":"S1","candidate":"C01","assessor":"ASR-LIAM","criterion":"","value":3,"reason":"evidence"}`, audit.SheetModerate},
		{"POST /api/marking/circuits/{id}/assign", lead, "POST", circuit + "/assign",
			`{"station":"S1","candidate":"C01","assessor":"ASR-PETRA"}`, audit.SheetAssignThirdMarker},
		{"POST /api/admin/employers", adm, "POST", "/api/admin/employers",
			`{"id":"east","name":"Eastham","region":"East","phase":"phase2","rating":"good"}`, audit.EmployerCreate},
		{"POST /api/admin/employers/import", adm, "POST", "/api/admin/employers/import",
			`{"file":"e.csv","csv":"id,name,region,phase,rating\nwest,Westham,West,national,good\n"}`, audit.ImportEmployers},
		{"POST /api/admin/staff", adm, "POST", "/api/admin/staff",
			`{"id":"sup-east","name":"Esme","email":"esme@east.example","employer":"east","role":"supervisor"}`, audit.StaffCreate},
		{"POST /api/admin/people", adm, "POST", people, `{"id":"p9","name":"Nina","registration":"SW900009","employer":"east",` +
			`"employment":"permanent","started":"2020-01-01","email":"p9@example.org","seeks":"practitioner","monitoring":{"sex":"female"}}`, audit.PersonCreate},
		{"POST /api/admin/people/import", adm, "POST", people + "/import", `{"file":"p.csv","csv":"id,name,registration,employer,employment,started,email,seeks\n` +
			`p10,Omar,SW900010,east,permanent,2020-01-01,p10@example.org,practitioner\n"}`, audit.ImportPeople},
		{"POST /api/admin/sittings", adm, "POST", "/api/admin/sittings",
			`{"id":"ks2","centre":"Quay","start":"2026-12-12T09:30:00Z","session":"morning","capacity":5,"form":"demo-form"}`, audit.SittingCreate},
		{"POST /api/admin/roleplay-days", adm, "POST", "/api/admin/roleplay-days",
			`{"id":"rp2","centre":"Quay","circuit":"demo-practitioner","slots":[{"id":"a","start":"2026-12-12T13:00:00Z","capacity":2}]}`, audit.RolePlayDayCreate},
		{"POST /api/employer/people/{person}/endorsements", sup, "POST", "/api/employer/people/p1/endorsements", endorsement, audit.EndorsementRecord},
		{"POST /api/portal/bookings", p1, "POST", "/api/portal/bookings", `{"kind":"knowledge","event":"ks1","adjustments":{"larger_text":true}}`, audit.BookingCreate},
		{"POST /api/portal/bookings/{booking}/move", p1, "POST", "/api/portal/bookings/bk-none/move", `{"event":"ks2"}`, audit.BookingMove},
		{"POST /api/portal/bookings/{booking}/cancel", p1, "POST", "/api/portal/bookings/bk-none/cancel", "", audit.BookingCancel},
		{"POST /api/employer/people/{person}/bookings", ea, "POST", "/api/employer/people/p1/bookings", `{"kind":"roleplay","event":"rp1","slot":"a"}`, audit.BookingCreate},
		{"POST /api/employer/people/{person}/bookings/{booking}/move", ea, "POST", "/api/employer/people/p1/bookings/bk-none/move", `{"event":"rp2","slot":"a"}`, audit.BookingMove},
		{"POST /api/employer/people/{person}/bookings/{booking}/cancel", ea, "POST", "/api/employer/people/p1/bookings/bk-none/cancel", "", audit.BookingCancel},
		{"POST /api/employer/people/{person}/endorsements/{endorsement}/withdraw", ea, "POST",
			"/api/employer/people/p1/endorsements/en-none/withdraw", `{"reason":"left the team"}`, audit.EndorsementWithdraw},
		{"POST /api/admin/people/{person}/bookings", adm, "POST", people + "/p2/bookings", `{"kind":"knowledge","event":"ks1"}`, audit.BookingCreate},
		{"POST /api/admin/people/{person}/bookings/{booking}/move", adm, "POST", people + "/p1/bookings/bk-none/move", `{"event":"ks2"}`, audit.BookingMove},
		{"POST /api/admin/people/{person}/bookings/{booking}/cancel", adm, "POST", people + "/p1/bookings/bk-none/cancel", "", audit.BookingCancel},
		{"POST /api/admin/people/{person}/bookings/{booking}/approve", adm, "POST", people + "/p1/bookings/bk-none/approve", "", audit.AdjustmentApprove},
		{"POST /api/admin/people/{person}/endorsements/{endorsement}/withdraw", adm, "POST",
			people + "/p1/endorsements/en-none/withdraw", `{"reason":"entered in error"}`, audit.EndorsementWithdraw},
		{"POST /api/results/standards/{status}", psy, "POST", "/api/results/standards/practitioner", webtest.ResultsStandardJSON, audit.StandardAdopt},
		{"POST /api/results/windows/{window}/release", adm, "POST", webtest.ResultsReleasePath, "", audit.ResultsRelease},
		{"POST /api/portal/appeals", p1, "POST", "/api/portal/appeals", `{"grounds":"the actor left the script"}`, audit.AppealLodge},
		{"POST /api/results/people/{person}/appeals/{appeal}/decide", adm, "POST", "/api/results/people/p1/appeals/ap-1/decide",
			`{"upheld":false,"note":"no appeal lodged"}`, audit.AppealDecide},
		{"POST /api/portal/logout", p1, "POST", "/api/portal/logout", "", audit.PortalSignOut},
		{"POST /api/portal/login", n.Client(t, ""), "POST", "/api/portal/login", `{"code":"` + p2code + `"}`, audit.PortalSignIn},
		{"POST /api/logout", psy, "POST", "/api/logout", "", audit.StaffSignOut},
		{"POST /api/login", n.Client(t, ""), "POST", "/api/login", `{"code":"PSY-OMAR-6J2T"}`, audit.StaffSignIn},
	}
	listed := map[string]bool{}
	for _, a := range acts {
		listed[a.route] = true
		before := entries(t, st)
		code, body := a.c.Do(a.method, a.path, a.body)
		got := entries(t, st)[len(before):]
		if oneWrite[a.route] {
			if code >= 400 && len(got) != 0 || code < 400 && len(got) != 1 {
				t.Errorf("%s (%d %.80s) recorded %v: an act stored with its entry records it once if taken, never if refused", a.route, code, body, actions(got))
				continue
			}
			if code >= 400 {
				continue
			}
		}
		if len(got) == 0 || got[0].Entry.Action != a.action {
			t.Errorf("%s (%d %.80s) recorded %v, want %s first", a.route, code, body, actions(got), a.action)
			continue
		}
		kind := audit.ActorStaff
		if strings.HasPrefix(a.path, "/api/portal/") {
			kind = audit.ActorCandidate
		}
		if e := got[0].Entry; e.Actor.Kind != kind || e.Actor.ID == "" || (kind == audit.ActorStaff) != (e.Actor.Role != "") || e.Target.ID == "" {
			t.Errorf("%s: entry %+v lacks its actor or target", a.route, e)
		}
		if code >= 400 && (len(got) != 2 || got[1].Entry.Action != a.action.Aborted()) {
			t.Errorf("%s refused (%d %.80s) but recorded %v", a.route, code, body, actions(got))
		}
	}
	for _, r := range srv.Routes() {
		if strings.HasPrefix(r, "POST ") && !listed[r] {
			t.Errorf("%s changes state and is not in the list of audited acts", r)
		}
	}
}

func entries(t *testing.T, st store.Store) []audit.Stored {
	t.Helper()
	es, err := audit.Read(context.Background(), st, 0)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func actions(es []audit.Stored) []audit.Action {
	var out []audit.Action
	for _, e := range es {
		out = append(out, e.Entry.Action)
	}
	return slices.Clip(out)
}

// refusingAudit refuses appends to the audit log only.
type refusingAudit struct{ store.Store }

func (s refusingAudit) Append(ctx context.Context, stream string, expect int64, recs ...[]byte) (int64, error) {
	if stream == audit.LogStream {
		return 0, context.DeadlineExceeded
	}
	return s.Store.Append(ctx, stream, expect, recs...)
}

// TestNoActWithoutItsRecord: when the audit log cannot record an act, the
// act is refused with 503 and nothing changes.
func TestNoActWithoutItsRecord(t *testing.T) {
	lib, _ := webtest.Demo(t)
	st := webtest.Bolt(t)
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st, Engine: engine.Config{Clock: clk},
		Web: web.Config{Clock: clk, Audit: audit.New(refusingAudit{st}, clk)}})
	c := n.Client(t, "")
	if code, body := c.Do("POST", "/api/login", `{"code":"INV-GRACE-4W8N"}`); code != 503 || !strings.Contains(body, "audit log") {
		t.Fatalf("sign-in without its record: %d %s", code, body)
	}
	if code, _ := c.Do("GET", "/api/me", ""); code != 401 {
		t.Fatalf("signed in without a record: %d", code)
	}
}

// TestAuditAPI: auditors and administrators read and filter the log and
// download it with its checkpoint, the JSONL carrying each entry as
// stored; nobody else reads it, and an auditor changes nothing.
func TestAuditAPI(t *testing.T) {
	n, st, eng := auditedNode(t)
	inv := n.Client(t, "INV-GRACE-4W8N")
	aud := n.Client(t, "AUD-MAREN-7V2H")
	adm := n.Client(t, "ADM-RUTH-3H9X")
	if _, err := eng.Join(context.Background(), "DEMO-ANNA-7Q4K", enginetest.NopPeer{}); err != nil {
		t.Fatal(err)
	}
	inv.Do("POST", "/api/sittings/demo-sitting/release", "")
	inv.Do("POST", "/api/sittings/demo-sitting/candidates/c01/pause", "")
	for _, tc := range []struct {
		who  string
		c    *webtest.Client
		path string
		code int
		want string
	}{
		{"invigilator", inv, "/api/audit/entries", 403, ""},
		{"auditor", aud, "/api/audit/entries?action=attempt.", 200, `"action":"attempt.pause"`},
		{"auditor", aud, "/api/audit/entries?person=c01", 200, `"total":1`},
		{"auditor", aud, "/api/audit/entries?sitting=demo-sitting", 200, `"total":2`},
		{"auditor", aud, "/api/audit/entries?actor=s01&action=staff.signin", 200, `"total":1`},
		{"auditor", aud, "/api/audit/entries?from=2027-01-01T00:00:00Z", 200, `"total":0`},
		{"auditor", aud, "/api/audit/entries?from=yesterday", 400, "give a time"},
		{"administrator", adm, "/api/audit/log.csv?sitting=demo-sitting", 200, "sitting.release,sitting,demo-sitting"},
		{"auditor", aud, "/api/audit/checkpoint", 404, "no checkpoint"},
	} {
		if code, body := tc.c.Do("GET", tc.path, ""); code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s as %s: %d %.300s, want %d with %q", tc.path, tc.who, code, body, tc.code, tc.want)
		}
	}
	if code, _ := aud.Do("POST", "/api/sittings/demo-sitting/candidates/c01/resume", ""); code != 403 {
		t.Errorf("an auditor resumed an attempt: %d", code)
	}
	code, body := aud.Do("GET", "/api/audit/log.jsonl", "")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	stored := entries(t, st)
	if code != 200 || len(lines) != len(stored)+1 || lines[len(lines)-1] != `{"checkpoint":""}` {
		t.Fatalf("jsonl: %d %q", code, body)
	}
	for i, s := range stored {
		if lines[i] != string(s.Raw) {
			t.Errorf("jsonl line %d is %s, stored %s", i, lines[i], s.Raw)
		}
	}
}

// TestOneWriteFailsAsAWhole: an invigilator's act and a release whose one
// write (the change with its entry) fails are refused with 503 and change
// nothing: no entry, the attempt not paused, the sitting not released.
func TestOneWriteFailsAsAWhole(t *testing.T) {
	lib, _ := webtest.Demo(t)
	st := webtest.Bolt(t)
	fs := storetest.FailingAll{Store: st}
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	log := audit.New(fs, clk)
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: fs, Engine: engine.Config{Clock: clk, Audit: log},
		Web: web.Config{Clock: clk, Audit: log}})
	ctx := context.Background()
	id, err := n.Engine.Join(ctx, "DEMO-ANNA-7Q4K", enginetest.NopPeer{})
	if err != nil {
		t.Fatal(err)
	}
	inv := n.Client(t, "INV-GRACE-4W8N")
	before := entries(t, st)
	if code, body := inv.Do("POST", "/api/sittings/demo-sitting/release", ""); code != 503 || !strings.Contains(body, "audit log") {
		t.Fatalf("release with a failing write: %d %s", code, body)
	}
	if a, _, _ := n.Engine.Attempt(ctx, id); a.Status != engine.StatusWaiting {
		t.Fatalf("attempt %s after a release not stored", a.Status)
	}
	if err := n.Engine.Release(ctx, "demo-sitting", "inv1"); err != nil { // no record: a plain append
		t.Fatal(err)
	}
	if code, body := inv.Do("POST", "/api/sittings/demo-sitting/candidates/c01/pause", ""); code != 503 || !strings.Contains(body, "audit log") {
		t.Fatalf("pause with a failing write: %d %s", code, body)
	}
	if a, _, _ := n.Engine.Attempt(ctx, id); a.Paused {
		t.Fatal("paused though the write failed")
	}
	if got := entries(t, st)[len(before):]; len(got) != 0 {
		t.Fatalf("acts not taken recorded %v", actions(got))
	}
}

// TestProgrammeRecordsInTheServersLog: a server whose programme records
// its acts anywhere but in the server's audit log is refused at start, so
// that no programme act can go unrecorded.
func TestProgrammeRecordsInTheServersLog(t *testing.T) {
	lib := webtest.ProgrammeLibrary(t)
	st := webtest.Bolt(t)
	clk := clock.NewFake(webtest.Start)
	log := audit.New(st, clk)
	for name, p := range map[string]*programme.Programme{
		"no recorder": webtest.Programme(t, webtest.Bolt(t), clk, lib, nil),
		"another log": webtest.Programme(t, webtest.Bolt(t), clk, lib, audit.New(st, clk)),
	} {
		if _, err := web.New(web.Config{Library: lib, Store: st, Clock: clk, Audit: log, Programme: p}); err == nil {
			t.Errorf("%s: served", name)
		}
	}
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st, Engine: engine.Config{Clock: clk},
		Web: web.Config{Clock: clk, Audit: log, Programme: webtest.Programme(t, st, clk, lib, log)}})
	if len(n.Server.Routes()) == 0 {
		t.Error("the server recording the programme's acts in its own log serves nothing")
	}
}
