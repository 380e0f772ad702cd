package browsertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web/webtest"
)

// TestImportedItemWithImage sits a test imported from QTI: the candidate
// sees the first item's rich body (emphasis, a table, MathML) and its
// image, fetched with their access code and shown; nothing the QTI file
// held outside the subset (its script, the event attribute, the link)
// reaches the page; the item with a choice range says so, lets the
// candidate tick up to its maximum and keeps its fixed choice last; the
// submitted attempt is scored with the items' partial credit.
func TestImportedItemWithImage(t *testing.T) {
	n, ctx := sitImported(t)

	stem := `document.getElementById('item-stem')`
	waitFor(t, ctx, stem+`.querySelector('img') && `+stem+`.querySelector('img').complete && `+stem+`.querySelector('img').naturalWidth === 24`)
	img := eval[map[string]any](t, ctx, `(() => { const i = `+stem+`.querySelector('img');
		return {src: i.src, alt: i.alt, width: i.width, asset: i.dataset.asset, h: i.naturalHeight}; })()`)
	if fmt.Sprint(img["src"])[:5] != "blob:" || img["alt"] != "Genogram of the Okafor household" || img["asset"] != "img/genogram-small.png" ||
		img["width"] != float64(240) || img["h"] != float64(16) {
		t.Errorf("image %v", img)
	}
	for _, tc := range []struct{ js, want string }{
		{stem + `.querySelector('strong').textContent`, "Okafor"},
		{stem + `.querySelector('td[colspan="2"]').textContent`, "School nurse: none recorded"},
		{stem + `.querySelector('math mfrac').textContent`, "13"},
		{`document.querySelector('#options label:first-child em').textContent`, "thriving"},
		{`String(document.querySelectorAll('#item-view script, #item-view a, #item-view [onclick], #item-view [style*="url"]').length)`, "0"},
		{`String(` + stem + `.innerHTML.includes('steal'))`, "false"},
		{`document.getElementById('select-hint').textContent`, "Choose one answer."},
	} {
		if got := eval[string](t, ctx, tc.js); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.js, got, tc.want)
		}
	}
	screenshot(t, ctx, "qti-rich-item")
	answerOn(t, ctx, "b")

	// The second item chooses 2 to 3 of five, "None of these" fixed last.
	clickNext(t, ctx, 2)
	if got := eval[string](t, ctx, `document.getElementById('select-hint').textContent`); got != "Choose from 2 to 3 answers." {
		t.Errorf("hint %q", got)
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll('#options input')].at(-1).value`); got != "e" {
		t.Errorf("last option %q, want the fixed e", got)
	}
	answerOn(t, ctx, "a", "b", "c")
	do(t, ctx, chromedp.Click(css(`#options input[value="d"]`)))
	waitFor(t, ctx, `document.getElementById('select-msg').textContent.startsWith('You can choose only 3 answers')`)

	// Submitted with four items unanswered, the attempt scores by the
	// items' own processing: 1 for the key of the first, 1 + 1 - 1 for
	// {a, b, c} on the second; the maximum sums 1, 2, 2, 2, 1 and 1.
	do(t, ctx, chromedp.Click(css("#to-review")))
	waitFor(t, ctx, onReview)
	do(t, ctx, chromedp.Click(css("#submit")), chromedp.WaitVisible(css("#confirm-submit")), chromedp.Click(css("#confirm-submit")))
	waitFor(t, ctx, onSubmitted)
	a, _, err := n.Engine.Attempt(context.Background(), engine.AttemptID("qs1", "q1"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Score == nil || a.Score.Raw != 2 || a.Score.Max != 9 || a.Score.Items["range-map"] != 1 || a.Score.Items["rich-body"] != 1 {
		t.Errorf("score %+v, want raw 2 of 9", a.Score)
	}
}

// sitImported serves the test imported from QTI (webtest.QTILibrary) and
// has its candidate join and the sitting released: the page is at
// question 1.
func sitImported(t *testing.T) (*webtest.Node, context.Context) {
	t.Helper()
	n := webtest.NewNode(t, webtest.Options{
		Library: webtest.QTILibrary(t),
		Engine:  engine.Config{Clock: clock.NewFake(start), Seed: func() uint64 { return 7 }},
	})
	ctx := newBrowser(t)
	do(t, ctx, enterCode(n.HTTP.URL+"/test", webtest.QTICandidateCode, "#start"))
	waitFor(t, ctx, onWaiting)
	if err := n.Engine.Release(context.Background(), "qs1", "inv1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, atQuestion(1))
	return n, ctx
}
