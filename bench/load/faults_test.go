package load

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestFaultLoop does two faults due at once, then stops before the third
// is due: it is skipped, and the second's error is kept.
func TestFaultLoop(t *testing.T) {
	var order []string // written by the loop's goroutine until stop returns
	ran := make(chan struct{})
	errStall := errors.New("stall failed")
	faults := []Fault{
		{At: 0, Name: "kill", Do: func() error { order = append(order, "kill"); return nil }},
		{At: 0, Name: "stall", Do: func() error { order = append(order, "stall"); close(ran); return errStall }},
		{At: time.Hour, Name: "restart", Do: func() error { order = append(order, "restart"); return nil }},
	}
	stop := faultLoop(context.Background(), faults, time.Now())
	<-ran
	ev := stop()
	if !equal(order, []string{"kill", "stall"}) || len(ev) != 3 {
		t.Fatalf("done %v, events %+v", order, ev)
	}
	if ev[0].Skipped || ev[1].Skipped || !ev[2].Skipped || ev[0].Err != nil || !errors.Is(ev[1].Err, errStall) {
		t.Fatalf("events %+v", ev)
	}
}

// TestFaultLoopCancelled stops the loop through its context.
func TestFaultLoopCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stop := faultLoop(ctx, []Fault{{At: time.Hour, Name: "kill", Do: func() error { return nil }}}, time.Now())
	cancel()
	if ev := stop(); len(ev) != 1 || !ev[0].Skipped {
		t.Fatalf("events %+v", ev)
	}
	if ev := faultLoop(context.Background(), nil, time.Now())(); ev != nil {
		t.Fatalf("no faults gave events %+v", ev)
	}
}
