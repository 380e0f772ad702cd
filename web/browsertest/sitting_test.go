package browsertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
)

// TestWholeSitting sits a whole test as a candidate and an invigilator
// would: the candidate joins and waits, the invigilator releases the sitting
// and adds time from the invigilator page in a second tab, the candidate
// answers every item (one of them multiple-response), flags one, uses the
// review screen and submits with confirmation. The stored attempt must hold
// every answer and the score computed from the keys.
func TestWholeSitting(t *testing.T) {
	h := newHarness(t)
	ctx := newBrowser(t)
	joinAs(t, h, ctx, codeOne)
	do(t, ctx, chromedp.WaitVisible(css("#cand-name")))
	if got := eval[string](t, ctx, `document.getElementById('cand-name').textContent`); got != "Cand One" {
		t.Fatalf("welcome names %q, want Cand One", got)
	}
	if got := eval[string](t, ctx, `document.getElementById('fact-form').textContent`); got != "Test form" {
		t.Errorf("welcome shows form %q, want Test form", got)
	}

	inv := newTab(t, ctx)
	invigilatorReleases(t, h, inv)

	waitFor(t, ctx, atQuestion(1))
	// The invigilator's extra time reaches the candidate's clock.
	do(t, inv, chromedp.Click(css(`#candidates tbody tr:first-child td:last-child button`))) // "+5 min" for Cand One
	waitFor(t, ctx, `document.getElementById('time-note-text').textContent.startsWith('Your invigilator has added time')`)
	waitFor(t, ctx, `document.getElementById('timer-value').textContent.startsWith('34:')`)

	want := answerAll(t, h, ctx)
	reviewAndSubmit(t, ctx, want.flagged)

	a := h.attempt()
	if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonCandidate {
		t.Fatalf("attempt %s (%s), want submitted by the candidate", a.Status, a.Reason)
	}
	for id, opts := range want.answers {
		got := slices.Sorted(slices.Values(a.Answers[id]))
		if !slices.Equal(got, slices.Sorted(slices.Values(opts))) {
			t.Errorf("item %s stored %v, want %v", id, a.Answers[id], opts)
		}
	}
	if len(a.Answers) != itemCount {
		t.Errorf("stored %d answers, want %d", len(a.Answers), itemCount)
	}
	if !a.Flags[want.flagged] || len(a.Flags) != 1 {
		t.Errorf("stored flags %v, want only %s", a.Flags, want.flagged)
	}
	if a.Score == nil {
		t.Fatal("no score stored with the submitted attempt")
	}
	if a.Score.Raw != want.raw || a.Score.Max != itemCount || a.Score.Answered != itemCount {
		t.Errorf("score raw %g max %g answered %d, want %g, %d, %d", a.Score.Raw, a.Score.Max, a.Score.Answered, want.raw, itemCount, itemCount)
	}

	// The invigilator sees the submission on the next poll.
	waitFor(t, inv, `document.querySelector('#candidates tbody tr:first-child').textContent.includes('submitted (candidate)')`)
	look(t, inv, "invigilator")
}

// invigilatorReleases signs in on the invigilator page, opens the sitting,
// sees the candidate waiting and connected, and releases the sitting.
func invigilatorReleases(t *testing.T, h *harness, inv context.Context) {
	t.Helper()
	// Opening the page unsigned leads to the staff sign-in, and back.
	do(t, inv,
		enterCode(h.srv.URL+"/signin?next=/invigilate", staffCode, "#signin button"),
		chromedp.WaitVisible(css("#candidates tbody tr")),
	)
	// Cand One is waiting and connected.
	row := `document.querySelector('#candidates tbody tr:first-child')`
	waitFor(t, inv, `[...`+row+`.cells].map(c => c.textContent).join('|') === 'Cand One|waiting|0 of 4|—|yes|c1|no|—|0|—|—||Check in'`)
	do(t, inv, chromedp.Click(css("#release")))
	waitFor(t, inv, `document.getElementById('state').textContent === 'Released'`)
	waitFor(t, inv, row+`.querySelector('td:last-child button') !== null`)
}

type sat struct {
	answers map[string][]string
	flagged string
	raw     float64
}

// answerAll answers every item in delivery order: the key for all but the
// first single-answer item, which gets a wrong option; it flags the second
// item and tries to choose one option too many on the multiple-response item.
func answerAll(t *testing.T, h *harness, ctx context.Context) sat {
	t.Helper()
	want := sat{answers: map[string][]string{}}
	wrongGiven := false
	for pos := range itemCount {
		waitFor(t, ctx, atQuestion(pos+1))
		id := currentItem(t, ctx)
		it := h.lib.Items[id]
		correct := it.Type == "multiple" || wrongGiven
		if !correct {
			wrongGiven = true
		} else {
			want.raw++
		}
		opts := choiceFor(it, correct)
		if it.Type == "multiple" {
			if hint := eval[string](t, ctx, `document.getElementById('select-hint').textContent`); hint != fmt.Sprintf("Choose %d answers.", it.Select) {
				t.Errorf("multiple-response hint %q", hint)
			}
			answerOn(t, ctx, opts...)
			extra := firstNotIn(it.Options, opts)
			do(t, ctx, chromedp.Click(css(`#options input[value="`+extra+`"]`)))
			waitFor(t, ctx, `document.getElementById('select-msg').textContent.startsWith('You can choose only')`)
			if n := eval[int](t, ctx, `document.querySelectorAll('#options input:checked').length`); n != it.Select {
				t.Fatalf("%d options checked on a choose-%d item", n, it.Select)
			}
		} else {
			answerOn(t, ctx, opts...)
		}
		want.answers[id] = opts
		if it.Case != "" {
			waitFor(t, ctx, `!document.getElementById('case').hidden && document.getElementById('case-text').textContent.length > 0`)
		}
		if pos == 1 {
			do(t, ctx, chromedp.Click(css("#flag")))
			waitFor(t, ctx, `document.getElementById('flag').getAttribute('aria-pressed') === 'true'`)
			want.flagged = id
			waitFor(t, ctx, allSaved)
			look(t, ctx, "question")
		}
		waitFor(t, ctx, `document.getElementById('item-saved').dataset.state === 'saved' || document.getElementById('item-saved').dataset.state === 'saving'`)
		do(t, ctx, chromedp.Click(css("#next")))
	}
	waitFor(t, ctx, onReview)
	waitFor(t, ctx, allSaved)
	return want
}

func firstNotIn(options []content.Option, chosen []string) string {
	for _, o := range options {
		if !slices.Contains(chosen, o.ID) {
			return o.ID
		}
	}
	panic("every option chosen")
}

// reviewAndSubmit checks the review screen, follows its link to the flagged
// item and back, and submits through the confirmation dialog.
func reviewAndSubmit(t *testing.T, ctx context.Context, flagged string) {
	t.Helper()
	if got := eval[string](t, ctx, `document.getElementById('unanswered-list').textContent`); got != "Every question has an answer." {
		t.Errorf("unanswered list %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#flagged-list a').length`); n != 1 {
		t.Fatalf("%d flagged links, want 1", n)
	}
	look(t, ctx, "review")
	do(t, ctx, chromedp.Click(css("#flagged-list a")))
	waitFor(t, ctx, atQuestion(2))
	if id := currentItem(t, ctx); id != flagged {
		t.Errorf("flagged link opened %s, want %s", id, flagged)
	}
	do(t, ctx, chromedp.Click(css("#to-review")))
	waitFor(t, ctx, onReview)

	// Cancel once, then confirm.
	do(t, ctx, chromedp.Click(css("#submit")), chromedp.WaitVisible(css("#confirm-cancel")))
	if txt := eval[string](t, ctx, `document.getElementById('confirm-text').textContent`); txt != "You have answered every question. 1 question is still flagged for review." {
		t.Errorf("confirmation says %q", txt)
	}
	do(t, ctx, chromedp.Click(css("#confirm-cancel")))
	waitFor(t, ctx, `!document.getElementById('confirm').open`)
	do(t, ctx, chromedp.Click(css("#submit")), chromedp.WaitVisible(css("#confirm-submit")), chromedp.Click(css("#confirm-submit")))
	waitFor(t, ctx, onSubmitted)
	if r := eval[string](t, ctx, `document.getElementById('done-text').dataset.reason`); r != "candidate" {
		t.Errorf("submitted screen gives reason %q", r)
	}
	if got := eval[string](t, ctx, `document.getElementById('submitted-title').textContent`); got != "Your test has been submitted" {
		t.Errorf("submitted screen headed %q", got)
	}
	next := eval[string](t, ctx, `document.getElementById('done-next').textContent`)
	for _, want := range []string{"held until", "releases the results", "candidate portal", "employer"} {
		if !strings.Contains(next, want) {
			t.Errorf("what happens next %q does not say %q", next, want)
		}
	}
	look(t, ctx, "submitted")
}
