package programme

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/audit"
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
	// side, if set, is a record for another stream stored in the same
	// AppendAll as rec, on that stream's length the op was decided on.
	side *sideWrite
	// adopt, if set, makes the op tell the copy of a record another
	// writer stored on this stream; nothing is decided or appended.
	adopt *sideWrite
	// entry, if set, returns the audit log record of the act decide
	// decided (nil: none), asked once per try after decide: it is stored
	// in the same AppendAll as rec, so the act is recorded if and only if
	// it is taken. An error refuses the act.
	entry func() ([]byte, error)
}

// sideWrite is one record for stream, stored when stream holds n records.
type sideWrite struct {
	stream string
	n      int64
	rec    *record
}

// errSideMoved fails an op whose side stream had moved on from the length
// it was decided on: its caller reads that stream again and decides again.
var errSideMoved = errors.New("stream moved since the decision")

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

// viewAt runs f on the copy, caught up with the store first, with the
// number of records it holds.
func (w *writer[S]) viewAt(ctx context.Context, s store.Store, f func(S, int64)) error {
	_, err := w.queueOp(ctx, s, &op[S]{decide: func(st S) (*record, error) {
		f(st, w.n)
		return nil, nil
	}, read: true, done: make(chan struct{})})
	return err
}

// adoptRec tells the copy of rec, stored by another writer when the
// stream held n records.
func (w *writer[S]) adoptRec(ctx context.Context, s store.Store, n int64, rec *record) {
	w.queueOp(ctx, s, &op[S]{adopt: &sideWrite{stream: w.stream, n: n, rec: rec}, done: make(chan struct{})})
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
	batch = slices.DeleteFunc(batch, func(o *op[S]) bool {
		if o.adopt == nil {
			return false
		}
		w.adoptOne(o.adopt)
		close(o.done)
		return true
	})
	err := ErrBusy
	for try := range maxTries {
		if len(batch) == 0 {
			err = nil
			break
		}
		read := !w.optimistic || !w.loaded || try > 0 || slices.ContainsFunc(batch, func(o *op[S]) bool { return o.read })
		if read {
			if err = w.catchUp(ctx, s); err != nil {
				break
			}
		}
		var recs, entries [][]byte
		base, refused := w.n, false
		for _, o := range batch {
			var entry []byte
			o.rec, entry, o.err = w.decideOne(o)
			refused = refused || o.err != nil
			if o.rec != nil {
				b, _ := json.Marshal(o.rec)
				recs = append(recs, b)
			}
			if entry != nil {
				entries = append(entries, entry)
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
		var sides []*op[S]
		for _, o := range batch {
			if o.rec != nil && o.side != nil {
				sides = append(sides, o)
			}
		}
		var found []int64
		if len(sides) == 0 && len(entries) == 0 {
			_, err = s.Append(ctx, w.stream, base, recs...)
		} else {
			writes := []store.Write{{Stream: w.stream, Expect: base, Records: recs}}
			for _, o := range sides {
				b, _ := json.Marshal(o.side.rec)
				writes = append(writes, store.Write{Stream: o.side.stream, Expect: o.side.n, Records: [][]byte{b}})
			}
			if len(entries) > 0 {
				writes = append(writes, store.Write{Stream: audit.LogStream, Expect: -1, Records: entries})
			}
			found, err = s.AppendAll(ctx, writes...)
		}
		if err == nil {
			w.publish(batch)
			break
		}
		w.loaded = false // the copy holds undurable decisions: read it again
		if errors.Is(err, store.ErrNotAtomic) || len(sides) > 0 && errors.Is(err, store.ErrConflict) && len(found) > len(sides) {
			// Fail the ops whose side write or audit entry cannot be
			// stored with their record; decide the rest again.
			failed := map[*op[S]]bool{}
			for _, o := range batch {
				if o.rec != nil && o.entry != nil && errors.Is(err, store.ErrNotAtomic) {
					o.err, failed[o] = store.ErrNotAtomic, true
				}
			}
			for i, o := range sides {
				switch {
				case errors.Is(err, store.ErrNotAtomic):
					o.err = store.ErrNotAtomic
				case found[i+1] != o.side.n:
					o.err = errSideMoved
				default:
					continue
				}
				failed[o] = true
			}
			for o := range failed {
				o.rec = nil
				close(o.done)
			}
			batch = slices.DeleteFunc(batch, func(o *op[S]) bool { return failed[o] })
			err = ErrBusy
			continue
		}
		if !errors.Is(err, store.ErrConflict) {
			err = fmt.Errorf("append %s: %w", w.stream, err)
			if len(entries) > 0 {
				err = fmt.Errorf("%w: %w", audit.ErrNotRecorded, err)
			}
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

// adoptOne applies a record stored by another writer at position a.n to
// the copy when the copy stands just before it; a copy further behind is
// dropped, to be read again.
func (w *writer[S]) adoptOne(a *sideWrite) {
	switch {
	case !w.loaded || w.n > a.n:
	case w.n == a.n:
		if err := w.st.apply(a.rec); err != nil {
			w.loaded = false
			return
		}
		w.n++
	default:
		w.loaded = false
	}
}

// decideOne decides o, asks for its audit entry, and applies its record
// to the copy.
func (w *writer[S]) decideOne(o *op[S]) (*record, []byte, error) {
	rec, err := o.decide(w.st)
	if err != nil || rec == nil {
		return nil, nil, err
	}
	var entry []byte
	if o.entry != nil {
		if entry, err = o.entry(); err != nil {
			return nil, nil, err
		}
	}
	if err := w.st.apply(rec); err != nil {
		panic(fmt.Sprintf("programme: %s: a decided record does not apply: %v", w.stream, err))
	}
	w.n++
	return rec, entry, nil
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
