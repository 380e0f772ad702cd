package browsertest

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/web/webtest"
)

// TestEndorseAndBook: a supervisor signs in, endorses one of their people
// on the team page, and that person signs in to their portal with their
// personal code, books the knowledge sitting with extra time, and sees
// the booking with its access code, the one the programme issued. An
// administrator approves the extra time; on the day the candidate types
// that code on the test page, waits, and once the sitting is released
// answers the first question, stored in their attempt with the time
// approved.
func TestEndorseAndBook(t *testing.T) {
	n, prog, clk := webtest.ProgrammeNode(t)
	lib := n.Library
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
		chromedp.SetValue(chromedp.CSS("#time-factor"), "1.25"),
		chromedp.Click(chromedp.CSS(`#events tr[data-event="ks1"] button.book`)),
	)
	waitFor(t, bctx, `document.querySelectorAll('#bookings tbody tr').length === 1`)
	rec, err := prog.Record(context.Background(), "p1")
	if err != nil || len(rec.Bookings) != 1 {
		t.Fatalf("p1's record: %+v %v", rec, err)
	}
	// The access code is the key to the test: shown on the day only.
	if text := eval[string](t, bctx, `document.getElementById('bookings').innerText`); strings.Contains(text, rec.Bookings[0].Code) ||
		!strings.Contains(text, "Shown here on the day") {
		t.Fatalf("before the day the portal shows %q", text)
	}
	if text := eval[string](t, bctx, `document.getElementById('bookings').innerText`); !strings.Contains(text, "larger text (awaiting approval)") {
		t.Errorf("booking shown without its adjustment: %q", text)
	}
	if text := eval[string](t, bctx, `document.getElementById('endorsement').textContent`); !strings.Contains(text, "sup-north") ||
		!strings.Contains(text, "(Europe/London time)") {
		t.Errorf("endorsement shown as %q", text)
	}
	if text := eval[string](t, bctx, `document.getElementById('bookings').innerText`); !strings.Contains(text, "Where and when (Europe/London)") {
		t.Errorf("booking times not labelled with their zone: %q", text)
	}
	look(t, bctx, "portal-booked")

	// The administrator approves the extra time; on the day the candidate
	// sits with the code issued.
	admin := n.Client(t, "ADM-RUTH-3H9X")
	if code, body := admin.Do("POST", "/api/admin/people/p1/bookings/"+rec.Bookings[0].ID+"/approve", "{}"); code != 204 {
		t.Fatalf("approve: %d %s", code, body)
	}
	clk.Advance(webtest.SittingStart.Add(-10 * time.Minute).Sub(clk.Now()))
	do(t, bctx,
		enterCode(n.URL()+"/portal", pc.Code, `#signin button[type="submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`#bookings .access-code`)))
	shown := eval[string](t, bctx, `document.querySelector('#bookings .access-code').textContent`)
	if !regexp.MustCompile(`^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$`).MatchString(shown) || shown != rec.Bookings[0].Code {
		t.Fatalf("access code shown on the day %q, issued %q", shown, rec.Bookings[0].Code)
	}
	do(t, bctx, enterCode(n.URL()+"/test", shown, "#start"))
	waitFor(t, bctx, onWaiting)
	if got := eval[string](t, bctx, `document.getElementById('cand-name').textContent`); got != "Priya Shah" {
		t.Fatalf("the test page welcomes %q", got)
	}
	// The larger text approved with the booking is on, and the candidate
	// may still turn it off.
	waitFor(t, bctx, `document.body.classList.contains('bigger') && document.getElementById('bigger').getAttribute('aria-pressed') === 'true'`)
	inv := n.Client(t, "ADM-RUTH-3H9X") // signed in on the day
	if code, body := inv.Do("POST", "/api/sittings/ks1/release", "{}"); code != 200 {
		t.Fatalf("release: %d %s", code, body)
	}
	waitFor(t, bctx, atQuestion(1))
	item := currentItem(t, bctx)
	opt := lib.Items[item].Options[0].ID
	answerOn(t, bctx, opt)
	waitFor(t, bctx, allSaved)
	a, _, err := n.Engine.Attempt(context.Background(), engine.AttemptID("ks1", "p1"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Answers[item], []string{opt}) {
		t.Fatalf("stored answers %v, want %s: %s", a.Answers, item, opt)
	}
	if want := time.Duration(float64(lib.Forms["demo-form"].TimeLimit) * 1.25).Round(time.Second); a.Limit != want {
		t.Fatalf("time limit %s, want %s with the extra time approved", a.Limit, want)
	}
	look(t, bctx, "booked-candidate-sits")
}

// TestAdminPage: an administrator sees the employers and people, reads a
// person's personal code, and approves the adjustments of a booking.
func TestAdminPage(t *testing.T) {
	n, prog, _ := webtest.ProgrammeNode(t)
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

	// A sitting whose rejoins need approval after 90 seconds away, its
	// start typed on the centres' clock: 09:30 in June in London.
	if got := eval[string](t, bctx, `document.getElementById('s-start-label').textContent`); got != "Start (Europe/London)" {
		t.Errorf("start labelled %q", got)
	}
	do(t, bctx, chromedp.SendKeys(css("#s-id"), "ks8"), chromedp.SendKeys(css("#s-centre"), "Quay House"),
		chromedp.SetValue(css("#s-start"), "2027-06-20T09:30"), chromedp.SendKeys(css("#s-form"), "demo-form"),
		chromedp.Click(css("#s-rejoin")), chromedp.SetValue(css("#s-grace"), "90"), chromedp.Click(css(`#sitting button[type="submit"]`)))
	waitFor(t, bctx, `document.getElementById('status').textContent === 'Sitting added.'`)
	waitFor(t, bctx, `document.getElementById('events').innerText.includes('ks8')`)
	if s, err := prog.DeliverySitting(context.Background(), "ks8"); err != nil || !s.RejoinApproval || s.RejoinGraceSeconds != 90 {
		t.Fatalf("the sitting made on the page is delivered with %+v, %v; want rejoin approval after 90 s", s, err)
	} else if want := time.Date(2027, 6, 20, 8, 30, 0, 0, time.UTC); !s.Scheduled.Equal(want) {
		t.Errorf("the sitting typed as 09:30 London time starts at %v, want %v", s.Scheduled, want)
	}
	if text := eval[string](t, bctx, `document.getElementById('events').innerText`); !strings.Contains(text, "20 Jun 2027, 09:30") {
		t.Errorf("sittings shown as\n%s\nwant ks8 at 20 Jun 2027, 09:30", text)
	}
	look(t, bctx, "admin")
}
