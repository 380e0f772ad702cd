package engine

import "time"

// Clock is the engine's source of time. The engine never calls time.Now
// directly, so tests drive it with a fake clock.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a stoppable timer made by a Clock: Stop prevents it from firing
// and reports whether it did. It is an alias so that any clock package can
// satisfy Clock without importing this one.
type Timer = interface{ Stop() bool }

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// AfterFunc wraps time.AfterFunc.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
