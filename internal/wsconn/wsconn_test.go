package wsconn

import (
	"net/http"
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

func TestCheckOrigin(t *testing.T) {
	check := CheckOrigin([]string{"https://centre.example"})
	for _, tc := range []struct {
		origin, host string
		want         bool
	}{
		{"", "accredit.example", true},                         // not a browser
		{"https://accredit.example", "accredit.example", true}, // the page's own origin
		{"https://centre.example", "accredit.example", true},   // allowed
		{"https://evil.example", "accredit.example", false},    // another page
		{"https://accredit.example.evil", "accredit.example", false},
		{"::not a url", "accredit.example", false},
	} {
		r := &http.Request{Host: tc.host, Header: http.Header{}}
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		if got := check(r); got != tc.want {
			t.Errorf("origin %q on host %q: %v, want %v", tc.origin, tc.host, got, tc.want)
		}
	}
}

func TestWaitRoom(t *testing.T) {
	c := New[int](nil, 2)
	c.Send(1)
	if !c.WaitRoom(1) {
		t.Fatal("no room with one free place")
	}
	c.Send(2)
	took := make(chan bool)
	go func() { // the writer takes both messages, signalling as WriteLoop does
		for range 2 {
			<-c.out
			select {
			case c.room <- struct{}{}:
			default:
			}
		}
		took <- true
	}()
	if !c.WaitRoom(5) || len(c.out) != 0 {
		t.Fatalf("WaitRoom returned with %d queued, want an empty queue (its length bounds n)", len(c.out))
	}
	<-took
	c.Send(3)
	c.Send(4)
	c.Close(1000, "")
	if c.WaitRoom(1) {
		t.Fatal("room reported on a full, closing queue")
	}
}
