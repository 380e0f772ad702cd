package throttle

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/internal/clock"
)

var start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// code returns the i-th made-up valid code.
func code(i int) string { return fmt.Sprintf("CODE-%05d", i) }

// TestRoom: people behind one address each mistype their code, then all
// get in with their right codes; another address is unaffected.
func TestRoom(t *testing.T) {
	for _, tc := range []struct {
		name        string
		people      int
		mistypes    int
		interleaved bool // each person's right code follows their mistypes at once
	}{
		{"60 people x 3, all failures first", 60, 3, false},
		{"99 people x 3, all failures first", 99, 3, false},
		{"30 people x 9, all failures first", 30, 9, false},
		{"1000 people x 3, interleaved", 1000, 3, true},
		{"one person x 299", 1, 299, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := NewLimits(Default(), clock.NewFake(start))
			fails := func(who int) {
				for j := range tc.mistypes {
					if !f.Allow("room") {
						t.Fatalf("person %d, mistype %d refused", who, j)
					}
					f.Fail("room")
				}
			}
			for i := range tc.people {
				if !tc.interleaved {
					fails(i)
				}
			}
			for i := range tc.people {
				if tc.interleaved {
					fails(i)
				}
				if !f.Allow("room") {
					t.Fatalf("person %d's right code refused", i)
				}
				f.Succeed("room", code(i))
			}
			if !f.Allow("elsewhere") {
				t.Fatal("another address refused")
			}
		})
	}
}

// TestGuesser: one address is allowed exactly Burst wrong codes, then
// exactly one each Every: an hour of trying every second gets hour/Every.
func TestGuesser(t *testing.T) {
	small := Default()
	small.Burst, small.Every = 3, time.Minute
	for _, tc := range []struct {
		name        string
		lim         Limits
		burst, hour int
	}{
		{"default", Default(), 300, 300},
		{"3 then 1 a minute", small, 3, 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.NewFake(start)
			f := NewLimits(tc.lim, clk)
			n := 0
			for f.Allow("g") && n <= tc.burst {
				f.Fail("g")
				n++
			}
			if n != tc.burst {
				t.Fatalf("%d wrong codes in a row allowed, want %d", n, tc.burst)
			}
			n = 0
			for range 3600 {
				clk.Advance(time.Second)
				if f.Allow("g") {
					f.Fail("g")
					n++
				}
			}
			if n != tc.hour {
				t.Fatalf("%d wrong codes allowed in the next hour, want %d", n, tc.hour)
			}
		})
	}
}

// TestManyAddresses: 10,000 addresses guessing once each get GlobalBurst
// tries between them; then a working centre still signs people in and
// fails within its own bucket, a new address is refused (the
// denial-of-service trade-off), and the node regains one try per
// GlobalEvery.
func TestManyAddresses(t *testing.T) {
	clk := clock.NewFake(start)
	lim := Default()
	f := NewLimits(lim, clk)
	f.Succeed("centre", code(0))
	n := 0
	for i := range 10000 {
		a := fmt.Sprintf("198.51.%d.%d", i/256, i%256)
		if f.Allow(a) {
			f.Fail(a)
			n++
		}
	}
	if n != lim.GlobalBurst {
		t.Fatalf("%d guesses allowed from 10,000 addresses, want %d", n, lim.GlobalBurst)
	}
	for i := 1; i <= 50; i++ {
		for range 2 {
			if !f.Allow("centre") {
				t.Fatalf("working centre's mistype refused, person %d", i)
			}
			f.Fail("centre")
		}
		if !f.Allow("centre") {
			t.Fatalf("working centre's right code refused, person %d", i)
		}
		f.Succeed("centre", code(i))
	}
	if f.Allow("new-centre") {
		t.Fatal("new address allowed while the node's bucket is full")
	}
	clk.Advance(lim.GlobalEvery)
	if !f.Allow("new-centre") {
		t.Fatal("new address refused after the node regained a try")
	}
	f.Fail("new-centre")
	if f.Allow("other") {
		t.Fatal("second try allowed after one was regained")
	}
	clk.Advance(lim.Window) // the node drains; the centre stops being working
	clk.Advance(time.Duration(lim.GlobalBurst) * lim.GlobalEvery)
	if !f.Allow("other") {
		t.Fatal("refused after the node drained")
	}
}

// TestRefunds: a code refunds at most once per window, never more than
// the address has outstanding, and the refund reaches the node.
func TestRefunds(t *testing.T) {
	lim := Default()
	for _, tc := range []struct {
		name  string
		steps []string // "fail", "ok CODE", "wait"
		want  int      // the address's outstanding failures at the end
		node  int      // the node's
	}{
		{"one refund", []string{"fail", "fail", "fail", "fail", "ok A"}, 1, 1},
		{"same code again within the hour", []string{"fail", "fail", "fail", "ok A", "fail", "fail", "fail", "ok A"}, 3, 3},
		{"same code after the hour", []string{"ok A", "wait", "fail", "fail", "fail", "ok A"}, 0, 0},
		{"another code", []string{"fail", "fail", "fail", "ok A", "fail", "fail", "fail", "ok B"}, 0, 0},
		{"no more than outstanding", []string{"fail", "ok A", "fail", "fail"}, 2, 2},
		{"no failures, nothing to refund", []string{"ok A", "ok B", "ok C"}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.NewFake(start)
			f := NewLimits(lim, clk)
			for _, s := range tc.steps {
				switch {
				case s == "fail":
					f.Fail("a")
				case s == "wait":
					clk.Advance(lim.Window)
				default:
					f.Succeed("a", s[3:])
				}
			}
			now := clk.Now()
			got := 0
			if c := f.clients["a"]; c != nil {
				got = c.failures.outstanding(now, lim.Every)
			}
			if got != tc.want {
				t.Errorf("address holds %d failures, want %d", got, tc.want)
			}
			if got := f.node.outstanding(now, lim.GlobalEvery); got != tc.node {
				t.Errorf("node holds %d failures, want %d", got, tc.node)
			}
		})
	}
}

// TestMemory: no more than MaxClients addresses and MaxCodes codes are
// held; a new address is refused while they are full; drained addresses
// and old refunds are forgotten.
func TestMemory(t *testing.T) {
	clk := clock.NewFake(start)
	lim := Default()
	lim.MaxClients, lim.MaxCodes = 100, 10
	f := NewLimits(lim, clk)
	for i := range 1000 {
		a := fmt.Sprint("a", i)
		if f.Allow(a) {
			f.Fail(a)
		}
		f.Succeed(a, code(i))
	}
	if len(f.clients) != lim.MaxClients || len(f.refunded) != lim.MaxCodes {
		t.Fatalf("%d addresses and %d codes held, want %d and %d", len(f.clients), len(f.refunded), lim.MaxClients, lim.MaxCodes)
	}
	if f.Allow("new") {
		t.Fatal("new address allowed while the addresses held are full")
	}
	clk.Advance(lim.Every) // failures drain; the working ones stay
	f.Fail("new")
	if len(f.clients) != lim.MaxCodes+1 {
		t.Fatalf("%d addresses held after draining, want the %d working and the new one", len(f.clients), lim.MaxCodes)
	}
	clk.Advance(lim.Window)
	f.Allow("x")
	if len(f.clients) != 0 || len(f.refunded) != 0 {
		t.Fatalf("%d addresses and %d codes held after the window", len(f.clients), len(f.refunded))
	}
}

// TestConcurrent exercises a Failures from many goroutines for the race
// detector.
func TestConcurrent(t *testing.T) {
	clk := clock.NewFake(start)
	f := New(30, time.Second, clk)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				a := fmt.Sprint("a", i%17)
				if f.Allow(a) {
					f.Fail(a)
				}
				f.Succeed(a, code(g*1000+i))
				if i%50 == 0 {
					clk.Advance(time.Second)
				}
			}
		})
	}
	wg.Wait()
}

func TestNewPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic on a zero interval")
		}
	}()
	NewLimits(Limits{Burst: 1}, nil)
}

func TestClient(t *testing.T) {
	for in, want := range map[string]string{"192.0.2.7:51234": "192.0.2.7", "[2001:db8::1]:443": "2001:db8::1", "pipe": "pipe"} {
		if got := Client(&http.Request{RemoteAddr: in}); got != want {
			t.Errorf("Client(%q) = %q, want %q", in, got, want)
		}
	}
}
