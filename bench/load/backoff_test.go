package load

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	for _, tc := range []struct {
		name     string
		b        Backoff
		failures int
		base     time.Duration // before the jitter of [0.8, 1.2)
	}{
		{"first failure", Backoff{}, 1, 500 * time.Millisecond},
		{"doubles", Backoff{}, 3, 2 * time.Second},
		{"capped", Backoff{}, 10, 8 * time.Second},
		{"no overflow after many", Backoff{Min: time.Millisecond, Max: time.Second}, 1000, time.Second},
		{"zero failures as one", Backoff{Min: 10 * time.Millisecond, Max: time.Second}, 0, 10 * time.Millisecond},
		{"min over max", Backoff{Min: time.Second, Max: 100 * time.Millisecond}, 1, 100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			for range 100 {
				d := tc.b.Delay(tc.failures, r)
				if lo, hi := tc.base*8/10, tc.base*12/10; d < lo || d >= hi {
					t.Fatalf("delay %v outside [%v, %v)", d, lo, hi)
				}
			}
		})
	}
	a, b := rand.New(rand.NewPCG(7, 7)), rand.New(rand.NewPCG(7, 7))
	if (Backoff{}).Delay(2, a) != (Backoff{}).Delay(2, b) {
		t.Fatal("the same seed gave another delay")
	}
}
