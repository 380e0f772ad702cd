package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/content/contenttest"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/internal/clock"
)

// benchLibrary is the test library with n candidates in sitting s1.
func benchLibrary(b *testing.B, n int) (*content.Library, []string) {
	var cands []string
	codes := make([]string, n)
	for i := range n {
		codes[i] = fmt.Sprintf("BENCH-Q%dX-K7M", i)
		cands = append(cands, fmt.Sprintf(`{"id":"c%d","name":"Candidate %d","access_code":%q}`, i, i, codes[i]))
	}
	return contenttest.WithSitting(b, "testdata/lib", "Bench", cands), codes
}

// benchStores names the stores the benchmarks run on: bolt, and Redis
// when ACCREDIT_TEST_REDIS names a server.
func benchStores() []string {
	if os.Getenv(redistest.Standalone) != "" {
		return []string{"bolt", "redis"}
	}
	return []string{"bolt"}
}

// BenchmarkAnswer measures the answer path end to end below the socket:
// validation, a durable bbolt append (fsync) and the acknowledgement. In
// the parallel cases each goroutine is one candidate, so concurrent answers
// share group commits.
func BenchmarkAnswer(b *testing.B) {
	for _, kind := range benchStores() {
		for _, cands := range []int{1, 16, 256} {
			b.Run(fmt.Sprintf("store=%s/candidates=%d", kind, cands), func(b *testing.B) { benchAnswer(b, kind, cands) })
		}
	}
}

func benchAnswer(b *testing.B, kind string, cands int) {
	lib, codes := benchLibrary(b, cands)
	var commits, appends atomic.Int64
	onCommit := func(n int, _ time.Duration) { commits.Add(1); appends.Add(int64(n)) }
	var store store.Store
	var err error
	if kind == "bolt" {
		store, err = bolt.Open(filepath.Join(b.TempDir(), "bench.db"), bolt.Options{OnCommit: onCommit})
	} else {
		ro, opts := redistest.Options(b, redistest.Standalone)
		opts.OnCommit = onCommit
		store, err = redis.Open(context.Background(), ro, opts)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	eng := engine.New(engine.Config{Library: lib, Store: store, Clock: clock.NewFake(t0)})
	defer eng.Close()
	ctx := context.Background()
	peers := make([]*countingPeer, cands)
	ids := make([]string, cands)
	for i, code := range codes {
		peers[i] = &countingPeer{}
		if ids[i], err = eng.Join(ctx, code, peers[i]); err != nil {
			b.Fatal(err)
		}
	}
	if err := eng.Release(ctx, "s1", "bench"); err != nil {
		b.Fatal(err)
	}
	commits.Store(0)
	appends.Store(0)
	var next atomic.Int64
	b.SetParallelism((cands + 1) / 2) // 2 cores: cands goroutines in all
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(1)-1) % cands
		p, id := peers[i], ids[i]
		items := []string{"q1", "q2", "q3"}
		seq := uint64(0)
		for pb.Next() {
			seq++
			eng.Handle(ctx, id, p, engine.ClientMsg{Type: "answer", Seq: seq, Item: items[seq%3], Options: []string{"a"}})
		}
	})
	b.StopTimer()
	for _, p := range peers {
		if p.errors.Load() > 0 {
			b.Fatalf("%d answers refused", p.errors.Load())
		}
	}
	if c := commits.Load(); c > 0 {
		b.ReportMetric(float64(appends.Load())/float64(c), "answers/fsync")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}

type countingPeer struct{ acks, errors atomic.Int64 }

func (p *countingPeer) Send(m engine.ServerMsg) {
	if m.Type == engine.MsgAck {
		p.acks.Add(1)
	} else if m.Type == engine.MsgError {
		p.errors.Add(1)
	}
}
func (p *countingPeer) Close(int, string) {}
