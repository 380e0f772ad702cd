package browsertest

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// TestEndorseAndBook: a supervisor signs in, endorses one of their people
// on the team page, and that person signs in to their portal with their
// personal code, books the knowledge sitting with larger text, and sees
// the booking with its access code, the one the programme issued.
func TestEndorseAndBook(t *testing.T) {
	lib := webtest.ProgrammeLibrary(t)
	st := webtest.Bolt(t)
	clk := clock.NewFake(webtest.Start)
	prog := webtest.Programme(t, st, clk, lib)
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st, Engine: engine.Config{Clock: clk},
		Web: web.Config{Clock: clk, Audit: audit.New(st, clk), Programme: prog}})
	code, body := n.Client(t, "ADM-RUTH-3H9X").Do("GET", "/api/admin/people/p1/portal-code", "")
	var pc struct{ Code string }
	if code != 200 || json.Unmarshal([]byte(body), &pc) != nil {
		t.Fatalf("portal code: %d %s", code, body)
	}

	bctx, cancel := context.WithTimeout(chromium.New(t, 1280, 900), 40*time.Second)
	defer cancel()
	row := `document.querySelector('#team tr[data-person="p1"] .blocked').textContent`
	do(t, bctx,
		enterCode(n.URL()+"/supervisor", webtest.SupervisorNorthCode, `#signin button[type="submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`#team tr[data-person="p1"] button.endorse`)),
	)
	if got := eval[string](t, bctx, row); !strings.Contains(got, "no practice endorsement") {
		t.Fatalf("p1 before endorsement: %q", got)
	}
	if eval[bool](t, bctx, `document.body.innerText.includes('Paul Reid')`) {
		t.Fatal("the supervisor's team shows another employer's person")
	}
	do(t, bctx,
		chromedp.Click(chromedp.CSS(`#team tr[data-person="p1"] button.endorse`)),
		chromedp.WaitVisible(chromedp.CSS("#endorse")),
		chromedp.SetValue(chromedp.CSS("#session1"), "2026-10-01"),
		chromedp.SetValue(chromedp.CSS("#session2"), "2026-11-05"),
		chromedp.SendKeys(chromedp.CSS("#summary"), "Reflective supervision on three cases."),
		chromedp.Click(chromedp.CSS("#feedback")),
		chromedp.SendKeys(chromedp.CSS("#feedback-summary"), "Two families' feedback, read together."),
		chromedp.Click(chromedp.CSS(`#endorse button[type="submit"]`)),
	)
	waitFor(t, bctx, `document.getElementById('status').textContent.includes('Endorsement recorded')`)
	waitFor(t, bctx, row+` === 'Yes'`)
	look(t, bctx, "supervisor-endorsed")

	do(t, bctx, chromedp.Navigate(n.URL()+"/portal"), chromedp.WaitVisible(chromedp.CSS("#code")))
	look(t, bctx, "portal-signin")
	do(t, bctx,
		enterCode(n.URL()+"/portal", strings.ToLower(pc.Code), `#signin button[type="submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`#events tr[data-event="ks1"] button.book`)),
		chromedp.Click(chromedp.CSS("#larger-text")),
		chromedp.Click(chromedp.CSS(`#events tr[data-event="ks1"] button.book`)),
	)
	waitFor(t, bctx, `document.querySelectorAll('#bookings tbody tr').length === 1`)
	shown := eval[string](t, bctx, `document.querySelector('#bookings .access-code').textContent`)
	rec, err := prog.Record(context.Background(), "p1")
	if err != nil || len(rec.Bookings) != 1 {
		t.Fatalf("p1's record: %+v %v", rec, err)
	}
	if !regexp.MustCompile(`^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$`).MatchString(shown) || shown != rec.Bookings[0].Code {
		t.Fatalf("access code shown %q, issued %q", shown, rec.Bookings[0].Code)
	}
	if text := eval[string](t, bctx, `document.getElementById('bookings').innerText`); !strings.Contains(text, "larger text (awaiting approval)") {
		t.Errorf("booking shown without its adjustment: %q", text)
	}
	if text := eval[string](t, bctx, `document.getElementById('endorsement').textContent`); !strings.Contains(text, "sup-north") {
		t.Errorf("endorsement shown as %q", text)
	}
	look(t, bctx, "portal-booked")
}

// TestAdminPage: an administrator sees the employers and people, reads a
// person's personal code, and approves the adjustments of a booking.
func TestAdminPage(t *testing.T) {
	lib := webtest.ProgrammeLibrary(t)
	st := webtest.Bolt(t)
	clk := clock.NewFake(webtest.Start)
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st, Engine: engine.Config{Clock: clk},
		Web: web.Config{Clock: clk, Audit: audit.New(st, clk), Programme: webtest.Programme(t, st, clk, lib)}})
	adm := n.Client(t, "ADM-RUTH-3H9X")
	_, body := adm.Do("GET", "/api/admin/people/p1/portal-code", "")
	sup := n.Client(t, webtest.SupervisorNorthCode)
	if code, b := sup.Do("POST", "/api/employer/people/p1/endorsements", `{"status":"practitioner","sessions":["2026-10-01"],`+
		`"summary":"s","feedback_considered":true,"feedback_summary":"f","outcome":"ready"}`); code != 201 {
		t.Fatalf("endorse: %d %s", code, b)
	}
	if code, b := adm.Do("POST", "/api/admin/people/p1/bookings", `{"kind":"knowledge","event":"ks1","adjustments":{"rest_breaks":true}}`); code != 201 {
		t.Fatalf("book: %d %s", code, b)
	}

	bctx, cancel := context.WithTimeout(chromium.New(t, 1280, 900), 30*time.Second)
	defer cancel()
	do(t, bctx,
		enterCode(n.URL()+"/admin", "ADM-RUTH-3H9X", `#signin button[type="submit"]`),
		chromedp.WaitVisible(chromedp.CSS("#pending tbody button")),
	)
	if text := eval[string](t, bctx, `document.getElementById('employers').innerText`); !strings.Contains(text, "Southmere County Council") {
		t.Errorf("employers shown: %q", text)
	}
	do(t, bctx, chromedp.Click(chromedp.CSS("#people tbody tr:first-child button")))
	waitFor(t, bctx, `document.querySelector('#people tbody tr:first-child .psy-mono') !== null`)
	if got := eval[string](t, bctx, `document.querySelector('#people tbody tr:first-child .psy-mono').textContent`); !strings.Contains(body, got) {
		t.Errorf("personal code shown %q, the API's %s", got, body)
	}
	do(t, bctx, chromedp.Click(chromedp.CSS("#pending tbody button")))
	waitFor(t, bctx, `document.querySelectorAll('#pending tbody tr').length === 0`)
	look(t, bctx, "admin")
}
