package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

var t0 = time.Date(2018, 6, 4, 9, 0, 0, 0, time.UTC)

// keys is one key pair for the whole test binary.
var signerKey, verifierKey = func() (string, string) {
	s, v, err := audit.GenerateKey("accredit.test/audit")
	if err != nil {
		panic(err)
	}
	return s, v
}()

func entry(i int) audit.Entry {
	return audit.Entry{
		Actor:  audit.Actor{Kind: audit.ActorStaff, ID: "inv-7", Role: "invigilator"},
		Action: audit.AttemptPause,
		Target: audit.Target{Kind: audit.TargetAttempt, ID: fmt.Sprintf("leeds-0618/c%04d", i)},
		Reason: "fire alarm",
		Before: json.RawMessage(`{"state":"running"}`),
		After:  json.RawMessage(`{"state":"paused"}`),
	}
}

// rig is a log and a checkpointer on one store, driven by a fake clock.
type rig struct {
	s   store.Store
	clk *clock.Fake
	log *audit.Log
	cp  *audit.Checkpointer
}

func newRig(t testing.TB, s store.Store) *rig {
	t.Helper()
	clk := clock.NewFake(t0)
	cp, err := audit.NewCheckpointer(s, signerKey, audit.CheckpointerOptions{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cp.Close(context.Background()) })
	return &rig{s: s, clk: clk, log: audit.New(s, clk), cp: cp}
}

func (r *rig) append(t testing.TB, n int) {
	t.Helper()
	for i := range n {
		if _, err := r.log.Append(context.Background(), entry(i)); err != nil {
			t.Fatal(err)
		}
	}
}

func checkpoints(t testing.TB, s store.Store) []audit.Checkpoint {
	t.Helper()
	recs, err := s.Read(context.Background(), audit.CheckpointStream, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Checkpoint
	for _, b := range recs {
		var r struct{ Note string }
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		cp, err := audit.ParseCheckpoint(r.Note[:strings.LastIndex(r.Note, "\n\n")+1])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cp)
	}
	return out
}

func sizes(cps []audit.Checkpoint) []int64 {
	out := make([]int64, len(cps))
	for i, c := range cps {
		out[i] = c.Size
	}
	return out
}

func TestAppendIndexAndStamp(t *testing.T) {
	s := newMem()
	clk := clock.NewFake(t0)
	l := audit.New(s, clk)
	for want := range int64(3) {
		i, err := l.Append(context.Background(), entry(int(want)))
		if err != nil || i != want {
			t.Fatalf("Append = %d, %v; want %d", i, err, want)
		}
		clk.Advance(time.Second)
	}
	recs, _ := s.Read(context.Background(), audit.LogStream, 0)
	var e audit.Entry
	if err := json.Unmarshal(recs[2], &e); err != nil {
		t.Fatal(err)
	}
	if e.V != audit.Version || !e.Time.Equal(t0.Add(2*time.Second)) || e.Action != audit.AttemptPause {
		t.Errorf("stored %+v", e)
	}
}

func TestAppendRefusesInvalid(t *testing.T) {
	staff := audit.Actor{Kind: audit.ActorStaff, ID: "s1", Role: "admin"}
	sitting := audit.Target{Kind: audit.TargetSitting, ID: "x"}
	one := int64(1)
	for name, e := range map[string]audit.Entry{
		"unknown action":     {Actor: staff, Action: "attempt.delete", Target: sitting},
		"no actor id":        {Actor: audit.Actor{Kind: audit.ActorCandidate}, Action: audit.AttemptEnd, Target: sitting},
		"staff without role": {Actor: audit.Actor{Kind: audit.ActorStaff, ID: "s1"}, Action: audit.SittingRelease, Target: sitting},
		"actor kind":         {Actor: audit.Actor{Kind: "robot", ID: "r"}, Action: audit.SittingRelease, Target: sitting},
		"target kind":        {Actor: staff, Action: audit.SittingRelease, Target: audit.Target{Kind: "room", ID: "1"}},
		"no target id":       {Actor: staff, Action: audit.SittingRelease, Target: audit.Target{Kind: audit.TargetSitting}},
		"state not JSON":     {Actor: staff, Action: audit.SittingRelease, Target: sitting, After: json.RawMessage(`{`)},
		"state too big":      {Actor: staff, Action: audit.SittingRelease, Target: sitting, After: json.RawMessage(`"` + string(make([]byte, audit.MaxState)) + `"`)},
		"aborts on action":   {Actor: staff, Action: audit.SittingRelease, Target: sitting, Aborts: &one},
		"aborted no index":   {Actor: staff, Action: audit.SittingRelease.Aborted(), Target: sitting},
	} {
		s := newMem()
		_, err := audit.New(s, nil).Append(context.Background(), e)
		if !errors.Is(err, audit.ErrInvalidEntry) {
			t.Errorf("%s: %v, want ErrInvalidEntry", name, err)
		}
		if recs, _ := s.Read(context.Background(), audit.LogStream, 0); len(recs) != 0 {
			t.Errorf("%s: stored %d entries", name, len(recs))
		}
	}
}

// TestAppendFails: an entry the store refuses is an error (the caller
// refuses the action) and leaves nothing behind; so does a cancelled
// context. The log still verifies.
func TestAppendFails(t *testing.T) {
	s := newMem()
	r := newRig(t, s)
	r.append(t, 3)
	down := errors.New("disk gone")
	s.fail = func(string) error { return down }
	if _, err := r.log.Append(context.Background(), entry(9)); !errors.Is(err, down) {
		t.Fatalf("Append on a failing store: %v", err)
	}
	s.fail = nil
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.log.Append(ctx, entry(9)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Append cancelled: %v", err)
	}
	r.clk.Advance(audit.DefaultInterval)
	rep, err := audit.Verify(context.Background(), s, verifierKey)
	if err != nil || rep.Entries != 3 || rep.Latest.Size != 3 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

func TestAbort(t *testing.T) {
	s := newMem()
	l := audit.New(s, nil)
	e := entry(1)
	i, _ := l.Append(context.Background(), e)
	j, err := l.Abort(context.Background(), i, e, "store refused the pause")
	if err != nil || j != i+1 {
		t.Fatalf("Abort = %d, %v", j, err)
	}
	recs, _ := s.Read(context.Background(), audit.LogStream, j)
	var got audit.Entry
	json.Unmarshal(recs[0], &got)
	if got.Action != "attempt.pause.aborted" || got.Aborts == nil || *got.Aborts != i || got.Target != e.Target {
		t.Errorf("abort entry %+v", got)
	}
}

// TestCheckpointer: a checkpoint every interval while entries arrive,
// nothing when nothing arrived, one more on Close; sizes never decrease.
func TestCheckpointer(t *testing.T) {
	s := newMem()
	r := newRig(t, s)
	r.append(t, 5)
	r.clk.Advance(audit.DefaultInterval)
	r.clk.Advance(audit.DefaultInterval) // nothing new
	r.append(t, 2)
	r.clk.Advance(audit.DefaultInterval - time.Millisecond) // not yet due
	if got := sizes(checkpoints(t, s)); fmt.Sprint(got) != "[5]" {
		t.Fatalf("sizes %v, want [5]", got)
	}
	r.clk.Advance(time.Millisecond)
	r.append(t, 1)
	if err := r.cp.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := sizes(checkpoints(t, s)); fmt.Sprint(got) != "[5 7 8]" {
		t.Fatalf("sizes %v, want [5 7 8]", got)
	}
	if r.clk.Pending() != 0 {
		t.Errorf("%d timers left after Close", r.clk.Pending())
	}
	rep, err := audit.Verify(context.Background(), s, verifierKey)
	if err != nil || rep.Entries != 8 || rep.Checkpoints != 3 || rep.Unsealed != 0 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

// TestCheckpointFails: a checkpoint the store refuses is retried at the
// next tick; a checkpoint is only written for entries already stored.
func TestCheckpointFails(t *testing.T) {
	s := newMem()
	r := newRig(t, s)
	r.append(t, 4)
	s.fail = func(stream string) error {
		if stream == audit.CheckpointStream {
			return errors.New("no space")
		}
		return nil
	}
	r.clk.Advance(audit.DefaultInterval)
	if n := len(checkpoints(t, s)); n != 0 {
		t.Fatalf("%d checkpoints written by a failing store", n)
	}
	s.fail = nil
	r.clk.Advance(audit.DefaultInterval)
	if got := sizes(checkpoints(t, s)); fmt.Sprint(got) != "[4]" {
		t.Fatalf("sizes %v", got)
	}
}

// TestTwoNodes: two checkpointers on one store (two nodes) interleave; their
// checkpoints stay in one non-decreasing order and the log verifies.
func TestTwoNodes(t *testing.T) {
	s := newMem()
	a, b := newRig(t, s), newRig(t, s)
	for round := range 6 {
		a.append(t, round+1)
		b.append(t, 2)
		if round%2 == 0 {
			a.clk.Advance(audit.DefaultInterval)
		} else {
			b.clk.Advance(audit.DefaultInterval)
		}
		a.append(t, 1)
		b.clk.Advance(audit.DefaultInterval)
	}
	a.cp.Close(context.Background())
	b.cp.Close(context.Background())
	got := sizes(checkpoints(t, s))
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("sizes %v not increasing", got)
		}
	}
	rep, err := audit.Verify(context.Background(), s, verifierKey)
	if err != nil || rep.Unsealed != 0 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

// TestKilledNode: a node killed after storing entries but before
// checkpointing them leaves a log that verifies (the tail is unsealed); the
// next node to start checkpoints it.
func TestKilledNode(t *testing.T) {
	s := newMem()
	r := newRig(t, s)
	r.append(t, 3)
	r.clk.Advance(audit.DefaultInterval)
	r.append(t, 2) // killed now: no Close, no further checkpoint
	rep, err := audit.Verify(context.Background(), s, verifierKey)
	if err != nil || rep.Unsealed != 2 {
		t.Fatalf("Verify after the kill = %+v, %v", rep, err)
	}
	next := newRig(t, s)
	next.clk.Advance(audit.DefaultInterval)
	rep, err = audit.Verify(context.Background(), s, verifierKey)
	if err != nil || rep.Unsealed != 0 || rep.Latest.Size != 5 {
		t.Fatalf("Verify after restart = %+v, %v", rep, err)
	}
}

func TestConcurrentAppends(t *testing.T) {
	s := newMem()
	r := newRig(t, s)
	done := make(chan error)
	for g := range 8 {
		go func() {
			for i := range 50 {
				if _, err := r.log.Append(context.Background(), entry(g*100+i)); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		r.clk.Advance(audit.DefaultInterval)
	}
	r.cp.Close(context.Background())
	rep, err := audit.Verify(context.Background(), s, verifierKey)
	if err != nil || rep.Entries != 400 || rep.Unsealed != 0 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

// sealedMem is a memory store holding n entries and the checkpoint of
// all of them that its Checkpointer publishes as it closes.
func sealedMem(t testing.TB, n int) *memStore {
	t.Helper()
	s := newMem()
	r := newRig(t, s)
	r.append(t, n)
	must(t, r.cp.Close(context.Background()))
	return s
}

func TestVerifyWrongKey(t *testing.T) {
	s := sealedMem(t, 2)
	_, other, _ := audit.GenerateKey("accredit.test/audit")
	_, err := audit.Verify(context.Background(), s, other)
	var te *audit.TamperError
	if !errors.As(err, &te) || te.Checkpoint != 0 {
		t.Fatalf("Verify with another key: %v", err)
	}
	t.Log(err)
}
