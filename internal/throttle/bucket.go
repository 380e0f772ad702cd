package throttle

import "time"

// bucket is a leaky bucket of failures, held as the time at which it will
// be empty: at now it holds (empty-now)/every failures, rounded up, one
// draining every every. The arithmetic is in whole durations, so it is
// exact. The zero value is an empty bucket.
type bucket struct{ empty time.Time }

// outstanding returns how many failures b holds at now.
func (b bucket) outstanding(now time.Time, every time.Duration) int {
	d := b.empty.Sub(now)
	if d <= 0 {
		return 0
	}
	return int((d + every - 1) / every)
}

// room reports whether one more failure fits in a bucket of size burst.
func (b bucket) room(now time.Time, every time.Duration, burst int) bool {
	return max(b.empty.Sub(now), 0)+every <= time.Duration(burst)*every
}

// add puts one failure in b.
func (b *bucket) add(now time.Time, every time.Duration) {
	b.empty = maxTime(b.empty, now).Add(every)
}

// clamp empties b down to burst failures if it holds more.
func (b *bucket) clamp(now time.Time, every time.Duration, burst int) {
	b.empty = minTime(b.empty, now.Add(time.Duration(burst)*every))
}

// take removes n failures from b, which never holds fewer than none.
func (b *bucket) take(now time.Time, every time.Duration, n int) {
	b.empty = maxTime(b.empty.Add(-time.Duration(n)*every), now)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
