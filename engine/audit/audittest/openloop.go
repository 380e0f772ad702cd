package audittest

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
)

// OpenLoop offers b.N acts at rate a second, open loop: act i starts at
// its own time, i/rate after the first, whether or not the ones before
// have finished, and its latency is counted from that time. Each act runs
// on a goroutine of its own, so act must be safe to call concurrently.
// OpenLoop resets the benchmark timer before the first act and stops it
// once the last has returned, fails b with the first act (in order) that
// returned an error, and returns every act's latency and the time from
// the first act's start to the last act's end.
func OpenLoop(b *testing.B, rate int, act func(i int) error) (lat []time.Duration, elapsed time.Duration) {
	lat = make([]time.Duration, b.N)
	errs := make([]error, b.N)
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(rate)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		at := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(at))
		wg.Go(func() {
			errs[i] = act(i)
			lat[i] = time.Since(at)
		})
	}
	wg.Wait()
	elapsed = time.Since(start)
	b.StopTimer()
	for i, err := range errs {
		if err != nil {
			b.Fatalf("act %d: %v", i, err)
		}
	}
	return lat, elapsed
}

// ReportAlternating is for acts offered alternately audited (even i) and
// plain (odd i) on st. It fails b unless st's audit log holds one entry
// for each audited act, then reports the p50 and p99 of each kind of act
// in milliseconds and the difference of the p99s. A run of one act (the
// one that sizes the benchmark) has no plain act and reports nothing.
func ReportAlternating(b *testing.B, st store.Store, lat []time.Duration) {
	var audited, plain []time.Duration
	for i, d := range lat {
		if i%2 == 0 {
			audited = append(audited, d)
		} else {
			plain = append(plain, d)
		}
	}
	if es, err := audit.Read(context.Background(), st, 0); err != nil || len(es) != len(audited) {
		b.Fatalf("%d entries stored (%v), want %d", len(es), err, len(audited))
	}
	if len(plain) == 0 {
		return
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(quantile(audited, 0.50)), "audited-p50-ms")
	b.ReportMetric(ms(quantile(audited, 0.99)), "audited-p99-ms")
	b.ReportMetric(ms(quantile(plain, 0.50)), "plain-p50-ms")
	b.ReportMetric(ms(quantile(plain, 0.99)), "plain-p99-ms")
	b.ReportMetric(ms(quantile(audited, 0.99)-quantile(plain, 0.99)), "p99-diff-ms")
}

// quantile is the q-quantile of ds by the nearest rank (the smallest value
// with at least q of them at or below it); 0 for none.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}
