package engine

import (
	"maps"
	"slices"
	"testing"
	"time"
)

// TestViewLeases: which leases a node takes as lapsed, which it forgets,
// and which attempts it takes as held by a live node, at one moment.
func TestViewLeases(t *testing.T) {
	const ttl = 9 * time.Second
	now := begin.Add(time.Hour)
	at := func(ago time.Duration, node string, attempts ...string) lease {
		return lease{Node: node, Renewed: now.Add(-ago), Attempts: attempts}
	}
	tests := []struct {
		name     string
		leases   []lease
		starting bool
		lapsed   []string // nodes
		forget   []string
		held     []string // attempts
	}{
		{name: "renewed within the ttl", leases: []lease{at(3*time.Second, "b", "x", "y")}, held: []string{"x", "y"}},
		{name: "exactly the ttl ago", leases: []lease{at(ttl, "b", "x")}, held: []string{"x"}},
		{name: "just past the ttl", leases: []lease{at(ttl+time.Millisecond, "b", "x")}, lapsed: []string{"b"}},
		{name: "lapsed long ago", leases: []lease{at(forgetAfter*ttl+time.Millisecond, "b", "x")},
			lapsed: []string{"b"}, forget: []string{"b"}},
		{name: "lapsed, not yet to forget", leases: []lease{at(forgetAfter*ttl, "b", "x")}, lapsed: []string{"b"}},
		{name: "its own lease, however old", leases: []lease{at(time.Hour, "a", "x")}, held: []string{"x"}},
		{name: "a predecessor of its name, on starting", leases: []lease{at(time.Second, "a", "x")}, starting: true,
			lapsed: []string{"a"}},
		{name: "an attempt moved to a live node", starting: true,
			leases: []lease{at(time.Minute, "c", "x", "y"), at(time.Second, "b", "y"), at(time.Second, "d", "z")},
			lapsed: []string{"c"}, held: []string{"y", "z"}},
		{name: "two lapsed, in node order", leases: []lease{at(time.Minute, "d"), at(time.Minute, "b"), at(0, "c", "w")},
			lapsed: []string{"b", "d"}, held: []string{"w"}},
	}
	nodes := func(ls []lease) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Node)
		}
		return out
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := viewLeases(tc.leases, "a", tc.starting, now, ttl)
			if got := nodes(v.lapsed); !slices.Equal(got, tc.lapsed) {
				t.Errorf("lapsed %v, want %v", got, tc.lapsed)
			}
			if got := nodes(v.forget); !slices.Equal(got, tc.forget) {
				t.Errorf("forget %v, want %v", got, tc.forget)
			}
			if got := slices.Sorted(maps.Keys(v.held)); !slices.Equal(got, tc.held) {
				t.Errorf("held %v, want %v", got, tc.held)
			}
		})
	}
}

// TestLeaseLapsed: a lease lapses strictly after its ttl, on the clock of
// whoever decides.
func TestLeaseLapsed(t *testing.T) {
	l := lease{Node: "b", Renewed: begin}
	for _, tc := range []struct {
		after time.Duration
		want  bool
	}{{0, false}, {10 * time.Second, false}, {10*time.Second + 1, true}, {-time.Minute, false}} {
		if got := l.lapsed(begin.Add(tc.after), 10*time.Second); got != tc.want {
			t.Errorf("%v after the renewal: lapsed %v, want %v", tc.after, got, tc.want)
		}
	}
}
