package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestKeyboardOnly starts, answers, flags and moves on with key presses
// alone, checks that the focus is visible, and switches on high contrast
// and larger text, which must change the page and survive a reload.
func TestKeyboardOnly(t *testing.T) {
	h := newHarness(t)
	ctx := newBrowser(t)
	do(t, ctx, chromedp.Navigate(h.srv.URL+"/test"), chromedp.WaitVisible(css("#code")))
	tabTo(t, ctx, "#code")
	do(t, ctx, chromedp.KeyEvent(codeOne+kb.Enter))
	waitFor(t, ctx, onWaiting)
	release(t, h)
	waitFor(t, ctx, atQuestion(1))
	if f := focused(t, ctx); f != "item-heading" {
		t.Errorf("focus on %q when the first question appears, want the question heading", f)
	}
	id := currentItem(t, ctx)
	it := h.lib.Items[id]

	// Into the options, choose the second with the arrow key (a radio group)
	// or Space on the second checkbox.
	tabTo(t, ctx, "#options input")
	if it.Type == "multiple" {
		do(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(" "))
	} else {
		do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	}
	want := it.Options[1].ID
	if it.Type != "multiple" {
		want = eval[string](t, ctx, `document.querySelectorAll('#options input')[1].value`)
	}
	waitFor(t, ctx, `document.getElementById('item-saved').textContent === 'Answer saved.'`)
	if o := eval[string](t, ctx, `document.querySelector('#options input:checked').value`); o != want {
		t.Errorf("checked %q, want the second option %q", o, want)
	}
	if style := eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
		t.Error("the focused option shows no focus outline")
	}

	tabTo(t, ctx, "#flag")
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, `document.getElementById('flag').getAttribute('aria-pressed') === 'true'`)
	if style := eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
		t.Error("the focused button shows no focus outline")
	}
	tabTo(t, ctx, "#next")
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, atQuestion(2))
	waitFor(t, ctx, allSaved)
	a := h.attempt()
	if got := a.Answers[id]; len(got) != 1 || got[0] != want {
		t.Errorf("stored answer %v for %s, want [%s]", got, id, want)
	}
	if !a.Flags[id] || a.Position != 1 {
		t.Errorf("stored flags %v position %d, want %s flagged and position 1", a.Flags, a.Position, id)
	}

	// The display options, by keyboard.
	bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
	size := eval[string](t, ctx, `getComputedStyle(document.body).fontSize`)
	tabTo(t, ctx, "#contrast")
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, `document.body.classList.contains('contrast') && document.getElementById('contrast').getAttribute('aria-pressed') === 'true'`)
	tabTo(t, ctx, "#bigger")
	do(t, ctx, chromedp.KeyEvent(" "))
	waitFor(t, ctx, `document.body.classList.contains('bigger')`)
	if got := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); got == bg {
		t.Errorf("high contrast left the background %s", got)
	}
	if got := eval[string](t, ctx, `getComputedStyle(document.body).fontSize`); got == size {
		t.Errorf("larger text left the font size %s", got)
	}
	look(t, ctx, "keyboard-contrast")
	do(t, ctx, chromedp.Reload())
	waitFor(t, ctx, atQuestion(2))
	waitFor(t, ctx, `document.body.classList.contains('contrast') && document.body.classList.contains('bigger')`)
}
