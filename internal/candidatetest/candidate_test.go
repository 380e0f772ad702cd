// Package candidatetest drives the candidate's test page and the
// invigilator's page in a real headless Chromium, as people use them:
// typing, clicking, keyboard only, losing the network, running out of time.
package candidatetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/boltstore"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/internal/fakeclock"
	"github.com/accredit/accredit/internal/server"
)

type rig struct {
	t     *testing.T
	eng   *engine.Engine
	store engine.Store
	clock *fakeclock.Clock
	proxy *proxy
	ctx   context.Context // a browser tab, with a time limit
}

func newRig(t *testing.T) *rig {
	t.Helper()
	lib, err := content.LoadDir("../../engine/testdata/lib")
	if err != nil {
		t.Fatal(err)
	}
	store, err := boltstore.Open(filepath.Join(t.TempDir(), "s.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clock := fakeclock.New(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	eng := engine.New(engine.Config{Library: lib, Store: store, Clock: clock})
	if err := eng.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(server.New(server.Config{Engine: eng, Library: lib, Store: store}))
	t.Cleanup(func() { hs.Close(); eng.Close(); store.Close() })
	r := &rig{t: t, eng: eng, store: store, clock: clock, proxy: newProxy(t, hs.Listener.Addr().String())}
	browser := chromium.New(t, 1200, 900)
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	t.Cleanup(cancel)
	r.ctx = ctx
	return r
}

func (r *rig) do(steps ...chromedp.Action[chromedp.Void]) {
	r.t.Helper()
	if err := chromedp.Do(r.ctx, steps...); err != nil {
		text, _ := chromedp.Run(r.ctx, chromedp.Evaluate[string](`document.body.innerText`))
		chromium.Screenshot(r.t, r.ctx, r.t.Name()+"-failed.png")
		r.t.Fatalf("%v\npage says: %s", err, text)
	}
}

// until waits for a JavaScript condition to hold, also across a page
// navigation (which interrupts a poll in the old page).
func until(js string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			_, err := chromedp.Poll[bool](js)(ctx, t)
			if err == nil || ctx.Err() != nil || !strings.Contains(err.Error(), "-32000") {
				return chromedp.Void{}, err
			}
		}
	}
}

func visible(id string) chromedp.Action[chromedp.Void] {
	return until(fmt.Sprintf(`!document.getElementById(%q).hidden`, id))
}

func (r *rig) text(sel string) string {
	r.t.Helper()
	s, err := chromedp.Run(r.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func (r *rig) start(code string) {
	r.do(
		chromedp.Navigate(r.proxy.URL()+"/test"),
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Click(chromedp.CSS(`#start-form button`)),
		visible("screen-waiting"),
	)
}

// answerCurrent picks the first option (and the second for a "choose
// two"), and returns how many changes that made.
func (r *rig) answerCurrent() int {
	r.do(chromedp.Click(chromedp.CSS(`#options label:nth-child(1) input`)))
	multi, _ := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`document.querySelector('#options input').type === 'checkbox'`))
	if multi {
		r.do(chromedp.Click(chromedp.CSS(`#options label:nth-child(2) input`)))
		return 2
	}
	return 1
}

func (r *rig) attempt(candidate string) *engine.Attempt {
	r.t.Helper()
	a, _, err := r.eng.Attempt(context.Background(), engine.AttemptID("s1", candidate))
	if err != nil {
		r.t.Fatal(err)
	}
	return a
}

// events counts the attempt's stored events by type.
func (r *rig) events(candidate string) map[string]int {
	recs, err := r.store.Read(context.Background(), engine.AttemptID("s1", candidate), 0)
	if err != nil {
		r.t.Fatal(err)
	}
	n := map[string]int{}
	for _, rec := range recs {
		var ev struct{ T string }
		json.Unmarshal(rec, &ev)
		n[ev.T]++
	}
	return n
}

func TestWholeSittingWithInvigilator(t *testing.T) {
	r := newRig(t)
	r.start("TEST-ONE-7K2M")
	if got := r.text("#waiting-limit"); got != "30 minutes" {
		t.Fatalf("waiting screen shows time allowed %q", got)
	}

	// The invigilator releases the sitting from their own page, in a second tab.
	inv, cancel := chromedp.NewContext(r.ctx)
	defer cancel()
	err := chromedp.Do(inv,
		chromedp.Navigate(r.proxy.URL()+"/signin?next=/invigilate"),
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), "STAFF-INV-3H8W"),
		chromedp.Click(chromedp.CSS(`#signin button`)),
		until(`document.querySelector('#candidates tbody tr') !== null`),
		chromedp.Click(chromedp.CSS("#release")),
		until(`document.getElementById('state').textContent === 'Released'`),
	)
	if err != nil {
		t.Fatal(err)
	}

	r.do(visible("screen-item"))
	r.do(chromedp.Click(chromedp.CSS("#flag")), until(`document.getElementById('flag').getAttribute('aria-pressed') === 'true'`))
	for i := range 4 {
		r.answerCurrent()
		r.do(until(`document.getElementById('item-saved').textContent === 'Answer saved.'`))
		if i < 3 {
			r.do(chromedp.Click(chromedp.CSS("#next")), until(fmt.Sprintf(`document.getElementById('item-count').textContent.startsWith('Question %d of 4')`, i+2)))
		}
	}
	r.do(chromedp.Click(chromedp.CSS("#to-review")), visible("screen-review"))
	if got := r.text("#review-summary"); !strings.HasPrefix(got, "4 of 4 questions answered") || !strings.Contains(got, "1 flagged") {
		t.Fatalf("review says %q", got)
	}
	chromium.Screenshot(t, r.ctx, "candidate-review.png")
	r.do(chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#confirm-submit")))
	chromium.Screenshot(t, r.ctx, "candidate-confirm.png")
	r.do(chromedp.Click(chromedp.CSS("#confirm-submit")), visible("screen-done"))

	a := r.attempt("c1")
	if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonCandidate || len(a.Answers) != 4 || len(a.Flags) != 1 || a.Score == nil {
		t.Fatalf("stored attempt: %s %s answers %v flags %v score %+v", a.Status, a.Reason, a.Answers, a.Flags, a.Score)
	}
	// The invigilator's page shows the submission.
	if err := chromedp.Do(inv, until(`document.querySelector('#candidates tbody').textContent.includes('submitted (candidate)')`)); err != nil {
		t.Fatal(err)
	}
}

func TestReconnectLosesNothing(t *testing.T) {
	r := newRig(t)
	r.start("TEST-ONE-7K2M")
	if err := r.eng.Release(context.Background(), "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	r.do(visible("screen-item"))
	changes := r.answerCurrent()
	r.do(until(`document.getElementById('conn').textContent.includes('all answers saved')`))

	r.proxy.setDown(true) // the centre's network drops
	r.do(until(`document.getElementById('conn').textContent.startsWith('Connection lost')`))
	r.do(chromedp.Click(chromedp.CSS("#next")))
	changes += r.answerCurrent()
	r.do(chromedp.Click(chromedp.CSS("#next")))
	changes += r.answerCurrent()
	r.do(until(`document.getElementById('conn').textContent.includes('waiting')`),
		until(`document.getElementById('item-saved').textContent === 'Answer waiting to be saved…'`))
	chromium.Screenshot(t, r.ctx, "candidate-offline.png")
	if n := len(r.attempt("c1").Answers); n != 1 {
		t.Fatalf("while offline the store holds %d answers, want 1", n)
	}

	r.proxy.setDown(false)
	r.do(until(`document.getElementById('conn').textContent.includes('all answers saved')`))
	a := r.attempt("c1")
	if len(a.Answers) != 3 {
		t.Fatalf("after reconnecting the store holds %d answers, want 3: %v", len(a.Answers), a.Answers)
	}
	// Every change, made online or offline, was stored exactly once.
	if ev := r.events("c1"); ev["answer"] != changes || ev["navigate"] != 2 {
		t.Fatalf("stored %d answer and %d navigate events; the candidate made %d answer changes and 2 moves", ev["answer"], ev["navigate"], changes)
	}
	if a.LastSeq == 0 {
		t.Fatal("no sequence numbers stored")
	}
}

func TestDeadlineSubmitsOpenPage(t *testing.T) {
	r := newRig(t)
	r.start("TEST-TWO-9P4R") // +25%: 37.5 minutes
	if err := r.eng.Release(context.Background(), "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	r.do(visible("screen-item"))
	r.answerCurrent()
	r.do(until(`document.getElementById('conn').textContent.includes('all answers saved')`))
	r.clock.Advance(37*time.Minute + 30*time.Second + engine.Grace)
	r.do(visible("screen-done"))
	if got := r.text("#done-text"); !strings.Contains(got, "Time ran out") {
		t.Fatalf("done screen says %q", got)
	}
	a := r.attempt("c2")
	if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonDeadline || len(a.Answers) != 1 {
		t.Fatalf("stored attempt: %s %s %v", a.Status, a.Reason, a.Answers)
	}
}

// TestKeyboardOnly sits part of the test with key presses alone, and uses
// the larger-text and high-contrast switches.
func TestKeyboardOnly(t *testing.T) {
	r := newRig(t)
	r.do(chromedp.Navigate(r.proxy.URL()+"/test"), chromedp.WaitVisible(chromedp.CSS("#code")))
	tabTo := func(js string) {
		for range 40 {
			ok, _ := chromedp.Run(r.ctx, chromedp.Evaluate[bool](js))
			if ok {
				return
			}
			r.do(chromedp.KeyEvent("\t"))
		}
		t.Fatalf("Tab never reached %s", js)
	}
	tabTo(`document.activeElement.id === 'contrast'`)
	r.do(chromedp.KeyEvent("\r"), until(`document.body.classList.contains('contrast')`))
	tabTo(`document.activeElement.id === 'bigger'`)
	r.do(chromedp.KeyEvent(" "), until(`document.body.classList.contains('bigger')`))
	tabTo(`document.activeElement.id === 'code'`)
	r.do(chromedp.KeyEvent("TEST-ONE-7K2M\r"), visible("screen-waiting"))
	if err := r.eng.Release(context.Background(), "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	r.do(visible("screen-item"))
	tabTo(`document.activeElement.name === 'opt'`)
	r.do(chromedp.KeyEvent(" "), until(`document.getElementById('item-saved').textContent === 'Answer saved.'`))
	tabTo(`document.activeElement.id === 'next'`)
	r.do(chromedp.KeyEvent("\r"), until(`document.getElementById('item-count').textContent.startsWith('Question 2 of 4')`))
	chromium.Screenshot(t, r.ctx, "candidate-keyboard-contrast.png")
	if n := len(r.attempt("c1").Answers); n != 1 {
		t.Fatalf("stored %d answers after one keyboard answer", n)
	}
}
