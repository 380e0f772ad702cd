package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/content/contenttest"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

// The room at a sitting's size: what the invigilator's feed costs the
// server. The feed (web's GET /api/sittings/{id}/live) sends the whole
// room once, then for each change the rows its watcher takes, encoded as
// JSON; these benchmarks do the same below the socket.
//
//	go test -run XXX -bench Room -benchtime 2000x -count 6 ./engine/
//
// The figures and what they mean are in docs/benchmarks.md.

// roomRig is a released sitting of n candidates, each joined, with one
// answer stored.
type roomRig struct {
	e     *Engine
	cands []string
}

func newRoomRig(b *testing.B, st store.Store, n int) *roomRig {
	b.Helper()
	lib := roomLibrary(b, n)
	e := New(Config{Library: lib, Store: st, Clock: clock.NewFake(begin)})
	b.Cleanup(e.Close)
	ctx := context.Background()
	r := &roomRig{e: e}
	ids := make([]string, n)
	for i := range n {
		var err error
		if ids[i], err = e.Join(ctx, roomCode(i), nopPeer{}); err != nil {
			b.Fatal(err)
		}
		r.cands = append(r.cands, fmt.Sprintf("c%d", i))
	}
	if err := e.Release(ctx, "s1", "bench"); err != nil {
		b.Fatal(err)
	}
	for _, id := range ids {
		e.Handle(ctx, id, nopPeer{}, ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	}
	return r
}

func roomCode(i int) string { return fmt.Sprintf("ROOM-Q%dX-K7M", i) }

// roomLibrary is the test library with n candidates in sitting s1.
func roomLibrary(b *testing.B, n int) *content.Library {
	b.Helper()
	cands := make([]string, n)
	for i := range n {
		cands[i] = fmt.Sprintf(`{"id":"c%d","name":"Candidate %d","access_code":%q}`, i, i, roomCode(i))
	}
	return contenttest.WithSitting(b, filepath.Join("testdata", "lib"), "Bench", cands)
}

type nopPeer struct{}

func (nopPeer) Send(ServerMsg)    {}
func (nopPeer) Close(int, string) {}

// BenchmarkRoomView: the whole room, read and encoded, as a watcher
// first gets it (and again when every row may have changed).
func BenchmarkRoomView(b *testing.B) {
	for kind, open := range storetest.Backends() {
		for _, n := range []int{50, 500} {
			b.Run(fmt.Sprintf("store=%s/candidates=%d", kind, n), func(b *testing.B) {
				r := newRoomRig(b, open(b), n)
				ctx := context.Background()
				b.ResetTimer()
				for range b.N {
					sum, err := r.e.Sitting(ctx, "s1")
					if err != nil {
						b.Fatal(err)
					}
					if _, err := json.Marshal(sum); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRoomChange: one candidate's row changes and the change fans
// out to every watcher of the room on the node: each is signalled, takes
// the row, reads it caught up with the store and encodes it. An op is one
// change; the metric "core%@25/s" is the share of one core the room's
// watchers cost at 25 changes a second (500 candidates, one change each
// every 20 s).
func BenchmarkRoomChange(b *testing.B) {
	for kind, open := range storetest.Backends() {
		for _, n := range []int{50, 500} {
			for _, watchers := range []int{1, 4} {
				b.Run(fmt.Sprintf("store=%s/candidates=%d/watchers=%d", kind, n, watchers), func(b *testing.B) {
					benchRoomChange(b, newRoomRig(b, open(b), n), watchers)
				})
			}
		}
	}
}

func benchRoomChange(b *testing.B, r *roomRig, watchers int) {
	ctx := context.Background()
	ws := make([]*RoomWatch, watchers)
	for i := range ws {
		ws[i] = r.e.WatchRoom("s1")
		defer ws[i].Stop()
	}
	b.ResetTimer()
	for i := range b.N {
		r.e.touch("s1", r.cands[i%len(r.cands)])
		for _, w := range ws {
			<-w.C()
			cands, _ := w.Take()
			rows, err := r.e.Rows(ctx, "s1", cands)
			if err != nil || len(rows) != 1 {
				b.Fatalf("rows %v, %v", rows, err)
			}
			if _, err := json.Marshal(rows); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perOp*25*100, "core%@25/s")
}
