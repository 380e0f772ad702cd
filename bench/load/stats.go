package load

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// Latencies collects durations from many goroutines.
type Latencies struct {
	mu sync.Mutex // protects d
	d  []time.Duration
}

// Add records one duration.
func (l *Latencies) Add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// Summary is a latency distribution.
type Summary struct {
	N                  int
	P50, P95, P99, Max time.Duration
}

// Summarise returns the distribution's percentiles by the nearest-rank
// method: the p-th percentile is the smallest value with at least p% of the
// values at or below it.
func (l *Latencies) Summarise() Summary {
	l.mu.Lock()
	d := slices.Clone(l.d)
	l.mu.Unlock()
	return Summarise(d)
}

// Summarise sorts d and returns its nearest-rank percentiles.
func Summarise(d []time.Duration) Summary {
	slices.Sort(d)
	return Summary{N: len(d), P50: Percentile(d, 50), P95: Percentile(d, 95), P99: Percentile(d, 99), Max: Percentile(d, 100)}
}

// Percentile returns the nearest-rank p-th percentile of sorted values, 0
// for none: the value of rank ceil(p/100 * n), at least 1 (Hyndman and Fan,
// "Sample quantiles in statistical packages", The American Statistician
// 50(4), 1996, definition 1).
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(float64(len(sorted)) * p / 100))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func (s Summary) String() string {
	return fmt.Sprintf("n=%d p50=%v p95=%v p99=%v max=%v", s.N, round(s.P50), round(s.P95), round(s.P99), round(s.Max))
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// Counter counts events by a key, concurrently.
type Counter struct {
	mu sync.Mutex // protects m
	m  map[string]int
}

// Inc adds one to key.
func (c *Counter) Inc(key string) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[key]++
	c.mu.Unlock()
}

// Snapshot returns a copy of the counts.
func (c *Counter) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.m))
	for k, v := range c.m {
		out[k] = v
	}
	return out
}
