package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestMarkPageFocusAndHeader: on the assessor's page Sign out shows only
// while signed in; the circuit and the station are each shown once; and
// submitting by keyboard moves the focus to the question, then to the
// locked notice, in view.
func TestMarkPageFocusAndHeader(t *testing.T) {
	r := newRig(t)
	a := r.tab(820, 1180)
	a.do(chromedp.Navigate(r.url+"/mark"), chromedp.WaitVisible(chromedp.CSS("#code")))
	a.waitFor(`document.getElementById('conn').textContent === 'Not signed in'`)
	if a.eval(`String(document.getElementById('signout').offsetParent !== null)`) == "true" {
		t.Error("Sign out is offered to nobody signed in")
	}
	a.signIn(r.url, "ASR-LIAM-5C7V") // Liam marks in both demo circuits
	if a.eval(`String(document.getElementById('signout').offsetParent !== null)`) != "true" {
		t.Error("no Sign out once signed in")
	}
	// Each shown once: visible elements reading the circuit's title, and
	// the station's.
	once := func(id string) string {
		return a.eval(`(() => { const want = document.getElementById('` + id + `').textContent;
			const visible = (e) => e.offsetParent !== null && !e.closest('.visually-hidden');
			const text = (e) => e.tagName === 'SELECT' ? e.selectedOptions[0].textContent : e.textContent;
			return String([...document.querySelectorAll('#station-head h1, #station-head p, #station-head select')].filter((e) => visible(e) && text(e) === want).length); })()`)
	}
	if n := once("circuit-title"); n != "1" {
		t.Errorf("the circuit is shown %s times", n)
	}
	if n := once("station-title"); n != "1" {
		t.Errorf("the station is shown %s times", n)
	}
	if a.eval(`document.querySelector('h1').textContent`) == "" {
		t.Error("no heading names the circuit")
	}
	a.look("mark-two-circuits")

	a.markSheet(2, 3)
	a.do(chromedp.Focus(chromedp.CSS("#submit")), chromedp.KeyEvent(kb.Enter))
	a.waitFor(`document.activeElement && document.activeElement.id === 'confirm-text'`)
	a.do(chromedp.KeyEvent(kb.Tab))
	if got := a.eval(`document.activeElement.id`); got != "confirm-yes" {
		t.Fatalf("Tab from the question lands on %q", got)
	}
	a.do(chromedp.KeyEvent(kb.Enter))
	a.waitFor(`document.activeElement && document.activeElement.id === 'locked' && document.getElementById('locked').textContent.startsWith('Submitted at')`)
	if got := a.eval(`(() => { const r = document.getElementById('locked').getBoundingClientRect();
		const bar = document.getElementById('bar').getBoundingClientRect().bottom;
		return String(r.top >= bar && r.bottom <= innerHeight); })()`); got != "true" {
		t.Error("the locked notice is not in view after Submit")
	}
	if got := a.eval(`document.getElementById('locked').getAttribute('role')`); got != "status" {
		t.Errorf("the locked notice has role %q", got)
	}
	a.look("mark-submitted-focus")

	a.do(chromedp.Click(chromedp.CSS("#signout")))
	a.waitFor(`!document.getElementById('screen-signin').hidden`)
	if a.eval(`String(document.getElementById('signout').offsetParent !== null)`) == "true" {
		t.Error("Sign out still offered after signing out")
	}
}
