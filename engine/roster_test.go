package engine_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/internal/clock"
)

// bookings is a roster that grows while the engine runs, as the
// programme's bookings do.
type bookings struct {
	mu sync.Mutex
	s  content.Sitting
}

func (b *bookings) add(c content.Candidate) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.s.Candidates = append(slices.Clone(b.s.Candidates), c)
}

func (b *bookings) sitting() *content.Sitting {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.s
	return &s
}

func (b *bookings) Sitting(_ context.Context, id string) (*content.Sitting, error) {
	if id != b.s.ID {
		return nil, engine.ErrUnknownSitting
	}
	return b.sitting(), nil
}

func (b *bookings) Sittings(context.Context) ([]string, error) { return []string{b.s.ID}, nil }

func (b *bookings) ByCode(_ context.Context, code string) (*content.Sitting, *content.Candidate, error) {
	s := b.sitting()
	for i := range s.Candidates {
		if content.NormCode(s.Candidates[i].AccessCode) == content.NormCode(code) {
			return s, &s.Candidates[i], nil
		}
	}
	return nil, nil, engine.ErrUnknownCode
}

// TestRosterJoinsBookedCandidates: a candidate booked after the engine
// started joins with the code issued, gets the extra time the booking
// carries, and is in the sitting's room view; the library's sittings work
// beside it.
func TestRosterJoinsBookedCandidates(t *testing.T) {
	ctx := context.Background()
	lib := testLibrary(t)
	st := bolttest.Open(t)
	b := &bookings{s: content.Sitting{ID: "booked-1", Form: lib.Sittings["s1"].Form, Centre: "Quay House", Scheduled: t0}}
	eng := engine.New(engine.Config{Library: lib, Store: st, Clock: clock.NewFake(t0),
		Roster: engine.Rosters(engine.LibraryRoster(lib), b)})
	defer eng.Close()
	if err := eng.Recover(ctx); err != nil {
		t.Fatal(err)
	}

	code := "QX7K-M2PD-93TW"
	var pe *engine.ProtocolError
	if _, err := eng.Join(ctx, code, &peer{}); !errors.As(err, &pe) || pe.Code != engine.CodeUnknownCode {
		t.Fatalf("an unissued code: %v", err)
	}
	b.add(content.Candidate{ID: "p-17", Name: "Rhona Vale", Employer: "quayside", AccessCode: code, Accommodation: 1.5})
	p := &peer{}
	id, err := eng.Join(ctx, "qx7k-m2pd-93tw", p)
	if err != nil || id != engine.AttemptID("booked-1", "p-17") {
		t.Fatalf("Join = %q, %v", id, err)
	}
	if w := p.msgs[0]; w.Type != engine.MsgWelcome || w.Candidate.Name != "Rhona Vale" || w.Candidate.Centre != "Quay House" {
		t.Fatalf("welcome %+v", w.Candidate)
	}
	if err := eng.Release(ctx, "booked-1", "inv1"); err != nil {
		t.Fatal(err)
	}
	limit := time.Duration(float64(lib.Forms[b.s.Form].TimeLimit) * 1.5).Round(time.Second)
	if got := *attemptMsg(t, p).RemainingMS; got != limit.Milliseconds() {
		t.Fatalf("remaining %d ms, want %d (time factor 1.5)", got, limit.Milliseconds())
	}
	sum, err := eng.Sitting(ctx, "booked-1")
	if err != nil || len(sum.Candidates) != 1 || sum.Candidates[0].Candidate != "p-17" {
		t.Fatalf("room view %+v, %v", sum, err)
	}
	ids, err := eng.Roster().Sittings(ctx)
	if err != nil || !slices.Contains(ids, "booked-1") || !slices.Contains(ids, "s1") {
		t.Fatalf("sittings %v, %v", ids, err)
	}
	if _, id := (&rig{t: t, eng: eng}).join(codeTwo); id != engine.AttemptID("s1", "c2") {
		t.Fatalf("library code joined %q", id)
	}
	if err := eng.Release(ctx, "nope", "inv1"); !errors.Is(err, engine.ErrUnknownSitting) {
		t.Fatalf("release of an unknown sitting: %v", err)
	}
}
