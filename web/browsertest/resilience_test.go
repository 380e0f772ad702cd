package browsertest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
)

// TestReconnectMidTest cuts the network twice. The first time the
// candidate keeps answering and the page reconnects by itself; the second
// time the browser also leaves the page before the network returns, so the
// waiting answers must come from localStorage. Every answer must be stored
// exactly once, in sequence order.
func TestReconnectMidTest(t *testing.T) {
	h, ctx := startSitting(t)
	changes := answerFirst(t, h, ctx)
	waitFor(t, ctx, allSaved)

	h.networkDown()
	waitFor(t, ctx, offline)
	clickNext(t, ctx, 2)
	changes += answerFirst(t, h, ctx)
	waitFor(t, ctx, `document.getElementById('item-saved').textContent === 'Answer waiting to be saved…'`)
	waitFor(t, ctx, `document.getElementById('offline-saved').textContent === 'Saved on the server: question 1.'`)
	waitFor(t, ctx, `document.getElementById('offline-waiting').textContent.startsWith('Waiting to be sent: question 2.')`)
	waitFor(t, ctx, `document.querySelectorAll('#qmap button.waiting').length === 1`)
	look(t, ctx, "offline")
	if n := len(h.attempt().Answers); n != 1 {
		t.Fatalf("while offline the store holds %d answers, want 1", n)
	}
	h.networkUp()
	waitFor(t, ctx, allSaved)
	waitFor(t, ctx, `document.getElementById('offline').hidden && document.querySelectorAll('#qmap button.waiting').length === 0`)

	// Second cut: answer the rest offline, then reload the page.
	h.networkDown()
	waitFor(t, ctx, offline)
	for q := 3; q <= itemCount; q++ {
		clickNext(t, ctx, q)
		changes += answerFirst(t, h, ctx)
	}
	waitFor(t, ctx, `document.getElementById('offline-waiting').textContent.startsWith('Waiting to be sent: questions 3 and 4.')`)
	stored := eval[int](t, ctx, `JSON.parse(localStorage.getItem('accredit:outbox:`+codeOne+`')).msgs.filter(m => m.type === 'answer').length`)
	if stored == 0 {
		t.Fatal("no waiting answer kept in localStorage")
	}
	// The browser leaves the page while offline (as if it crashed), and the
	// candidate opens it again once the network is back.
	do(t, ctx, chromedp.Navigate("about:blank"))
	h.networkUp()
	do(t, ctx, chromedp.Navigate(h.srv.URL+"/test"))
	waitFor(t, ctx, atQuestion(itemCount))
	waitFor(t, ctx, allSaved)

	a := h.attempt()
	if len(a.Answers) != itemCount {
		t.Fatalf("stored %d answers, want %d: %v", len(a.Answers), itemCount, a.Answers)
	}
	answers, seqs := storedEvents(t, h)
	if answers != changes {
		t.Errorf("stored %d answer events; the candidate made %d answer changes", answers, changes)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("stored seqs not increasing: %v", seqs)
		}
	}
}

// answerFirst chooses the first option (and the second on a multiple-
// response item) by clicking, and returns the number of changes made.
func answerFirst(t *testing.T, h *harness, ctx context.Context) int {
	t.Helper()
	it := h.lib.Items[currentItem(t, ctx)]
	opts := []string{it.Options[0].ID}
	if it.Type == "multiple" {
		opts = append(opts, it.Options[1].ID)
	}
	answerOn(t, ctx, opts...)
	return len(opts)
}

// storedEvents counts the stored answer events of c1's attempt and lists
// the sequence numbers of every stored client message.
func storedEvents(t *testing.T, h *harness) (answers int, seqs []uint64) {
	t.Helper()
	recs, err := h.store.Read(context.Background(), engine.AttemptID(sittingID, "c1"), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		var ev struct {
			T   string `json:"t"`
			Seq uint64 `json:"seq"`
		}
		if err := json.Unmarshal(r, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.T == "answer" {
			answers++
		}
		if ev.Seq > 0 {
			seqs = append(seqs, ev.Seq)
		}
	}
	return answers, seqs
}

// TestDeadlineSubmits runs the fake clock to the time limit while the page
// is open: the page warns at five minutes, then shows the submitted screen,
// and the stored attempt is submitted by the deadline.
func TestDeadlineSubmits(t *testing.T) {
	h, ctx := startSitting(t)
	answerFirst(t, h, ctx)
	waitFor(t, ctx, allSaved)

	h.clock.Advance(timeLimit - 5*time.Minute)
	waitFor(t, ctx, `document.getElementById('announce').textContent === '5 minutes left.'`)
	waitFor(t, ctx, `!document.getElementById('time-note').hidden && document.getElementById('timer').classList.contains('warn')`)
	if v := eval[string](t, ctx, `document.getElementById('timer-value').textContent`); v > "5:00" || v < "4:5" {
		t.Errorf("timer shows %s five minutes before the deadline", v)
	}
	look(t, ctx, "five-minutes")

	h.clock.Advance(5*time.Minute + engine.Grace)
	waitFor(t, ctx, onSubmitted)
	if r := eval[string](t, ctx, `document.getElementById('done-text').dataset.reason`); r != engine.ReasonDeadline {
		t.Errorf("submitted screen gives reason %q", r)
	}
	a := h.attempt()
	if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonDeadline {
		t.Fatalf("attempt %s (%s), want submitted at the deadline", a.Status, a.Reason)
	}
	if len(a.Answers) != 1 || a.Score == nil {
		t.Fatalf("stored answers %v score %v", a.Answers, a.Score)
	}
	if want := start.Add(timeLimit + engine.Grace); !a.Submitted.Equal(want) {
		t.Errorf("submitted at %v, want %v", a.Submitted, want)
	}
}

// TestTakenOver opens the same test in a second tab: the first tab is told
// that the test moved and stays stopped (it does not reconnect and take the
// test back), while the second carries on with the stored answers.
func TestTakenOver(t *testing.T) {
	h, first := startSitting(t)
	answerFirst(t, h, first)
	waitFor(t, first, allSaved)

	second := newTab(t, first)
	do(t, second, enterCode(h.srv.URL+"/test", codeOne, "#start"))
	waitFor(t, second, atQuestion(1))
	waitFor(t, first, `!document.getElementById('screen-stopped').hidden && document.getElementById('stopped-text').textContent.includes('opened in another window')`)
	waitFor(t, second, `document.getElementById('item-saved').textContent === 'Answer saved.'`)

	// The second tab keeps the live connection: an answer from it is acknowledged.
	clickNext(t, second, 2)
	answerFirst(t, h, second)
	waitFor(t, second, allSaved)
	if n := len(h.attempt().Answers); n != 2 {
		t.Fatalf("stored %d answers, want 2", n)
	}
	if s := eval[string](t, first, `document.getElementById('conn').dataset.state`); s != "stopped" {
		t.Errorf("the first tab's connection is %q, want stopped", s)
	}
}
