package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestImportedCaseWithStylesheet sits the imported item whose stimulus
// names a stylesheet (engine/content/qti/testdata/items/styles/
// visit-notes.css): the sanitised sheet styles the case's scenario
// (computed styles) and nothing else, not the item shown with it, whose
// stem carries the same class names, nor the page's own paragraphs; an
// item's sheet (the chronology item's, whose p rule colours paragraphs)
// does not style the case; in high contrast the page's colours win in the
// case too.
func TestImportedCaseWithStylesheet(t *testing.T) {
	_, ctx := sitImported(t)
	if got := eval[string](t, ctx, `String(document.getElementById('case').hidden)`); got != "true" {
		t.Fatalf("question 1 has no case, yet the case box is shown")
	}
	do(t, ctx, chromedp.Click(css(`#qmap button.qbtn[data-pos="5"]`)))
	waitFor(t, ctx, atQuestion(6))
	box := `document.getElementById('case-text')`
	stem := `document.getElementById('item-stem')`
	waitFor(t, ctx, `!document.getElementById('case').hidden && `+box+`.querySelector('.rc-said') &&
		getComputedStyle(`+box+`.querySelector('.rc-said')).color === 'rgb(29, 79, 145)'`)

	style := func(el, prop string) string {
		t.Helper()
		return eval[string](t, ctx, `getComputedStyle(`+el+`).`+prop)
	}
	check := func(when string, tests []struct{ el, prop, want string }) {
		t.Helper()
		for _, tc := range tests {
			if got := style(tc.el, tc.prop); got != tc.want {
				t.Errorf("%s: %s %s = %q, want %q", when, tc.el, tc.prop, got, tc.want)
			}
		}
	}
	inCase := []struct{ el, prop, want string }{
		{box + `.querySelector('p.rc-visit-date')`, "fontWeight", "700"},
		{box + `.querySelector('.rc-said')`, "color", "rgb(29, 79, 145)"},
		{box + `.querySelector('.rc-said')`, "fontStyle", "italic"},
		{box + `.querySelector('p.rc-concern')`, "borderLeftWidth", "4px"},
		{box + `.querySelector('p.rc-concern')`, "borderLeftColor", "rgb(176, 0, 32)"},
		{box + `.querySelector('p.rc-concern')`, "backgroundColor", "rgb(255, 243, 243)"},
		{box + `.querySelector('p')`, "textDecorationLine", "underline"}, // the sheet's p rule, inside the case
		{box + `.querySelector('p')`, "textDecorationStyle", "dotted"},
	}
	// Outside the case: the item's stem, with the same class names, and
	// the page's own paragraphs and title.
	outside := []struct{ el, prop, want string }{
		{stem + `.querySelector('.rc-said')`, "fontStyle", "normal"},
		{stem + `.querySelector('.rc-concern')`, "borderLeftWidth", "0px"},
		{stem + `.querySelector('.rc-concern')`, "backgroundColor", "rgba(0, 0, 0, 0)"},
		{stem + `.querySelector('p')`, "textDecorationLine", "none"},
		{`document.getElementById('select-hint')`, "textDecorationLine", "none"},
		{`document.getElementById('case-title')`, "textDecorationLine", "none"},
	}
	check("the case", inCase)
	check("outside the case", outside)
	if said, stemSaid := style(box+`.querySelector('.rc-said')`, "color"), style(stem+`.querySelector('.rc-said')`, "color"); stemSaid == said {
		t.Errorf("the stem's said is %s, the case's colour", stemSaid)
	}
	for _, tc := range []struct{ js, want string }{
		// Only the case's box names the sheet: the item names none.
		{`[...document.querySelectorAll('[data-styles]')].map((e) => e.id + '=' + e.dataset.styles).join(' ')`,
			"case-text=styles/visit-notes.css"},
		{`getComputedStyle(` + box + `.querySelector('p.rc-concern'), '::before').content`, "none"},
		// One sheet adopted, every rule under the case's scope.
		{`String(document.adoptedStyleSheets.length)`, "1"},
		{`String([...document.adoptedStyleSheets[0].cssRules].every((r) =>
			r.selectorText.split(', ').every((s) => s.startsWith('.rich[data-styles~="styles/visit-notes.css"] '))))`, "true"},
	} {
		if got := eval[string](t, ctx, tc.js); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.js, got, tc.want)
		}
	}
	screenshot(t, ctx, "qti-styled-case")

	// The chronology item's sheet colours its paragraphs green; once it is
	// adopted, back on the case it styles nothing there.
	do(t, ctx, chromedp.Click(css(`#qmap button.qbtn[data-pos="4"]`)))
	waitFor(t, ctx, atQuestion(5))
	waitFor(t, ctx, `document.getElementById('case').hidden && document.adoptedStyleSheets.length === 2 &&
		getComputedStyle(`+stem+`.querySelector('p.rc-note')).color === 'rgb(0, 170, 0)'`)
	do(t, ctx, chromedp.Click(css(`#qmap button.qbtn[data-pos="5"]`)))
	waitFor(t, ctx, atQuestion(6))
	waitFor(t, ctx, `!document.getElementById('case').hidden`)
	check("after the chronology item", inCase)
	check("after the chronology item, outside the case", outside)
	for _, el := range []string{box + `.querySelector('p.rc-visit-date')`, box + `.querySelector('p.rc-concern')`} {
		if got := style(el, "color"); got == "rgb(0, 170, 0)" {
			t.Errorf("%s is coloured by the chronology item's sheet", el)
		}
	}

	// High contrast: the page's colours win inside the case, its other
	// styles stay.
	do(t, ctx, chromedp.Click(css("#contrast")))
	waitFor(t, ctx, `document.body.classList.contains('contrast')`)
	check("high contrast", []struct{ el, prop, want string }{
		{box + `.querySelector('.rc-said')`, "color", "rgb(255, 255, 255)"},
		{box + `.querySelector('p.rc-concern')`, "backgroundColor", "rgba(0, 0, 0, 0)"},
		{box + `.querySelector('p.rc-concern')`, "borderLeftColor", "rgb(255, 255, 255)"},
		{box + `.querySelector('.rc-said')`, "fontStyle", "italic"},
		{box + `.querySelector('p.rc-concern')`, "borderLeftWidth", "4px"},
	})
	screenshot(t, ctx, "qti-styled-case-contrast")
}
