package wsconn

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := &Limiter{Rate: 2, Burst: 3}
	t0 := time.Unix(0, 0)
	var got []bool
	for _, at := range []time.Duration{0, 0, 0, 0, 400 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second} {
		got = append(got, l.Allow(t0.Add(at)))
	}
	// A burst of 3 passes, the 4th is refused; 0.4 s refills 0.8 of a token
	// (refused), 0.5 s brings it to 1.0 (passes); 1.5 s later the bucket has 3.
	want := []bool{true, true, true, false, false, true, true}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frame %d: allowed %v, want %v (all %v)", i, got[i], want[i], got)
		}
	}
}
