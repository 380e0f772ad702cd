package store

import (
	"context"
	"sync"
)

// Pending is one queued append; the commit function sets N (the stream's new
// length) and Err for each. A Pending of an AppendAll has its writes in
// All (and no Stream); the commit function stores all of them or none and
// sets Ns, one length per write.
type Pending struct {
	Stream  string
	Expect  int64
	Records [][]byte
	N       int64
	Err     error

	All []Write
	Ns  []int64

	done chan struct{}
}

// Writes returns what p appends: All, or its one stream as a Write.
func (p *Pending) Writes() []Write {
	if p.All != nil {
		return p.All
	}
	return []Write{{Stream: p.Stream, Expect: p.Expect, Records: p.Records}}
}

// Queue is the group commit behind both backends: callers queue appends and
// wait; committer goroutines take everything queued at once and hand it to
// the backend's commit function as one batch, so while one batch is being
// made durable the next gathers, and a lone writer waits for no timer.
//
// A Queue is safe for concurrent use. Close stops accepting, lets the
// committers finish what is queued, and waits for them.
type Queue struct {
	commit   func([]*Pending)
	maxBatch int
	reqs     chan *Pending

	mu     sync.RWMutex // protects closed; held for reading while sending on reqs
	closed bool
	wg     sync.WaitGroup // committers
}

// NewQueue starts workers committers, each passing batches of at most maxBatch
// Pendings to commit. commit must set every Pending's N or Err.
func NewQueue(workers, maxBatch int, commit func([]*Pending)) *Queue {
	q := &Queue{commit: commit, maxBatch: maxBatch, reqs: make(chan *Pending, maxBatch)}
	for range workers {
		q.wg.Go(q.loop)
	}
	return q
}

// Do queues an append and waits until it is committed or failed. It fails
// with ErrClosed after Close and with ctx's error if ctx ends before
// the append is queued; once queued it is always waited for, so a caller
// never acknowledges what is not yet durable.
func (q *Queue) Do(ctx context.Context, stream string, expect int64, records [][]byte) (int64, error) {
	if stream == "" {
		return 0, ErrEmptyStream
	}
	a := &Pending{Stream: stream, Expect: expect, Records: records}
	if err := q.wait(ctx, a); err != nil {
		return 0, err
	}
	return a.N, a.Err
}

// DoAll queues an AppendAll of writes and waits as Do does.
func (q *Queue) DoAll(ctx context.Context, writes []Write) ([]int64, error) {
	if err := CheckWrites(writes); err != nil {
		return nil, err
	}
	if len(writes) == 0 {
		return nil, nil
	}
	a := &Pending{All: writes}
	if err := q.wait(ctx, a); err != nil {
		return nil, err
	}
	return a.Ns, a.Err
}

// wait queues a and waits until it is committed; the error is a failure
// to queue it (a's own outcome is in its fields).
func (q *Queue) wait(ctx context.Context, a *Pending) error {
	a.done = make(chan struct{})
	q.mu.RLock()
	if q.closed {
		q.mu.RUnlock()
		return ErrClosed
	}
	select {
	case q.reqs <- a:
		q.mu.RUnlock()
	case <-ctx.Done():
		q.mu.RUnlock()
		return ctx.Err()
	}
	<-a.done
	return nil
}

func (q *Queue) loop() {
	batch := make([]*Pending, 0, 64)
	for a := range q.reqs {
		batch = append(batch[:0], a)
	drain:
		for len(batch) < q.maxBatch {
			select {
			case a, ok := <-q.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, a)
			default:
				break drain
			}
		}
		q.commit(batch)
		for _, a := range batch {
			close(a.done)
		}
	}
}

// Closed reports whether Close has been called.
func (q *Queue) Closed() bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.closed
}

// Check returns ErrClosed once Close has been called, and nil before: the
// backends' guard on reads.
func (q *Queue) Check() error {
	if q.Closed() {
		return ErrClosed
	}
	return nil
}

// Close commits what is queued and stops the committers. It reports whether
// this call closed the queue.
func (q *Queue) Close() bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	q.closed = true
	close(q.reqs)
	q.mu.Unlock()
	q.wg.Wait()
	return true
}
