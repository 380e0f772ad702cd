package engine_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/internal/clock"
)

// sittingReads records each read of a sitting's stream: where it began
// and how many records it returned.
type sittingReads struct {
	store.Store
	mu    sync.Mutex // protects reads
	reads [][2]int64 // from, records
}

func (s *sittingReads) Read(ctx context.Context, stream string, from int64) ([][]byte, error) {
	recs, err := s.Store.Read(ctx, stream, from)
	if strings.HasPrefix(stream, "sitting/") {
		s.mu.Lock()
		s.reads = append(s.reads, [2]int64{from, int64(len(recs))})
		s.mu.Unlock()
	}
	return recs, err
}

// take returns the reads since the last take.
func (s *sittingReads) take() [][2]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.reads
	s.reads = nil
	return r
}

// TestRoomCatchesUp: each look at the room reads the sitting's stream
// only from the length of the node's copy, and still sees what another
// node appended.
func TestRoomCatchesUp(t *testing.T) {
	lib := testLibrary(t)
	lib.Sittings["s1"].CheckIn = true
	bs := bolttest.Open(t)
	counted := &sittingReads{Store: bs}
	clk := clock.NewFake(t0)
	a := engine.New(engine.Config{Library: lib, Store: counted, Clock: clk, Node: "a"})
	b := engine.New(engine.Config{Library: lib, Store: bs, Clock: clk, Node: "b"}) // no broker: a hears nothing of b
	t.Cleanup(func() { a.Close(); b.Close() })
	ctx := context.Background()

	look := func(cand string) engine.AttemptSummary {
		t.Helper()
		rows, err := a.Rows(ctx, "s1", []string{cand})
		if err != nil || len(rows) != 1 {
			t.Fatalf("Rows: %v, %v", rows, err)
		}
		return rows[0]
	}
	steps := []struct {
		name  string
		act   func() error
		cand  string
		in    bool       // the row shows the candidate checked in
		reads [][2]int64 // (from, records) of the sitting's stream
	}{
		{"first look reads the stream", nil, "c1", false, [][2]int64{{0, 0}}},
		{"check-in on node a", func() error { return a.CheckIn(ctx, "s1", "c1", "inv1") }, "c1", true, [][2]int64{{0, 1}}},
		{"nothing new", nil, "c1", true, [][2]int64{{1, 0}}},
		{"check-in on node b, unheard of", func() error { return b.CheckIn(ctx, "s1", "c2", "inv1") }, "c2", true, [][2]int64{{1, 1}}},
		{"release and an announcement on b", func() error {
			if err := b.Release(ctx, "s1", "inv1"); err != nil {
				return err
			}
			return b.Announce(ctx, "s1", "Phones off, please", "inv1")
		}, "c2", true, [][2]int64{{2, 2}}},
	}
	for _, s := range steps {
		if s.act != nil {
			if err := s.act(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		counted.take()
		if r := look(s.cand); r.CheckedIn != s.in {
			t.Fatalf("%s: row %+v, want checked in %v", s.name, r, s.in)
		}
		if got := counted.take(); !slices.Equal(got, s.reads) {
			t.Fatalf("%s: sitting reads (from, records) %v, want %v", s.name, got, s.reads)
		}
	}
	sum, err := a.Sitting(ctx, "s1")
	if err != nil || !sum.Released || len(sum.Announcements) != 1 || sum.Announcements[0].Text != "Phones off, please" {
		t.Fatalf("sitting on node a: %+v, %v", sum, err)
	}
	if got := counted.take(); !slices.Equal(got, [][2]int64{{4, 0}}) {
		t.Fatalf("whole room: sitting reads %v, want one from 4", got)
	}
}
