package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine/content"
)

// TestCandidateLinearTest: in a linear test the page offers no Previous
// and no flag, says that moving on is for good, lets the map reach only
// the current and next question, and after a reload stays where the
// server has the candidate; changes made offline are stored in order once
// back, a reload between keeping the page where the candidate was.
func TestCandidateLinearTest(t *testing.T) {
	h := newHarness(t)
	h.lib.Forms["f1"].Navigation = content.NavigationLinear
	ctx := sitFirstQuestion(t, h)
	if !eval[bool](t, ctx, `document.getElementById('prev').hidden && document.getElementById('flag').hidden && !document.getElementById('linear-note').hidden`) {
		t.Error("a linear test shows Previous or the flag, or does not say moving on is for good")
	}
	if !eval[bool](t, ctx, `document.querySelector('#qmap button.qbtn[data-pos="2"]').disabled && !document.querySelector('#qmap button.qbtn[data-pos="1"]').disabled`) {
		t.Error("the map does not hold the candidate to the current and next question")
	}
	answerOn(t, ctx, "b")
	waitFor(t, ctx, allSaved)
	look(t, ctx, "candidate-linear")
	clickNext(t, ctx, 2)
	waitFor(t, ctx, allSaved)
	passed := `document.querySelector('#qmap button.qbtn[data-pos="0"]')`
	if !eval[bool](t, ctx, passed+`.disabled`) || !strings.Contains(eval[string](t, ctx, passed+`.getAttribute('aria-label')`), "passed, cannot be revisited") {
		t.Errorf("the map offers the question already passed, or does not say why not: %s", eval[string](t, ctx, passed+`.outerHTML`))
	}
	if a := h.attempt(); !a.Linear || a.Position != 1 {
		t.Fatalf("stored: linear %v at %d, want linear at 1", a.Linear, a.Position)
	}
	do(t, ctx, chromedp.Reload())
	waitFor(t, ctx, atQuestion(2))
	if !eval[bool](t, ctx, `document.getElementById('prev').hidden`) {
		t.Error("after a reload the page offers Previous")
	}
	if a := h.attempt(); len(a.Answers) != 1 {
		t.Errorf("stored answers %v, want the first question's", a.Answers)
	}

	// Offline, the candidate answers and moves on twice; back online, and
	// the page reloaded, the waiting changes are stored in order, each a
	// step on, and the page is where the candidate left it.
	h.networkDown()
	waitFor(t, ctx, offline)
	answerOn(t, ctx, currentAnswer(t, h, ctx)...)
	clickNext(t, ctx, 3)
	clickNext(t, ctx, 4)
	h.networkUp()
	do(t, ctx, chromedp.Reload())
	waitFor(t, ctx, atQuestion(4))
	waitFor(t, ctx, allSaved)
	if a := h.attempt(); a.Position != 3 || len(a.Answers) != 2 {
		t.Errorf("stored: at %d with answers %v, want at 3 with two answers", a.Position, a.Answers)
	}
}
