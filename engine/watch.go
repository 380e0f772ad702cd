package engine

import "sync"

// RoomWatch is one watcher of a sitting's room: it is signalled when any
// candidate's row changes, on this node or another, and says which rows.
// A watcher that does not keep up misses nothing: the rows marked while it
// was busy are taken together. It is safe for concurrent use.
type RoomWatch struct {
	e       *Engine
	sitting string
	ch      chan struct{} // capacity 1: a pending signal

	mu    sync.Mutex      // protects dirty and all
	dirty map[string]bool // candidates whose rows changed
	all   bool            // every row changed
}

// WatchRoom starts watching a sitting's room; Stop ends it.
func (e *Engine) WatchRoom(sittingID string) *RoomWatch {
	w := &RoomWatch{e: e, sitting: sittingID, ch: make(chan struct{}, 1), dirty: map[string]bool{}}
	e.room.mu.Lock()
	if e.room.watchers[sittingID] == nil {
		e.room.watchers[sittingID] = map[*RoomWatch]bool{}
	}
	e.room.watchers[sittingID][w] = true
	e.room.mu.Unlock()
	return w
}

// C is signalled when rows have changed since the last Take.
func (w *RoomWatch) C() <-chan struct{} { return w.ch }

// Take returns the candidates whose rows changed since the last Take, or
// all true when every row may have.
func (w *RoomWatch) Take() (cands []string, all bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for c := range w.dirty {
		cands = append(cands, c)
	}
	clear(w.dirty)
	all, w.all = w.all, false
	return cands, all
}

// Stop ends the watch.
func (w *RoomWatch) Stop() {
	w.e.room.mu.Lock()
	delete(w.e.room.watchers[w.sitting], w)
	if len(w.e.room.watchers[w.sitting]) == 0 {
		delete(w.e.room.watchers, w.sitting)
	}
	w.e.room.mu.Unlock()
}

func (w *RoomWatch) mark(cand string) {
	w.mu.Lock()
	if cand == "" {
		w.all = true
	} else {
		w.dirty[cand] = true
	}
	w.mu.Unlock()
	select {
	case w.ch <- struct{}{}:
	default: // a signal is pending already
	}
}

// touch marks a candidate's row (every row, if cand is empty) for the
// sitting's watchers on this node. It never blocks.
func (e *Engine) touch(sittingID, cand string) {
	e.room.mu.Lock()
	defer e.room.mu.Unlock()
	for w := range e.room.watchers[sittingID] {
		w.mark(cand)
	}
}
