package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/web/webtest"
)

// axeSource is axe-core, vendored (testdata/axe/README.md).
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeRun runs axe-core on the whole page, every rule of the WCAG 2.x A and
// AA tags and best practices, and answers its violations, one line each.
const axeRun = `axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})
  .then((r) => JSON.stringify(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' '))}))))`

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkA11y runs axe-core on the page of ctx in its present state and
// fails the test on any violation, of any impact; state names the page and
// state in the failure.
func checkA11y(t *testing.T, ctx context.Context, state string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 3*stepTimeout)
	defer cancel()
	loaded, err := chromedp.Run(sctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if err != nil {
		t.Fatalf("axe on %s: %v", state, err)
	}
	if !loaded {
		if _, err := chromedp.Run(sctx, chromedp.Evaluate[any](axeSource+";0")); err != nil {
			t.Fatalf("inject axe on %s: %v", state, err)
		}
	}
	out, err := chromedp.Run(sctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", state, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe on %s: %v", state, err)
	}
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  %s (%s): %s", v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %s", n)
		}
	}
	t.Errorf("axe finds %d violation(s) on %s:%s", len(vs), state, b.String())
}

// look checks the page of ctx with axe-core and takes its screenshot, as
// name: every main state of every page passes through it.
func look(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	checkA11y(t, ctx, name)
	screenshot(t, ctx, name)
}

// TestSignedOutPages: the pages a person meets before signing in (the
// home page, staff sign-in and a refused staff code, the assessor's
// sign-in) pass axe-core. The portal's is checked in TestEndorseAndBook.
func TestSignedOutPages(t *testing.T) {
	n := webtest.DemoNode(t, nil)
	ctx := newBrowser(t)
	do(t, ctx, chromedp.Navigate(n.URL()+"/"), chromedp.WaitVisible(css("main")))
	look(t, ctx, "home")
	do(t, ctx, chromedp.Navigate(n.URL()+"/signin?next=/lead"), chromedp.WaitVisible(css("#code")))
	waitFor(t, ctx, `document.getElementById('signin-next').textContent.includes("the lead assessor's circuit")`)
	look(t, ctx, "signin")
	do(t, ctx, chromedp.SendKeys(css("#code"), "NOT-A-CODE"), chromedp.Click(css("#signin button")))
	waitFor(t, ctx, `document.getElementById('signin-error').textContent !== ''`)
	look(t, ctx, "signin-refused")
	do(t, ctx, chromedp.Navigate(n.URL()+"/mark"), chromedp.WaitVisible(css("#code")))
	look(t, ctx, "mark-signin")
}

// TestSharedHeader: every staff page opens with the one header, saying
// who is signed in and in which role; its Sign out ends the session and
// leads to sign-in, where the header says no one is signed in.
func TestSharedHeader(t *testing.T) {
	n := webtest.DemoNode(t, nil)
	ctx := newBrowser(t)
	do(t, ctx, enterCode(n.URL()+"/signin?next=/", "ADM-RUTH-3H9X", "#signin button"), chromedp.WaitVisible(css("main h2")))
	const who = `document.getElementById('bar-who').textContent`
	for _, path := range []string{"/", "/invigilate", "/psychometrics", "/standards/", "/lead", "/audit", "/admin", "/supervisor", "/mark"} {
		do(t, ctx, chromedp.Navigate(n.URL()+path), chromedp.WaitVisible(css("header.bar")))
		waitFor(t, ctx, who+` === 'Signed in as Ruth Ellison · Administrator'`)
		if n := eval[int](t, ctx, `document.querySelectorAll('header.bar').length`); n != 1 {
			t.Errorf("%s has %d shared headers", path, n)
		}
		if path != "/mark" && eval[bool](t, ctx, `document.getElementById('signout').hidden`) {
			t.Errorf("%s offers no Sign out to a signed-in person", path)
		}
	}
	do(t, ctx, chromedp.Navigate(n.URL()+"/audit"), chromedp.WaitVisible(css("#signout")))
	waitFor(t, ctx, who+` === 'Signed in as Ruth Ellison · Administrator'`)
	do(t, ctx, chromedp.Click(css("#signout")), chromedp.WaitVisible(css("#signin-next")))
	waitFor(t, ctx, `location.pathname === '/signin' && `+who+` === 'Not signed in' && document.getElementById('signout').hidden`)
	if st := eval[int](t, ctx, `fetch('/api/me').then((r) => r.status)`); st != 401 {
		t.Errorf("after Sign out /api/me answers %d, want 401", st)
	}
}
