// Package clock is Accredit's one source of time. Core code takes a Clock
// and never calls time.Now, so tests drive it with a Fake and need no
// sleeps.
//
// System is safe for concurrent use; so is Fake, whose Advance runs due
// timers synchronously in the caller's goroutine.
package clock

import "time"

// Clock tells the time and schedules work.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d has passed (a Fake
	// calls it from Advance).
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a stoppable timer made by a Clock: Stop prevents it from firing
// and reports whether it did.
type Timer interface{ Stop() bool }

// System is the wall clock.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }

// AfterFunc wraps time.AfterFunc.
func (System) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Or returns c, or System when c is nil.
func Or(c Clock) Clock {
	if c == nil {
		return System{}
	}
	return c
}
