package browsertest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
)

// TestRejectedCodeStatus: after a code the server refuses, the status pill
// says the page is connected and not started, not "Connecting…" for ever;
// the right code then joins on the same connection.
func TestRejectedCodeStatus(t *testing.T) {
	h := newHarness(t)
	ctx := newBrowser(t)
	do(t, ctx, enterCode(h.srv.URL+"/test", "TEST-NONE-2B2B", "#start"))
	waitFor(t, ctx, `document.getElementById('code-error').textContent.includes('not recognised')`)
	waitFor(t, ctx, `document.getElementById('conn-text').textContent === 'Connected · not started'`)
	if st := eval[string](t, ctx, `document.getElementById('conn').dataset.state`); st != "open" {
		t.Errorf("status pill state %q after a refused code, want open", st)
	}
	do(t, ctx, chromedp.SetValue(css("#code"), codeOne), chromedp.Click(css("#start")))
	waitFor(t, ctx, onWaiting)
	waitFor(t, ctx, `document.getElementById('conn-text').textContent === 'Connected · all answers saved'`)
}

// TestAnsweredNotByColour: the question map marks an answered question
// with a visible tick as well as its fill, and its key shows the same tick.
func TestAnsweredNotByColour(t *testing.T) {
	_, ctx := startSitting(t)
	answerOn(t, ctx, "b")
	waitFor(t, ctx, allSaved)
	tick := `(b) => { const m = b.querySelector('.tick'); return !!m && m.textContent === '✓' && getComputedStyle(m).display !== 'none'; }`
	waitFor(t, ctx, `(`+tick+`)(document.querySelector('#qmap button.qbtn[data-pos="0"]'))`)
	if eval[bool](t, ctx, `(`+tick+`)(document.querySelector('#qmap button.qbtn[data-pos="1"]'))`) {
		t.Error("an unanswered question shows the answered tick")
	}
	if got := eval[string](t, ctx, `document.querySelector('#qmap .key li').textContent`); got != "✓answered" {
		t.Errorf("the map's key says %q, want the tick beside answered", got)
	}
}

// TestEndScreens: the end screen is headed by how the test ended and says
// what happens next: a test that counts is held until results are
// released, then shown in the portal and to the employer; a test the
// invigilator ended is not headed "submitted".
func TestEndScreens(t *testing.T) {
	h, ctx := startSitting(t)
	answerOn(t, ctx, "b")
	waitFor(t, ctx, allSaved)
	id := engine.AttemptID(sittingID, "c1")
	if err := h.eng.Invigilate(context.Background(), id, engine.Command{Kind: engine.CmdVoid, Reason: "malpractice", By: "inv1"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, onSubmitted)
	waitFor(t, ctx, `document.getElementById('done-text').dataset.reason === 'voided'`)
	title := eval[string](t, ctx, `document.getElementById('submitted-title').textContent`)
	if title != "Your invigilator has ended your test" {
		t.Errorf("a voided test is headed %q", title)
	}
	if f := focused(t, ctx); f != "submitted-title" {
		t.Errorf("focus on %q after the test ended, want its heading", f)
	}
	next := eval[string](t, ctx, `document.getElementById('done-next').textContent`)
	if next == "" || eval[bool](t, ctx, `document.getElementById('next-title').offsetParent === null`) {
		t.Errorf("no visible word of what happens next after a void: %q", next)
	}
	if at := eval[string](t, ctx, `document.getElementById('submitted-at').textContent`); at != "Ended at 09:00 (Europe/London)." {
		t.Errorf("end time shown as %q, want the centres' time, labelled", at)
	}
	look(t, ctx, "candidate-ended-by-invigilator")
}

// TestCandidatePageStates walks the candidate's page through its main
// states, checking each with axe-core and taking its screenshot: the start
// screen, a refused code, waiting, a question, the review, the submit
// dialog, paused, offline, the display options, and submitted.
func TestCandidatePageStates(t *testing.T) {
	h := newHarness(t)
	ctx := newBrowser(t)
	do(t, ctx, chromedp.Navigate(h.srv.URL+"/test"), chromedp.WaitVisible(css("#code")))
	look(t, ctx, "candidate-start")
	do(t, ctx, chromedp.SendKeys(css("#code"), "TEST-NONE-2B2B"), chromedp.Click(css("#start")))
	waitFor(t, ctx, `document.getElementById('code-error').textContent !== ''`)
	look(t, ctx, "candidate-refused-code")
	do(t, ctx, chromedp.SetValue(css("#code"), codeOne), chromedp.Click(css("#start")))
	waitFor(t, ctx, onWaiting)
	look(t, ctx, "candidate-waiting")
	release(t, h)
	waitFor(t, ctx, atQuestion(1))
	answerOn(t, ctx, "b")
	do(t, ctx, chromedp.Click(css("#flag")))
	waitFor(t, ctx, allSaved)
	look(t, ctx, "candidate-question")
	do(t, ctx, chromedp.Click(css("#to-review")))
	waitFor(t, ctx, onReview)
	look(t, ctx, "candidate-review")
	do(t, ctx, chromedp.Click(css("#submit")), chromedp.WaitVisible(css("#confirm-cancel")))
	look(t, ctx, "candidate-confirm")
	do(t, ctx, chromedp.Click(css("#confirm-cancel")))
	waitFor(t, ctx, `!document.getElementById('confirm').open`)

	id := engine.AttemptID(sittingID, "c1")
	if err := h.eng.Invigilate(context.Background(), id, engine.Command{Kind: engine.CmdPause, Reason: "fire alarm", By: "inv1"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `!document.getElementById('screen-paused').hidden`)
	look(t, ctx, "candidate-paused")
	if err := h.eng.Invigilate(context.Background(), id, engine.Command{Kind: engine.CmdResume, By: "inv1"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById('screen-paused').hidden`)
	do(t, ctx, chromedp.Click(css(`#qmap button.qbtn[data-pos="1"]`)))
	waitFor(t, ctx, atQuestion(2))

	h.networkDown()
	waitFor(t, ctx, offline)
	look(t, ctx, "candidate-offline")
	h.networkUp()
	waitFor(t, ctx, allSaved)

	do(t, ctx, chromedp.Click(css("#bigger")), chromedp.Click(css("#contrast")))
	waitFor(t, ctx, `document.body.classList.contains('contrast') && document.body.classList.contains('bigger')`)
	look(t, ctx, "candidate-contrast")
	do(t, ctx, chromedp.Click(css("#bigger")), chromedp.Click(css("#contrast")))

	do(t, ctx, chromedp.Click(css("#to-review")))
	waitFor(t, ctx, onReview)
	do(t, ctx, chromedp.Click(css("#submit")), chromedp.WaitVisible(css("#confirm-submit")), chromedp.Click(css("#confirm-submit")))
	waitFor(t, ctx, onSubmitted)
	waitFor(t, ctx, `document.getElementById('done-text').dataset.reason === 'candidate'`)
	look(t, ctx, "candidate-submitted")
}
