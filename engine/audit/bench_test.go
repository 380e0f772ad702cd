package audit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/audit/audittest"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
)

// BenchmarkAppendBolt measures the latency of Append on a bolt store in a
// temp dir under an offered load of 500 appends a second (open loop: one
// append starts every 2 ms whether or not the last has finished), with a
// Checkpointer publishing every 2 s alongside. It reports the median and
// 99th percentile; "store" is the bare store append of the same bytes,
// for comparison. Run with -benchtime=2500x (5 s of load).
//
//	go test -run '^$' -bench AppendBolt -benchtime 2500x ./engine/audit/
func BenchmarkAppendBolt(b *testing.B) {
	rec, _ := json.Marshal(entry(1))
	for _, tc := range []struct {
		name   string
		append func(ctx context.Context, s store.Store, l *audit.Log) error
	}{
		{"audit", func(ctx context.Context, s store.Store, l *audit.Log) error {
			_, err := l.Append(ctx, entry(1))
			return err
		}},
		{"store", func(ctx context.Context, s store.Store, l *audit.Log) error {
			_, err := s.Append(ctx, "bench/plain", -1, rec)
			return err
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := bolttest.Open(b)
			cp, err := audit.NewCheckpointer(s, signerKey, audit.CheckpointerOptions{})
			if err != nil {
				b.Fatal(err)
			}
			defer cp.Close(context.Background())
			lat, _ := audittest.OpenLoop(b, 500, func(int) error { return tc.append(context.Background(), s, audit.New(s, nil)) })
			reportLatency(b, lat)
		})
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkVerify verifies logs of 10k to 1M entries held in memory, with
// a checkpoint every 10,000 entries. Building the log is not timed.
//
//	go test -run '^$' -bench Verify -cpu 2 -benchtime 3x ./engine/audit/
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			s := newMem()
			r := newRig(b, s)
			for i := 0; i < n; i += 10_000 {
				r.append(b, min(10_000, n-i))
				r.clk.Advance(audit.DefaultInterval)
			}
			if err := r.cp.Close(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				rep, err := audit.Verify(context.Background(), s, verifierKey)
				if err != nil || rep.Entries != int64(n) || rep.Unsealed != 0 {
					b.Fatalf("Verify = %+v, %v", rep, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
		})
	}
}
