package store

// Queued returns the appends waiting in q, for tests.
func Queued(q *Queue) int { return len(q.reqs) }
