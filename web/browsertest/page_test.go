package browsertest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/accredit/accredit/engine/content"
)

// Selectors and conditions of the candidate page (static/candidate.html).
const (
	onWaiting   = `!document.getElementById('screen-waiting').hidden`
	onReview    = `!document.getElementById('screen-review').hidden && !document.getElementById('screen-item').hidden`
	onSubmitted = `!document.getElementById('screen-done').hidden`
	allSaved    = `document.getElementById('conn-text').textContent === 'Connected · all answers saved'`
	offline     = `document.getElementById('conn').dataset.state === 'lost' && !document.getElementById('offline').hidden`
)

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// atQuestion is the condition that question n (from 1) is on screen.
func atQuestion(n int) string {
	return fmt.Sprintf(`!document.getElementById('screen-item').hidden && !document.getElementById('item-view').hidden && document.getElementById('item-count').textContent.startsWith('Question %d of ')`, n)
}

// currentItem returns the id of the item on screen.
func currentItem(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.querySelector('#options input').dataset.item`)
}

// joinAs opens the test page and starts with an access code.
func joinAs(t *testing.T, h *harness, ctx context.Context, code string) {
	t.Helper()
	do(t, ctx, enterCode(h.srv.URL+"/test", code, "#start"))
	waitFor(t, ctx, onWaiting)
}

// startSitting opens the test page as candidate c1 in a fresh browser,
// releases the sitting and waits for the first question.
func startSitting(t *testing.T) (*harness, context.Context) {
	t.Helper()
	h := newHarness(t)
	return h, sitFirstQuestion(t, h)
}

// sitFirstQuestion opens h's test page as candidate c1 in a fresh browser,
// releases the sitting and waits for the first question.
func sitFirstQuestion(t *testing.T, h *harness) context.Context {
	t.Helper()
	ctx := newBrowser(t)
	joinAs(t, h, ctx, codeOne)
	release(t, h)
	waitFor(t, ctx, atQuestion(1))
	return ctx
}

// clickNext clicks Next and waits for question n.
func clickNext(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	do(t, ctx, chromedp.Click(css("#next")))
	waitFor(t, ctx, atQuestion(n))
}

// release releases the sitting as the invigilator's API would.
func release(t *testing.T, h *harness) {
	t.Helper()
	if err := h.eng.Release(context.Background(), sittingID, "inv1"); err != nil {
		t.Fatal(err)
	}
}

// answerOn chooses options of the item on screen by clicking them, and
// waits until the page shows that choice.
func answerOn(t *testing.T, ctx context.Context, options ...string) {
	t.Helper()
	for _, o := range options {
		do(t, ctx, chromedp.Click(css(`#options input[value="`+o+`"]`)))
	}
	waitFor(t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#options input:checked')].map(i => i.value).sort().join(',') === %q`,
		joinSorted(options)))
}

func joinSorted(s []string) string {
	c := slices.Clone(s)
	slices.Sort(c)
	out := ""
	for i, x := range c {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

// choiceFor picks an answer for item it: the key when correct is true, and
// otherwise a wrong option (for a single-best-answer item).
func choiceFor(it *content.Item, correct bool) []string {
	if correct {
		return slices.Clone(it.Key)
	}
	for _, o := range it.Options {
		if !slices.Contains(it.Key, o.ID) {
			return []string{o.ID}
		}
	}
	panic("item " + it.ID + " has no wrong option")
}

// tabTo presses Tab, as a keyboard user would, until the element matching
// sel has the focus.
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	cond := `document.activeElement && document.activeElement.matches(` + strconv.Quote(sel) + `)`
	for range 40 {
		if eval[bool](t, ctx, cond) {
			return
		}
		do(t, ctx, chromedp.KeyEvent(kb.Tab))
	}
	t.Fatalf("Tab never reached %s; focus is on %s", sel, eval[string](t, ctx, `document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing'`))
}

// focused reports the id of the focused element.
func focused(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.activeElement ? document.activeElement.id : ''`)
}

var _ = time.Second
