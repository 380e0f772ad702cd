package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/internal/clock"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

const (
	codeOne = "TEST-ONE-7K2M"
	codeTwo = "TEST-TWO-9P4R"
)

// peer records what the engine sends to one connection.
type peer struct {
	mu     sync.Mutex
	msgs   []engine.ServerMsg
	closed int
}

func (p *peer) Send(m engine.ServerMsg) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.msgs = append(p.msgs, m)
}

func (p *peer) Close(code int, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = code
}

// last returns the last message sent, failing if none.
func (p *peer) last(t *testing.T) engine.ServerMsg {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.msgs) == 0 {
		t.Fatal("no message sent")
	}
	return p.msgs[len(p.msgs)-1]
}

func (p *peer) types() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.msgs {
		out = append(out, m.Type)
	}
	return out
}

type rig struct {
	t     *testing.T
	lib   *content.Library
	clock *clock.Fake
	path  string
	store *bolt.Store
	eng   *engine.Engine
}

func newRig(t *testing.T) *rig {
	t.Helper()
	lib := testLibrary(t)
	r := &rig{t: t, lib: lib, clock: clock.NewFake(t0), path: filepath.Join(t.TempDir(), "s.db")}
	r.open()
	t.Cleanup(func() { r.eng.Close(); r.store.Close() })
	return r
}

func (r *rig) open() {
	s, err := bolt.Open(r.path, bolt.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	seeds := uint64(41)
	r.store = s
	r.eng = engine.New(engine.Config{Library: r.lib, Store: s, Clock: r.clock, Seed: func() uint64 { seeds++; return seeds }})
	if err := r.eng.Recover(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

// restart simulates a server restart on the same store file.
func (r *rig) restart() {
	r.eng.Close()
	r.store.Close()
	r.open()
}

func (r *rig) join(code string) (*peer, string) {
	r.t.Helper()
	return joinOn(r.t, r.eng, code)
}

// joinOn joins the candidate holding code to e on a new peer; it returns
// the peer and the attempt's id.
func joinOn(t testing.TB, e *engine.Engine, code string) (*peer, string) {
	t.Helper()
	p := &peer{}
	id, err := e.Join(context.Background(), code, p)
	if err != nil {
		t.Fatalf("Join(%s): %v", code, err)
	}
	return p, id
}

func (r *rig) send(p *peer, id string, m engine.ClientMsg) engine.ServerMsg {
	r.t.Helper()
	r.eng.Handle(context.Background(), id, p, m)
	return p.last(r.t)
}

func (r *rig) release() {
	r.t.Helper()
	if err := r.eng.Release(context.Background(), "s1", "inv1"); err != nil {
		r.t.Fatal(err)
	}
}

// joinReleased joins codeOne's candidate to node join as p and releases
// sitting s1 from node release; it returns the attempt's id.
func joinReleased(t testing.TB, join, release *engine.Engine, p *peer) string {
	t.Helper()
	ctx := context.Background()
	id, err := join.Join(ctx, codeOne, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := release.Release(ctx, "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	return id
}

func attemptMsg(t *testing.T, p *peer) engine.ServerMsg {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.msgs) - 1; i >= 0; i-- {
		if p.msgs[i].Type == engine.MsgAttempt {
			return p.msgs[i]
		}
	}
	t.Fatalf("no attempt message among %d", len(p.msgs))
	return engine.ServerMsg{}
}

func TestNoItemBeforeReleaseAndNoKeyEver(t *testing.T) {
	r := newRig(t)
	p, _ := r.join(codeOne)
	if got := p.types(); !slices.Equal(got, []string{"welcome", "waiting"}) {
		t.Fatalf("before release sent %v, want welcome, waiting", got)
	}
	r.release()
	a := attemptMsg(t, p)
	if *a.RemainingMS != (30 * time.Minute).Milliseconds() {
		t.Fatalf("remaining %d ms at start, want 30 minutes", *a.RemainingMS)
	}
	b, _ := json.Marshal(p.msgs)
	if strings.Contains(string(b), `"key"`) {
		t.Fatalf("a key reached the client: %s", b)
	}
	n := 0
	for _, s := range a.Attempt.Sections {
		n += len(s.Items)
	}
	if n != 4 || a.Attempt.Cases["case1"].Text == "" {
		t.Fatalf("attempt has %d items and case %+v; want 4 items and the case text", n, a.Attempt.Cases)
	}
}

func TestAnswerAckIdempotentAndResume(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	r.release()
	steps := []struct {
		msg      engine.ClientMsg
		wantType string
		dup      bool
	}{
		{engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"a"}}, "ack", false},
		{engine.ClientMsg{Type: "answer", Seq: 2, Item: "q1", Options: []string{"b"}}, "ack", false},
		{engine.ClientMsg{Type: "answer", Seq: 2, Item: "q1", Options: []string{"b"}}, "ack", true},
		{engine.ClientMsg{Type: "answer", Seq: 3, Item: "q4", Options: []string{"a", "d"}}, "ack", false},
		{engine.ClientMsg{Type: "flag", Seq: 4, Item: "q3", Flagged: true}, "ack", false},
		{engine.ClientMsg{Type: "navigate", Seq: 5, Position: 3}, "ack", false},
	}
	for i, s := range steps {
		got := r.send(p, id, s.msg)
		if got.Type != s.wantType || got.Duplicate != s.dup || got.Seq != s.msg.Seq {
			t.Fatalf("step %d: got %+v, want %s seq %d duplicate %v", i, got, s.wantType, s.msg.Seq, s.dup)
		}
	}
	r.clock.Advance(10*time.Minute + 30*time.Second)
	r.restart()
	p2, _ := r.join(codeOne)
	a := attemptMsg(t, p2)
	want := map[string][]string{"q1": {"b"}, "q4": {"a", "d"}}
	if !mapsEqual(a.Attempt.Answers, want) || !slices.Equal(a.Attempt.Flags, []string{"q3"}) ||
		a.Attempt.Position != 3 || a.Attempt.LastSeq != 5 {
		t.Fatalf("resumed %+v; want answers %v, flag q3, position 3, last seq 5", a.Attempt, want)
	}
	if got, want := *a.RemainingMS, (19*time.Minute + 30*time.Second).Milliseconds(); got != want {
		t.Fatalf("remaining after restart %d ms, want %d", got, want)
	}
}

func mapsEqual(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestBadMessages(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	if got := r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"a"}}); got.Code != engine.CodeNotStarted {
		t.Fatalf("answer before release: %+v, want code %d", got, engine.CodeNotStarted)
	}
	r.release()
	tests := []struct {
		name string
		msg  engine.ClientMsg
		code int
	}{
		{"unknown item", engine.ClientMsg{Type: "answer", Seq: 1, Item: "zz", Options: []string{"a"}}, engine.CodeUnknownItem},
		{"unknown option", engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"z"}}, engine.CodeBadOptions},
		{"two options for a single", engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"a", "b"}}, engine.CodeBadOptions},
		{"repeated option", engine.ClientMsg{Type: "answer", Seq: 1, Item: "q4", Options: []string{"a", "a"}}, engine.CodeBadOptions},
		{"zero seq", engine.ClientMsg{Type: "answer", Item: "q1", Options: []string{"a"}}, engine.CodeBadSeq},
		{"navigate outside", engine.ClientMsg{Type: "navigate", Seq: 1, Position: 9}, engine.CodeBadPosition},
		{"submit unconfirmed", engine.ClientMsg{Type: "submit", Seq: 1}, engine.CodeNotConfirmed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.send(p, id, tc.msg); got.Type != "error" || got.Code != tc.code {
				t.Fatalf("got %+v, want error %d", got, tc.code)
			}
		})
	}
	if got := r.send(p, id, engine.ClientMsg{Type: "submit", Seq: 1, Confirm: true}); got.Type != "submitted" || got.Reason != "candidate" {
		t.Fatalf("submit: %+v", got)
	}
	if got := r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 2, Item: "q1", Options: []string{"a"}}); got.Code != engine.CodeSubmitted {
		t.Fatalf("answer after submit: %+v, want %d", got, engine.CodeSubmitted)
	}
}

func TestDeadlineSubmitsWithoutClient(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	r.release()
	r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	r.eng.Leave(id, p) // the candidate's browser is gone
	r.clock.Advance(30*time.Minute + engine.Grace)
	a, _, err := r.eng.Attempt(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonDeadline || a.Score == nil || a.Score.Raw != 1 {
		t.Fatalf("after deadline: status %s reason %s score %+v; want submitted at deadline with raw 1", a.Status, a.Reason, a.Score)
	}
	if !a.Submitted.Equal(t0.Add(30*time.Minute + engine.Grace)) {
		t.Fatalf("submitted at %v", a.Submitted)
	}
}

func TestGraceAndWarnings(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	r.release()
	r.clock.Advance(25 * time.Minute)
	if m := p.last(t); m.Type != "time" || m.Warning != "5m0s" || *m.RemainingMS != (5*time.Minute).Milliseconds() {
		t.Fatalf("at 25 min: %+v, want a 5m warning", m)
	}
	r.clock.Advance(5*time.Minute + time.Second) // one second past the deadline, within grace
	if got := r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}}); got.Type != "ack" {
		t.Fatalf("answer within grace: %+v, want ack", got)
	}
	r.clock.Advance(time.Second)
	if m := p.last(t); m.Type != "submitted" || m.Reason != engine.ReasonDeadline {
		t.Fatalf("at deadline + grace: %+v, want submitted", m)
	}
}

func TestAccommodationAndExtraTime(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeTwo)
	r.release()
	if got, want := *attemptMsg(t, p).RemainingMS, (37*time.Minute + 30*time.Second).Milliseconds(); got != want {
		t.Fatalf("remaining with +25%%: %d, want %d", got, want)
	}
	if err := r.eng.AddTime(context.Background(), id, 5*time.Minute, "inv1"); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(40 * time.Minute)
	a, _, _ := r.eng.Attempt(context.Background(), id)
	if a.Status != engine.StatusInProgress || a.Remaining(r.clock.Now()) != 2*time.Minute+30*time.Second {
		t.Fatalf("after 40 min with 5 extra: %s, %v remaining", a.Status, a.Remaining(r.clock.Now()))
	}
}

func TestTakeover(t *testing.T) {
	r := newRig(t)
	old, id := r.join(codeOne)
	r.release()
	nw, _ := r.join(codeOne)
	if m := old.last(t); m.Type != "closing" || old.closed != engine.CloseTakenOver {
		t.Fatalf("old connection got %+v, closed %d; want closing and %d", m, old.closed, engine.CloseTakenOver)
	}
	n := len(old.types())
	r.eng.Handle(context.Background(), id, old, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"a"}})
	if len(old.types()) != n {
		t.Fatal("a taken-over connection still got a reply")
	}
	if got := r.send(nw, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"a"}}); got.Type != "ack" {
		t.Fatalf("new connection: %+v", got)
	}
}

func TestLateJoinerStartsOnJoin(t *testing.T) {
	r := newRig(t)
	r.release()
	r.clock.Advance(3 * time.Minute)
	p, _ := r.join(codeOne)
	if got := *attemptMsg(t, p).RemainingMS; got != (30 * time.Minute).Milliseconds() {
		t.Fatalf("late joiner has %d ms, want the full 30 minutes from joining", got)
	}
}

func TestShuffleDeterministicPerSeed(t *testing.T) {
	r := newRig(t)
	p1, _ := r.join(codeOne)
	p2, _ := r.join(codeTwo)
	r.release()
	order := func(p *peer) string {
		var b strings.Builder
		for _, s := range attemptMsg(t, p).Attempt.Sections {
			for _, it := range s.Items {
				b.WriteString(it.ID + ":")
				for _, o := range it.Options {
					b.WriteString(o.ID)
				}
				b.WriteString(" ")
			}
		}
		return b.String()
	}
	o1, o2 := order(p1), order(p2)
	if o1 == o2 {
		t.Fatalf("two candidates with different seeds got the same order %q", o1)
	}
	r.restart()
	p3, _ := r.join(codeOne)
	if o3 := order(p3); o3 != o1 {
		t.Fatalf("order changed on resume: %q then %q", o1, o3)
	}
}

func TestDeadlinePassedWhileServerDown(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	r.release()
	r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	r.eng.Close()
	r.store.Close()
	r.clock.Advance(45 * time.Minute) // the server is down past the deadline
	r.open()                          // Recover arms the overdue deadline
	r.clock.Advance(0)
	a, _, err := r.eng.Attempt(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonDeadline || a.Score.Raw != 1 {
		t.Fatalf("after restart past the deadline: %s %s %+v", a.Status, a.Reason, a.Score)
	}
}

func TestPauseResumeVoid(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	r.release()
	ctx := context.Background()
	r.clock.Advance(10 * time.Minute)
	if err := r.eng.Pause(ctx, id, "inv1"); err != nil {
		t.Fatal(err)
	}
	if m := p.last(t); m.Type != engine.MsgPaused || *m.RemainingMS != (20*time.Minute).Milliseconds() {
		t.Fatalf("on pause: %+v", m)
	}
	if got := r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"a"}}); got.Code != engine.CodePaused {
		t.Fatalf("answer while paused: %+v", got)
	}
	r.clock.Advance(time.Hour) // paused far past the original deadline: nothing is submitted
	if err := r.eng.Resume(ctx, id, "inv1"); err != nil {
		t.Fatal(err)
	}
	if m := attemptMsg(t, p); *m.RemainingMS != (20*time.Minute).Milliseconds() || m.Attempt.Paused {
		t.Fatalf("on resume: remaining %d paused %v, want 20 minutes running", *m.RemainingMS, m.Attempt.Paused)
	}
	if got := r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"a"}}); got.Type != "ack" {
		t.Fatalf("answer after resume: %+v", got)
	}
	r.clock.Advance(19 * time.Minute)
	if err := r.eng.Void(ctx, id, "inv1"); err != nil {
		t.Fatal(err)
	}
	if m := p.last(t); m.Type != engine.MsgSubmitted || m.Reason != engine.ReasonVoided {
		t.Fatalf("on void: %+v", m)
	}
	if err := r.eng.Pause(ctx, id, "inv1"); err != engine.ErrNotInProgress {
		t.Fatalf("pause after void: %v, want ErrNotInProgress", err)
	}
}

func TestCloseStopsEveryTimer(t *testing.T) {
	r := newRig(t)
	r.join(codeOne)
	r.release()
	r.clock.Advance(2 * time.Second) // the deadline poll reads the recorded deadline and watches it
	r.eng.Close()
	if n := r.clock.Pending(); n != 0 {
		t.Fatalf("%d timers pending after Close", n)
	}
}

// auditActions returns the actions recorded in the rig's store, in order.
func auditActions(t *testing.T, s store.Store) []string {
	t.Helper()
	es, err := audit.Read(context.Background(), s, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, string(e.Entry.Action)+" "+e.Entry.Target.ID)
	}
	return out
}

// TestEngineActsAudited: a takeover and a submission at the deadline are
// recorded, by the candidate and by the system, before they are taken.
func TestEngineActsAudited(t *testing.T) {
	r := newRig(t)
	r.eng.Close()
	r.eng = engine.New(engine.Config{Library: r.lib, Store: r.store, Clock: r.clock, Audit: audit.New(r.store, r.clock)})
	first, id := r.join(codeOne)
	r.release()
	r.join(codeOne) // a second tab takes over
	if first.closed != engine.CloseTakenOver {
		t.Fatalf("first connection closed with %d", first.closed)
	}
	a, _, _ := r.eng.Attempt(context.Background(), id)
	r.clock.Advance(a.Limit + engine.Grace + time.Second)
	want := []string{"attempt.takeover " + id, "attempt.deadline_submit " + id}
	if got := auditActions(t, r.store); !slices.Equal(got, want) {
		t.Fatalf("recorded %q, want %q", got, want)
	}
	if a, _, _ := r.eng.Attempt(context.Background(), id); a.Reason != engine.ReasonDeadline {
		t.Fatalf("attempt %+v not submitted at the deadline", a)
	}
}

// noAuditStore refuses appends to the audit log only.
type noAuditStore struct{ store.Store }

func (s noAuditStore) Append(ctx context.Context, stream string, expect int64, recs ...[]byte) (int64, error) {
	if stream == audit.LogStream {
		return 0, errors.New("audit log unreachable")
	}
	return s.Store.Append(ctx, stream, expect, recs...)
}

// TestNoActWithoutRecord: when the audit entry cannot be stored, a takeover
// is refused (the first connection stays) and the deadline submission
// waits (the attempt stays in progress, tried again).
func TestNoActWithoutRecord(t *testing.T) {
	r := newRig(t)
	r.eng.Close()
	r.eng = engine.New(engine.Config{Library: r.lib, Store: r.store, Clock: r.clock, Audit: audit.New(noAuditStore{r.store}, r.clock)})
	first, id := r.join(codeOne)
	r.release()
	if _, err := r.eng.Join(context.Background(), codeOne, &peer{}); err == nil {
		t.Fatal("a takeover was taken without its record")
	}
	if first.closed != 0 {
		t.Fatalf("first connection closed with %d", first.closed)
	}
	a, _, _ := r.eng.Attempt(context.Background(), id)
	r.clock.Advance(a.Limit + engine.Grace + time.Second)
	if a, _, _ := r.eng.Attempt(context.Background(), id); a.Status != engine.StatusInProgress {
		t.Fatalf("submitted without its record: %+v", a)
	}
}
