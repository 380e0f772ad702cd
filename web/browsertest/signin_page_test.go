package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestInvigilateSignIn: the invigilator's page, opened signed out, leads
// to the sign-in page, which says where it leads; a session that ends
// while the page is open leads there again at the next act, with no
// "sign in first" shown or thrown on the way.
func TestInvigilateSignIn(t *testing.T) {
	h := newHarness(t)
	ctx := newBrowser(t)
	thrown := listen(t, ctx, func(e *runtime.EventExceptionThrown) string { return e.ExceptionDetails.Text })
	do(t, ctx, chromedp.Navigate(h.srv.URL+"/invigilate"))
	waitFor(t, ctx, `location.pathname === '/signin' && location.search === '?next=%2Finvigilate'`)
	waitFor(t, ctx, `document.getElementById('signin-next').textContent === "After you sign in you will go to the invigilator's room (/invigilate)."`)
	do(t, ctx, chromedp.SendKeys(css("#code"), staffCode), chromedp.Click(css("#signin button")), chromedp.WaitVisible(css("#candidates tbody tr")))

	// The session ends elsewhere; the next act leads to sign-in quietly.
	eval[bool](t, ctx, `(() => { const said = []; new MutationObserver(() => { said.push(document.getElementById('message').textContent); sessionStorage.setItem('said', said.join('|')); }).observe(document.getElementById('message'), {childList: true, characterData: true, subtree: true}); return true; })()`)
	eval[int](t, ctx, `fetch('/api/logout', {method: 'POST'}).then((r) => r.status)`)
	do(t, ctx, chromedp.Click(css("#release")), chromedp.WaitVisible(css("#signin-next")))
	waitFor(t, ctx, `location.pathname === '/signin' && document.getElementById('signin-next').textContent.includes("invigilator's room")`)
	if said := eval[string](t, ctx, `sessionStorage.getItem('said') || ''`); strings.Contains(said, "sign in") {
		t.Errorf("the page said %q on its way to sign in", said)
	}
	if got := thrown(); len(got) > 0 {
		t.Errorf("uncaught on the way to sign in: %v", got)
	}
}
