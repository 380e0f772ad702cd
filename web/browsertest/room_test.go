package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/accredit/accredit/engine"
)

const codeTwo = "TEST-TWO-9P4R" // candidate c2, time factor 1.25

// clickIn clicks the button named text in candidate cand's row of the room.
func clickIn(cand, text string) string {
	return `(() => { const b = [...document.querySelectorAll('tr[data-cand="` + cand + `"] button')].find((b) => b.textContent === '` +
		text + `'); if (b) b.click(); return !!b; })()`
}

// TestRoom runs a room from the invigilator's page: a whole-room pause
// while a candidate answers, incident time for one candidate that reaches
// their clock within a second (the fake clock standing still), a late
// arrival admitted past the cut-off, and a void confirmed by typing the id.
func TestRoom(t *testing.T) {
	h := newHarness(t)
	h.lib.Sittings[sittingID].LateAfterMinutes = 10
	ctx := newBrowser(t)
	joinAs(t, h, ctx, codeOne)
	inv := newTab(t, ctx)
	invigilatorReleases(t, h, inv)
	waitFor(t, ctx, atQuestion(1))
	answerOn(t, ctx, "b")

	// The whole room is paused with a reason from the keyboard; only
	// Resume is then offered, and it has the focus.
	if eval[bool](t, inv, `document.getElementById('room-resume').hidden === false`) {
		t.Error("Resume offered while no candidate is paused")
	}
	do(t, inv, chromedp.SendKeys(css("#room-reason"), "fire alarm"), chromedp.Focus(css("#room-pause")), chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, `!document.getElementById('screen-paused').hidden`)
	waitFor(t, ctx, `document.getElementById('paused-note').textContent === 'Reason: fire alarm'`)
	waitFor(t, inv, `document.querySelector('tr[data-cand="c1"]').cells[1].textContent === 'paused: fire alarm'`)
	waitFor(t, inv, `document.getElementById('room-pause').hidden && !document.getElementById('room-resume').hidden`)
	waitFor(t, inv, `document.activeElement.id === 'room-resume'`)
	waitFor(t, inv, `document.getElementById('message').textContent.endsWith(': Paused Cand One.')`)
	if st := eval[string](t, inv, `fetch('/api/sittings/s1').then((r) => r.json()).then((s) => s.candidates.find((c) => c.candidate === 'c1').status)`); st != "paused" {
		t.Errorf("the room API gives a paused candidate status %q", st)
	}
	// A second pause is answered, not silently done again.
	if why := eval[string](t, inv, `fetch('/api/sittings/s1/room/pause', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{"candidates":["c1"]}'}).then((r) => r.json()).then((r) => r.refused.c1)`); why != "already paused" {
		t.Errorf("a second pause is refused with %q, want already paused", why)
	}
	do(t, inv, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, `document.getElementById('screen-paused').hidden`)
	waitFor(t, inv, `document.querySelector('tr[data-cand="c1"]').cells[1].textContent === 'in progress'`)
	waitFor(t, inv, `!document.getElementById('room-pause').hidden && document.getElementById('room-resume').hidden`)
	waitFor(t, inv, `document.activeElement.id === 'room-pause'`)

	// Incident time for Cand One only: the clock changes at once.
	waitFor(t, ctx, `document.getElementById('timer-value').textContent.startsWith('30:')`)
	do(t, inv, chromedp.Click(css(`tr[data-cand="c1"] input.pick`)),
		chromedp.SetValue(css("#room-minutes"), "7"))
	clicked := time.Now()
	do(t, inv, chromedp.Click(css("#room-extra")))
	waitFor(t, ctx, `document.getElementById('timer-value').textContent.startsWith('37:')`)
	if d := time.Since(clicked); d > time.Second {
		t.Errorf("the candidate's clock changed %v after the click, want within 1s", d)
	}
	waitFor(t, inv, `document.querySelector('tr[data-cand="c1"]').cells[9].textContent === 'incident +7:00'`)
	if a := h.attempt(); a.Extra != 7*time.Minute {
		t.Fatalf("stored incident time %v, want 7m", a.Extra)
	}

	// Cand Two arrives after the cut-off: refused until admitted.
	h.clock.Advance(11 * time.Minute)
	late, closeLate := chromedp.NewContext(ctx)
	t.Cleanup(closeLate)
	if err := chromedp.Do(late); err != nil {
		t.Fatal(err)
	}
	do(t, late, enterCode(h.srv.URL+"/test", codeTwo, "#start"))
	waitFor(t, late, `document.getElementById('code-error').textContent.includes('ask your invigilator to admit you')`)
	waitFor(t, inv, `document.querySelector('tr[data-cand="c2"]').cells[1].textContent.includes('needs admitting')`)
	waitFor(t, inv, clickIn("c2", "Admit"))
	waitFor(t, inv, `document.querySelector('tr[data-cand="c2"]').cells[1].textContent === 'not joined'`)
	do(t, late, chromedp.Click(css("#start")))
	waitFor(t, late, atQuestion(1))
	waitFor(t, inv, `document.querySelector('tr[data-cand="c2"]').cells[1].textContent === 'in progress'`)
	// Cand Two's planned extra time (factor 1.25 on 30 minutes) is shown.
	waitFor(t, inv, `document.querySelector('tr[data-cand="c2"]').cells[9].textContent === 'planned +7:30 (time ×1.25)'`)

	// Cand Two's screen is closed: the row says so in words.
	closeLate()
	waitFor(t, inv, `document.querySelector('tr[data-cand="c2"]').cells[4].textContent.startsWith('⚠ DISCONNECTED')`)
	waitFor(t, inv, `document.querySelector('tr[data-cand="c2"]').classList.contains('gone')`)
	// Times are the centres', labelled.
	if got := eval[string](t, inv, `document.getElementById('zone').textContent`); got != "Times in Europe/London" {
		t.Errorf("room times labelled %q", got)
	}
	if got := eval[string](t, inv, `document.querySelector('tr[data-cand="c1"]').cells[10].textContent`); got != "09:00:00" {
		t.Errorf("last activity %q, want 09:00:00 London time", got) // webtest.Start: 09:00 UTC, in December
	}
	look(t, inv, "invigilate-room")

	// Cand One's test is ended: the id must be typed to confirm.
	waitFor(t, inv, clickIn("c1", "End test"))
	do(t, inv, chromedp.WaitVisible(css("#void-confirm")),
		chromedp.SendKeys(css("#void-text"), "notes on the desk"),
		chromedp.SendKeys(css("#void-confirm"), "c2"), chromedp.Click(css("#void-submit")))
	waitFor(t, inv, `document.getElementById('void-error').textContent.startsWith('type the candidate')`)
	look(t, inv, "invigilate-end-test")
	do(t, inv, chromedp.SetValue(css("#void-confirm"), "c1"), chromedp.Click(css("#void-submit")))
	waitFor(t, ctx, `!document.getElementById('screen-done').hidden`)
	waitFor(t, inv, `document.querySelector('tr[data-cand="c1"]').cells[1].textContent.startsWith('submitted (voided: malpractice: notes on the desk)')`)
	a := h.attempt()
	if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonVoided || a.Detail != "malpractice: notes on the desk" || len(a.Answers) != 1 {
		t.Fatalf("voided attempt %s %s %q answers %v: want kept as evidence", a.Status, a.Reason, a.Detail, a.Answers)
	}
}

// TestRejoinApproval: in a sitting whose rejoins need approval, a
// candidate who closes the test page and comes back after the grace sees
// that the invigilator must let them back in; the invigilator's page shows
// who waits, with a control; once approved, the candidate's page rejoins
// by itself, their answer kept.
func TestRejoinApproval(t *testing.T) {
	h := newHarness(t)
	h.lib.Sittings[sittingID].RejoinApproval = true
	h.lib.Sittings[sittingID].RejoinGraceSeconds = 60
	inv := newBrowser(t)
	first, closeFirst := chromedp.NewContext(inv)
	defer closeFirst()
	if err := chromedp.Do(first); err != nil { // opens the tab, with no step's timeout
		t.Fatal(err)
	}
	joinAs(t, h, first, codeOne)
	invigilatorReleases(t, h, inv)
	waitFor(t, first, atQuestion(1))
	answerOn(t, first, "b")
	waitFor(t, inv, `document.querySelector('tr[data-cand="c1"]').cells[2].textContent === '1 of 4'`)

	status := `document.querySelector('tr[data-cand="c1"]').cells[1].textContent`
	closeFirst() // the candidate closes the tab
	waitFor(t, inv, status+`.includes('left at')`)
	h.clock.Advance(2 * time.Minute)
	back := newTab(t, inv)
	do(t, back, enterCode(h.srv.URL+"/test", codeOne, "#start"))
	waitFor(t, back, `document.getElementById('code-error').textContent.includes('ask your invigilator to let you back in')`)
	waitFor(t, inv, status+`.includes('rejoin needs approval')`)
	if a := h.attempt(); !a.Away || a.RejoinApproved {
		t.Fatalf("stored away %v approved %v, want away and waiting", a.Away, a.RejoinApproved)
	}

	waitFor(t, inv, clickIn("c1", "Approve rejoin"))
	waitFor(t, back, atQuestion(1)) // the page's next hello is let in
	waitFor(t, inv, status+` === 'in progress'`)
	waitFor(t, inv, `!`+clickIn("c1", "Approve rejoin"))
	if a := h.attempt(); a.Away || len(a.Answers) != 1 {
		t.Fatalf("after the rejoin: away %v answers %v", a.Away, a.Answers)
	}
}
