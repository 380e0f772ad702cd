package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
)

// faultyStore wraps the harness store: it can fail the next appends whose
// records contain a string, or hold every append until released.
type faultyStore struct {
	store.Store

	mu    sync.Mutex
	fails int    // appends left to fail
	match string // only appends containing this fail
	stall chan struct{}
}

var errInjected = errors.New("injected store failure")

func (f *faultyStore) Append(ctx context.Context, stream string, expect int64, records ...[]byte) (int64, error) {
	f.mu.Lock()
	stall := f.stall
	fail := false
	if f.fails > 0 && (f.match == "" || slices.ContainsFunc(records, func(r []byte) bool { return strings.Contains(string(r), f.match) })) {
		f.fails--
		fail = true
	}
	f.mu.Unlock()
	if stall != nil {
		<-stall
	}
	if fail {
		return 0, errInjected
	}
	return f.Store.Append(ctx, stream, expect, records...)
}

// failNext makes the next n appends containing match fail.
func (f *faultyStore) failNext(n int, match string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails, f.match = n, match
}

// hold makes every append wait until the returned function is called.
func (f *faultyStore) hold() (release func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	f.stall = ch
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			f.stall = nil
			f.mu.Unlock()
			close(ch)
		})
	}
}

func newFaultyHarness(t *testing.T) (*harness, *faultyStore) {
	t.Helper()
	var fs *faultyStore
	h := newHarnessWith(t, func(s store.Store) store.Store {
		fs = &faultyStore{Store: s}
		return fs
	})
	return h, fs
}

// storedChange is one client change stored in c1's attempt.
type storedChange struct {
	T       string   `json:"t"`
	Seq     uint64   `json:"seq"`
	Item    string   `json:"item"`
	Options []string `json:"options"`
}

func storedChanges(t *testing.T, h *harness) []storedChange {
	t.Helper()
	recs, err := h.store.Read(context.Background(), engine.AttemptID(sittingID, "c1"), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []storedChange
	for _, r := range recs {
		var c storedChange
		if err := json.Unmarshal(r, &c); err != nil {
			t.Fatal(err)
		}
		if c.Seq > 0 {
			out = append(out, c)
		}
	}
	return out
}

// outboxSeqs lists the seqs of the changes waiting in the page's outbox.
func outboxSeqs(t *testing.T, ctx context.Context) []uint64 {
	t.Helper()
	return eval[[]uint64](t, ctx, `(JSON.parse(localStorage.getItem('accredit:outbox:`+codeOne+`')) || {msgs: []}).msgs.map(m => m.seq)`)
}

// TestResendKeepsSeqs cuts the network while answers are on their way and
// unacknowledged (the store holds them), then answers more offline. Once
// the network is back the page sends every waiting change again with the
// seq it was given, and the store holds each exactly once.
func TestResendKeepsSeqs(t *testing.T) {
	h, fs := newFaultyHarness(t)
	ctx := sitFirstQuestion(t, h)
	answerFirst(t, h, ctx)
	waitFor(t, ctx, allSaved)
	before := len(storedChanges(t, h))

	// The store stalls: the next answers are sent, and none is acknowledged.
	releaseStore := fs.hold()
	t.Cleanup(releaseStore)
	for q := 2; q <= 3; q++ {
		clickNext(t, ctx, q)
		answerFirst(t, h, ctx)
	}
	waitFor(t, ctx, `document.getElementById('conn-text').textContent === 'Connected · saving…'`)
	sent := outboxSeqs(t, ctx)
	if len(sent) < 4 {
		t.Fatalf("outbox holds seqs %v, want at least two answers and two moves", sent)
	}

	// The network fails with the changes unacknowledged; the stalled one is
	// stored after all, its ack lost with the connection.
	h.networkDown()
	waitFor(t, ctx, offline)
	releaseStore()
	clickNext(t, ctx, 4)
	answerFirst(t, h, ctx)
	waiting := outboxSeqs(t, ctx)
	if len(waiting) <= len(sent) || !slices.Equal(waiting[:len(sent)], sent) {
		t.Fatalf("offline the outbox holds %v, which does not begin with the unacknowledged %v", waiting, sent)
	}
	for i := 1; i < len(waiting); i++ {
		if waiting[i] != waiting[i-1]+1 {
			t.Fatalf("waiting seqs %v are not consecutive", waiting)
		}
	}

	h.networkUp()
	waitFor(t, ctx, allSaved)
	changes := storedChanges(t, h)[before:]
	var got []uint64
	for _, c := range changes {
		got = append(got, c.Seq)
	}
	if !slices.Equal(got, waiting) {
		t.Fatalf("stored seqs %v, want each waiting change once with its own seq: %v", got, waiting)
	}
	if n := len(h.attempt().Answers); n != itemCount {
		t.Errorf("stored %d answers, want %d", n, itemCount)
	}
	if n := len(outboxSeqs(t, ctx)); n != 0 {
		t.Errorf("%d changes left in the outbox", n)
	}
}

// answerRefusedTwice sits c1 up to the first question with a store that
// fails the next two answers, and answers that question with its first
// option; it returns the harness, the page and the question's item.
func answerRefusedTwice(t *testing.T) (*harness, context.Context, *content.Item) {
	t.Helper()
	h, fs := newFaultyHarness(t)
	ctx := sitFirstQuestion(t, h)
	it := h.lib.Items[currentItem(t, ctx)]
	fs.failNext(2, `"t":"answer"`)
	watchSaveStatus(t, ctx)
	answerOn(t, ctx, it.Options[0].ID)
	return h, ctx, it
}

// watchSaveStatus records, in the page, every text the question's save
// status is given, so that a notice shown only for the pause before a
// re-send is seen however late the test polls.
func watchSaveStatus(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `(() => {
		window.saveSaid = [];
		new MutationObserver((rs) => rs.forEach((r) => r.addedNodes.forEach((n) => window.saveSaid.push(n.textContent))))
			.observe(document.getElementById('item-saved'), {childList: true});
		return true;
	})()`)
}

// sawStoreNotice holds once the save status, watched by watchSaveStatus,
// has said that the store failed the last change.
const sawStoreNotice = `window.saveSaid.some((s) => s.startsWith('The server could not save your last change.'))`

// TestStoreFailureResendsSameSeq makes the store fail an answer twice: the
// page says so, sends it again with the same seq after a pause, and the
// store holds it once.
func TestStoreFailureResendsSameSeq(t *testing.T) {
	h, ctx, it := answerRefusedTwice(t)
	seqs := outboxSeqs(t, ctx)
	if len(seqs) != 1 {
		t.Fatalf("outbox holds %v, want the one answer", seqs)
	}
	waitFor(t, ctx, sawStoreNotice)
	waitFor(t, ctx, allSaved)
	waitFor(t, ctx, `document.getElementById('item-saved').textContent === 'Answer saved.'`)

	changes := storedChanges(t, h)
	if len(changes) != 1 || changes[0].Seq != seqs[0] || changes[0].Item != it.ID {
		t.Fatalf("stored %+v, want the answer to %s once with seq %d", changes, it.ID, seqs[0])
	}
}

// TestStoreFailureSuperseded makes the store fail an answer once, and the
// candidate changes the same answer before it is sent again: the newer
// answer is stored, and the older one, sent again with its old seq and
// refused as never stored, is dropped rather than stored over it.
func TestStoreFailureSuperseded(t *testing.T) {
	h, fs := newFaultyHarness(t)
	ctx := sitFirstQuestion(t, h)

	it := h.lib.Items[currentItem(t, ctx)]
	if it.Type != "single" {
		t.Fatalf("the first item is %s, want single", it.Type)
	}
	first, second := it.Options[0].ID, it.Options[1].ID
	fs.failNext(1, fmt.Sprintf(`"options":[%q]`, first))
	watchSaveStatus(t, ctx)
	answerOn(t, ctx, first)
	answerOn(t, ctx, second)
	// The failed answer is held for a pause, then sent again with its old
	// seq and refused: the page's notice of the failure lasts until then,
	// and all is saved only after it.
	waitFor(t, ctx, sawStoreNotice)
	waitFor(t, ctx, `document.getElementById('item-saved').textContent === 'Answer saved.'`)
	waitFor(t, ctx, allSaved)
	waitFor(t, ctx, fmt.Sprintf(`document.querySelector('#options input:checked') && document.querySelector('#options input:checked').value === %q`, second))

	changes := storedChanges(t, h)
	if len(changes) != 1 || !slices.Equal(changes[0].Options, []string{second}) {
		t.Fatalf("stored %+v, want only the newer answer %s", changes, second)
	}
	if got := h.attempt().Answers[it.ID]; !slices.Equal(got, []string{second}) {
		t.Fatalf("stored answer %v, want %s", got, second)
	}
}

// TestStoreFailureThenCut makes the store fail an answer, stores the move
// after it, and cuts the network before the answer is sent again: after the
// reconnect the answer, sent with its old seq, is refused as never stored
// (a later change was), so the page numbers it again and it is stored,
// once, after the move.
func TestStoreFailureThenCut(t *testing.T) {
	h, ctx, it := answerRefusedTwice(t)
	failed := outboxSeqs(t, ctx)
	clickNext(t, ctx, 2)
	waitFor(t, ctx, fmt.Sprintf(`(JSON.parse(localStorage.getItem('accredit:outbox:%s')) || {msgs: []}).msgs.length === 1`, codeOne))
	h.networkDown()
	waitFor(t, ctx, offline)
	if got := outboxSeqs(t, ctx); !slices.Equal(got, failed) {
		t.Fatalf("outbox holds %v, want the failed answer %v", got, failed)
	}
	h.networkUp()
	waitFor(t, ctx, allSaved)

	changes := storedChanges(t, h)
	if len(changes) != 2 || changes[0].T != "navigate" || changes[1].T != "answer" || changes[1].Item != it.ID {
		t.Fatalf("stored %+v, want the move, then the answer to %s", changes, it.ID)
	}
	if changes[1].Seq <= changes[0].Seq {
		t.Errorf("the answer was stored with seq %d, not after the move's %d", changes[1].Seq, changes[0].Seq)
	}
	if got := h.attempt().Answers[it.ID]; !slices.Equal(got, []string{it.Options[0].ID}) {
		t.Fatalf("stored answer %v, want %s", got, it.Options[0].ID)
	}
}

// TestReconnectToSubmitted cuts the network, lets the deadline submit the
// attempt meanwhile and makes a change offline. When the network is back
// the page shows the end screen and no question to change, and the change
// made offline is not stored; a new tab joining with the code sees the
// same.
func TestReconnectToSubmitted(t *testing.T) {
	h := newHarness(t)
	ctx := sitFirstQuestion(t, h)
	answerFirst(t, h, ctx)
	waitFor(t, ctx, allSaved)

	h.networkDown()
	waitFor(t, ctx, offline)
	h.clock.Advance(timeLimit + engine.Grace) // runs the deadline's timer, which stores the submission
	if st := h.attempt().Status; st != engine.StatusSubmitted {
		t.Fatalf("attempt %s after the deadline, want %s", st, engine.StatusSubmitted)
	}
	clickNext(t, ctx, 2)
	answerFirst(t, h, ctx)

	h.networkUp()
	endedAtDeadline(t, ctx)
	look(t, ctx, "reconnect-submitted")
	if n := len(storedChanges(t, h)); n != 1 {
		t.Errorf("stored %d changes, want the one answer made before the cut", n)
	}
	if n := len(outboxSeqs(t, ctx)); n != 0 {
		t.Errorf("%d changes left in the outbox", n)
	}

	second := newTab(t, ctx)
	do(t, second, enterCode(h.srv.URL+"/test", codeOne, "#start"))
	endedAtDeadline(t, second)
	look(t, second, "join-submitted")
	if n := len(storedChanges(t, h)); n != 1 {
		t.Errorf("stored %d changes after joining again, want 1", n)
	}
}

// endedAtDeadline waits for the end screen of an attempt submitted at its
// deadline and checks that the page shows no question and nothing to
// change.
func endedAtDeadline(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, onSubmitted)
	waitFor(t, ctx, `document.getElementById('done-text').dataset.reason === 'deadline'`)
	if eval[bool](t, ctx, `!document.getElementById('screen-item').hidden`) {
		t.Fatal("a question screen is shown")
	}
	// Every input that can change the attempt sits in a hidden screen.
	n := eval[int](t, ctx, `[...document.querySelectorAll('#options input, #flag, #clear, #submit, #next, #prev')].filter(e => e.checkVisibility()).length`)
	if n != 0 {
		t.Fatalf("%d controls that change the attempt are visible", n)
	}
}
