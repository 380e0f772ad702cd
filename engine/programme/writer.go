package programme

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/store"
)

// state is an in-memory copy of a stream, built by applying its records
// in order. apply must accept whatever decide produced.
type state interface {
	apply(r *record) error
}

// op is one decision queued on a writer. decide looks at the state as it
// stands, with the decisions before it in the batch applied, and returns
// the record to append, nil for nothing to do, or a refusal.
type op[S state] struct {
	decide func(S) (*record, error)
	read   bool    // decide on the stream as stored: read it first
	rec    *record // what decide returned, once durable
	err    error
	done   chan struct{}
}

// writer owns the in-memory copy of one stream on this node and batches
// the decisions on it: one goroutine at a time (the committer) decides
// every queued op on the copy and appends all their records in one
// conditional Append, so a busy stream (a sitting being booked) costs one
// durable write per batch rather than per booking. When another node has
// appended meanwhile the Append conflicts; the copy is read again and the
// whole batch decided again.
type writer[S state] struct {
	stream string
	fresh  func() S
	// durable, if set, is told of every record known durable: read from
	// the store or appended by this writer. It may hear a record twice.
	durable func(r *record)
	// optimistic skips reading the stream before deciding when the copy
	// is loaded: a conflicting Append, or any refusal, reads it again and
	// decides again, so nothing is refused on a stale copy. For small
	// streams, which a refusal reads whole.
	optimistic bool

	mu    sync.Mutex // protects queue and busy
	queue []*op[S]
	busy  bool

	// Owned by the committer.
	st     S
	n      int64 // records applied to st
	loaded bool
}

// maxTries bounds how often a batch is decided again after conflicts.
const maxTries = 25

// commitTimeout bounds one batch's store calls.
const commitTimeout = 10 * time.Second

func newWriter[S state](stream string, fresh func() S) *writer[S] {
	return &writer[S]{stream: stream, fresh: fresh}
}

// do queues decide and waits until its record is durable or refused. It
// returns the record appended (nil when there was nothing to do).
func (w *writer[S]) do(ctx context.Context, s store.Store, decide func(S) (*record, error)) (*record, error) {
	return w.queueOp(ctx, s, &op[S]{decide: decide, done: make(chan struct{})})
}

func (w *writer[S]) queueOp(ctx context.Context, s store.Store, o *op[S]) (*record, error) {
	w.mu.Lock()
	w.queue = append(w.queue, o)
	if w.busy {
		w.mu.Unlock()
		select {
		case <-o.done:
			return o.rec, o.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	w.busy = true
	for len(w.queue) > 0 {
		batch := w.queue
		w.queue = nil
		w.mu.Unlock()
		w.commit(context.WithoutCancel(ctx), s, batch)
		w.mu.Lock()
	}
	w.busy = false
	w.mu.Unlock()
	<-o.done
	return o.rec, o.err
}

// view runs f on the copy, caught up with the store first.
func (w *writer[S]) view(ctx context.Context, s store.Store, f func(S)) error {
	_, err := w.queueOp(ctx, s, &op[S]{decide: func(st S) (*record, error) {
		f(st)
		return nil, nil
	}, read: true, done: make(chan struct{})})
	return err
}

// peek runs f on the copy as this node has it, read once at least.
func (w *writer[S]) peek(ctx context.Context, s store.Store, f func(S)) error {
	_, err := w.do(ctx, s, func(st S) (*record, error) {
		f(st)
		return nil, nil
	})
	return err
}

func (w *writer[S]) commit(ctx context.Context, s store.Store, batch []*op[S]) {
	ctx, cancel := context.WithTimeout(ctx, commitTimeout)
	defer cancel()
	err := ErrBusy
	for try := range maxTries {
		read := !w.optimistic || !w.loaded || try > 0 || slices.ContainsFunc(batch, func(o *op[S]) bool { return o.read })
		if read {
			if err = w.catchUp(ctx, s); err != nil {
				break
			}
		}
		var recs [][]byte
		base, refused := w.n, false
		for _, o := range batch {
			o.rec, o.err = w.decideOne(o)
			refused = refused || o.err != nil
			if o.rec != nil {
				b, _ := json.Marshal(o.rec)
				recs = append(recs, b)
			}
		}
		if refused && !read {
			w.loaded, err = false, ErrBusy // decide again on the stream as stored
			continue
		}
		if len(recs) == 0 {
			err = nil
			break
		}
		_, err = s.Append(ctx, w.stream, base, recs...)
		if err == nil {
			w.publish(batch)
			break
		}
		w.loaded = false // the copy holds undurable decisions: read it again
		if !errors.Is(err, store.ErrConflict) {
			err = fmt.Errorf("append %s: %w", w.stream, err)
			break
		}
		err = ErrBusy
	}
	for _, o := range batch {
		if err != nil {
			o.rec, o.err = nil, err
		}
		close(o.done)
	}
}

func (w *writer[S]) publish(batch []*op[S]) {
	if w.durable == nil {
		return
	}
	for _, o := range batch {
		if o.rec != nil {
			w.durable(o.rec)
		}
	}
}

// decideOne decides o and applies its record to the copy.
func (w *writer[S]) decideOne(o *op[S]) (*record, error) {
	rec, err := o.decide(w.st)
	if err != nil || rec == nil {
		return nil, err
	}
	if err := w.st.apply(rec); err != nil {
		panic(fmt.Sprintf("programme: %s: a decided record does not apply: %v", w.stream, err))
	}
	w.n++
	return rec, nil
}

// catchUp applies the records appended since the copy was read, reading
// the stream whole when the copy was dropped.
func (w *writer[S]) catchUp(ctx context.Context, s store.Store) error {
	if !w.loaded {
		w.st, w.n = w.fresh(), 0
	}
	recs, err := s.Read(ctx, w.stream, w.n)
	if err != nil {
		return fmt.Errorf("read %s: %w", w.stream, err)
	}
	for i, b := range recs {
		var r record
		if err := json.Unmarshal(b, &r); err != nil {
			w.loaded = false
			return fmt.Errorf("%w: %s record %d: %v", ErrCorrupt, w.stream, w.n+int64(i), err)
		}
		if err := w.st.apply(&r); err != nil {
			w.loaded = false
			return fmt.Errorf("%w: %s record %d: %v", ErrCorrupt, w.stream, w.n+int64(i), err)
		}
		if w.durable != nil {
			w.durable(&r)
		}
	}
	w.n += int64(len(recs))
	w.loaded = true
	return nil
}

// writers keeps one writer per stream name.
type writers[S state] struct {
	fresh      func() S
	optimistic bool
	mu         sync.Mutex // protects m
	m          map[string]*writer[S]
}

func (ws *writers[S]) get(stream string) *writer[S] {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.m == nil {
		ws.m = map[string]*writer[S]{}
	}
	w, ok := ws.m[stream]
	if !ok {
		w = newWriter(stream, ws.fresh)
		w.optimistic = ws.optimistic
		ws.m[stream] = w
	}
	return w
}
