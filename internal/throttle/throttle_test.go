package throttle

import (
	"net/http"
	"testing"
	"time"

	"github.com/accredit/accredit/internal/clock"
)

func TestFailures(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	f := New(3, 10*time.Second, clk)
	for i := range 3 {
		if !f.Allow("a") {
			t.Fatalf("refused after %d failures, burst 3", i)
		}
		f.Fail("a")
	}
	if f.Allow("a") {
		t.Fatal("allowed after 3 failures in a row")
	}
	if !f.Allow("b") {
		t.Fatal("another address refused")
	}
	clk.Advance(9 * time.Second)
	if f.Allow("a") {
		t.Fatal("allowed before one interval passed")
	}
	clk.Advance(time.Second)
	if !f.Allow("a") {
		t.Fatal("refused after one interval")
	}
	f.Fail("a")
	if f.Allow("a") {
		t.Fatal("allowed again at once after using the regained try")
	}
	clk.Advance(time.Hour)
	for range 3 {
		if !f.Allow("a") {
			t.Fatal("refused after draining")
		}
		f.Fail("a")
	}
}

func TestForgetsDrained(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	f := New(3, time.Second, clk)
	for i := range 4096 {
		f.Fail(string(rune('a'+i%26)) + string(rune(i)))
	}
	clk.Advance(2 * time.Second)
	f.Fail("z")
	if len(f.by) != 1 {
		t.Errorf("%d addresses kept, want only the new one", len(f.by))
	}
}

func TestClient(t *testing.T) {
	for in, want := range map[string]string{"192.0.2.7:51234": "192.0.2.7", "[2001:db8::1]:443": "2001:db8::1", "pipe": "pipe"} {
		if got := Client(&http.Request{RemoteAddr: in}); got != want {
			t.Errorf("Client(%q) = %q, want %q", in, got, want)
		}
	}
}
