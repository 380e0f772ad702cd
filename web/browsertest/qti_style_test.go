package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web/webtest"
)

// TestImportedItemWithStylesheet sits the imported chronology item, whose
// QTI stylesheet (engine/content/qti/testdata/items/styles/chronology.css)
// lays it out in two columns and marks late entries: the sanitised sheet
// styles the item's stem and options (computed styles) and nothing else on
// the page (the header, the hint, the question map), the positioned banner
// stays in the flow, high contrast keeps the page's colours while the
// layout stays, larger text keeps its size, and the sheet's url() and
// @import never become a request.
func TestImportedItemWithStylesheet(t *testing.T) {
	n := webtest.NewNode(t, webtest.Options{
		Library: webtest.QTILibrary(t),
		Engine:  engine.Config{Clock: clock.NewFake(start), Seed: func() uint64 { return 7 }},
	})
	ctx := newBrowser(t)
	requested := listen(t, ctx, func(e *network.EventRequestWillBeSent) string { return e.Request.URL })
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, enterCode(n.HTTP.URL+"/test", webtest.QTICandidateCode, "#start"))
	waitFor(t, ctx, onWaiting)
	if err := n.Engine.Release(context.Background(), "qs1", "inv1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, atQuestion(1))
	// Question 1 names no stylesheet: its boxes carry no scope.
	if got := eval[string](t, ctx, `String(document.querySelectorAll('[data-styles]').length)`); got != "0" {
		t.Errorf("%s boxes with data-styles on an item without a stylesheet", got)
	}
	do(t, ctx, chromedp.Click(css(`#qmap button.qbtn[data-pos="4"]`)))
	waitFor(t, ctx, atQuestion(5))
	stem := `document.getElementById('item-stem')`
	waitFor(t, ctx, `getComputedStyle(`+stem+`.querySelector('.rc-qti-layout-row')).display === 'flex'`)

	style := func(el, prop string) string {
		t.Helper()
		return eval[string](t, ctx, `getComputedStyle(`+el+`).`+prop)
	}
	green := "rgb(0, 170, 0)"
	for _, tc := range []struct{ el, prop, want string }{
		{stem + `.querySelector('.rc-qti-layout-row')`, "display", "flex"},
		{stem + `.querySelector('td.rc-late')`, "color", "rgb(176, 0, 32)"},
		{stem + `.querySelector('td.rc-late')`, "fontWeight", "700"},
		{stem + `.querySelector('td.rc-late')`, "backgroundColor", "rgb(255, 243, 243)"},
		{stem + `.querySelector('.rc-qti-underline')`, "textDecorationLine", "underline"},
		{stem + `.querySelector('p.rc-note')`, "borderLeftWidth", "4px"},
		{stem + `.querySelector('p.rc-note')`, "backgroundImage", "none"}, // its url() was dropped
		{stem + `.querySelector('p.rc-note')`, "color", green},            // the sheet's p rule, inside the item
		{stem + `.querySelector('p.rc-banner')`, "position", "static"},
		{`document.querySelector('#options .rc-missed')`, "color", "rgb(176, 0, 32)"},
		// Outside the item: the page's own paragraph, header and map.
		{`document.getElementById('select-hint')`, "color", "rgb(90, 90, 90)"},
		{`document.querySelector('header.topbar')`, "color", "rgb(27, 27, 27)"},
		{`document.querySelector('#qmap button.qbtn')`, "display", "inline-block"},
	} {
		if got := style(tc.el, tc.prop); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.el, tc.prop, got, tc.want)
		}
	}
	for _, tc := range []struct{ js, want string }{
		// The item's classes reach the page only with their prefix.
		{`String(document.querySelectorAll('#item-view .qti-layout-row, #item-view .missed, .rc-topbar').length)`, "0"},
		{`String(document.querySelectorAll('#item-stem [class]:not([class^="rc-"])').length)`, "0"},
		{stem + `.dataset.styles`, "styles/chronology.css"},
		{`document.getElementById('case').hidden ? 'no case' : document.getElementById('case-text').dataset.styles || ''`, "no case"},
		// One sheet adopted, scoped, loading nothing.
		{`String(document.adoptedStyleSheets.length)`, "1"},
		{`(() => { const t = [...document.adoptedStyleSheets[0].cssRules].map((r) => r.cssText).join('\n');
			return String(!/url\(|@import|example\.org|!important|position|:has/.test(t) &&
				[...document.adoptedStyleSheets[0].cssRules].every((r) => r.selectorText.split(', ').every((s) => s.startsWith('.rich[data-styles~="styles/chronology.css"] ')))); })()`, "true"},
	} {
		if got := eval[string](t, ctx, tc.js); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.js, got, tc.want)
		}
	}
	// The gap is 1em of the stem's text, which the sheet leaves as the page
	// sets it.
	size := style(stem, "fontSize")
	if gap := style(stem+`.querySelector('.rc-qti-layout-row')`, "columnGap"); gap != size || style(stem+`.querySelector('p.rc-note')`, "fontSize") != size {
		t.Errorf("gap %s, note's text %s; want the stem's %s", gap, style(stem+`.querySelector('p.rc-note')`, "fontSize"), size)
	}
	screenshot(t, ctx, "qti-styled-item")

	// High contrast: the page's colours win inside the item, the layout
	// stays.
	do(t, ctx, chromedp.Click(css("#contrast")))
	waitFor(t, ctx, `document.body.classList.contains('contrast')`)
	for _, tc := range []struct{ el, prop, want string }{
		{stem + `.querySelector('td.rc-late')`, "color", "rgb(255, 255, 255)"},
		{stem + `.querySelector('td.rc-late')`, "backgroundColor", "rgba(0, 0, 0, 0)"},
		{stem + `.querySelector('p.rc-note')`, "color", "rgb(255, 255, 255)"},
		{stem + `.querySelector('p.rc-note')`, "borderLeftColor", "rgb(255, 255, 255)"},
		{`document.querySelector('#options .rc-missed')`, "color", "rgb(255, 255, 255)"},
		{stem + `.querySelector('.rc-qti-layout-row')`, "display", "flex"},
		{stem + `.querySelector('td.rc-late')`, "fontWeight", "700"},
	} {
		if got := style(tc.el, tc.prop); got != tc.want {
			t.Errorf("high contrast: %s %s = %q, want %q", tc.el, tc.prop, got, tc.want)
		}
	}
	screenshot(t, ctx, "qti-styled-item-contrast")
	do(t, ctx, chromedp.Click(css("#contrast")), chromedp.Click(css("#bigger")))
	waitFor(t, ctx, `document.body.classList.contains('bigger')`)
	if got, bigger := style(stem+`.querySelector('p.rc-note')`, "fontSize"), style(stem, "fontSize"); got != bigger || got == size {
		t.Errorf("larger text: the item's paragraph is %s, the stem %s, before %s; want the stem's larger size", got, bigger, size)
	}

	requests := requested()
	sawSheet := false
	for _, u := range requests {
		if strings.Contains(u, "example.org") {
			t.Errorf("request to %s", u)
		}
		sawSheet = sawSheet || strings.HasSuffix(u, "/api/candidate/assets/styles/chronology.css")
	}
	if !sawSheet {
		t.Errorf("the stylesheet's own request was not seen among %d: the count proves nothing", len(requests))
	}
}
