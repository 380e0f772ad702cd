package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// The log's streams in the store. All entries are in one stream, so nodes
// sharing a store share one order; an entry's index is its position.
const (
	LogStream        = "audit/log"
	CheckpointStream = "audit/checkpoints"
)

// Log appends audit entries to a store. It keeps no state of its own, so
// it is safe for concurrent use and any number of nodes may append to one
// store at once.
type Log struct {
	s   store.Store
	clk clock.Clock
}

// New returns a Log on s, stamping entries with clk (nil means the system clock).
func New(s store.Store, clk clock.Clock) *Log {
	return &Log{s: s, clk: clock.Or(clk)}
}

// Append validates e, stamps it with the format version and the server's
// time, and stores it. It returns only once the entry is durable, with
// the entry's index in the log. On any error nothing has been stored
// (a store that fails mid-write stores either the whole entry or none of
// it), and the caller must not take the action.
func (l *Log) Append(ctx context.Context, e Entry) (int64, error) {
	w, err := l.Prepare(e)
	if err != nil {
		return -1, err
	}
	n, err := l.s.Append(ctx, w.Stream, w.Expect, w.Records...)
	if err != nil {
		return -1, fmt.Errorf("audit append: %w", err)
	}
	return n - 1, nil
}

// Prepare validates e and stamps it as Append does, and returns the store
// write that appends it to the log, for an act that stores its own change
// and its record in one store.AppendAll: the record is then stored if and
// only if the act is, in one durable write. The entry's index is the
// log's length AppendAll returns for this write, less one.
func (l *Log) Prepare(e Entry) (store.Write, error) {
	if err := e.Validate(); err != nil {
		return store.Write{}, err
	}
	e.V = Version
	e.Time = l.clk.Now().UTC()
	b, err := json.Marshal(e)
	if err != nil {
		return store.Write{}, fmt.Errorf("%w: %v", ErrInvalidEntry, err)
	}
	return store.Write{Stream: LogStream, Expect: -1, Records: [][]byte{b}}, nil
}

// Store returns the store the log appends to.
func (l *Log) Store() store.Store { return l.s }

// On reports whether the log appends to s itself, so that an act on s can
// store its entry in the same s.AppendAll (a wrapper of s is another
// store).
func (l *Log) On(s store.Store) bool {
	a, b := reflect.ValueOf(l.s), reflect.ValueOf(s)
	return a.IsValid() && b.IsValid() && a.Type() == b.Type() && a.Comparable() && a.Equal(b)
}

// Abort records that the action of entry index, which was e, was not taken
// after all (taking it failed): an entry with e's actor and target, the
// action e.Action.Aborted() and the reason given.
func (l *Log) Abort(ctx context.Context, index int64, e Entry, reason string) (int64, error) {
	return l.Append(ctx, Entry{
		Actor:  e.Actor,
		Action: e.Action.Aborted(),
		Target: e.Target,
		Reason: reason,
		Aborts: &index,
	})
}

// Take takes an act on store s and stores its entry e in the same durable
// write where it can: together stores the act with the write its prepare
// argument returns (called again on each try, so the entry's time is the
// try's), in one s.AppendAll. Where that cannot be (the log is on another
// store than s, or together fails with store.ErrNotAtomic, nothing
// stored), Take falls back to separate writes, the record first: e is
// appended, then alone takes the act by itself, and an act alone fails is
// recorded as not taken (Abort). An entry that cannot be appended fails
// with ErrNotRecorded and alone is not called. Other errors are
// together's or alone's, as they are; together wraps its store failures
// in ErrNotRecorded itself, since only it can tell them from refusals.
func (l *Log) Take(ctx context.Context, s store.Store, e Entry, together func(prepare func() (store.Write, error)) error, alone func() error) error {
	if l.On(s) {
		err := together(func() (store.Write, error) { return l.Prepare(e) })
		if !errors.Is(err, store.ErrNotAtomic) {
			return err
		}
	}
	i, err := l.Append(ctx, e)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotRecorded, err)
	}
	if err := alone(); err != nil {
		if _, aerr := l.Abort(ctx, i, e, err.Error()); aerr != nil {
			return errors.Join(err, fmt.Errorf("record entry %d as not taken: %w", i, aerr))
		}
		return err
	}
	return nil
}

// AppendNext is store.AppendNextWith of the one entry prepare returns, for
// Take's together: the records next decides on stream and the entry in
// one write, both decided again after a conflict. A failed write (not a
// refusal by next, nor a conflict) wraps ErrNotRecorded; ErrNotAtomic
// stays visible for Take to fall back.
func AppendNext(ctx context.Context, s store.Store, stream string, f store.Follower, next func() ([][]byte, error), prepare func() (store.Write, error)) error {
	var refused error
	_, err := store.AppendNextWith(ctx, s, stream, f, func() ([][]byte, error) {
		recs, err := next()
		refused = err
		return recs, err
	}, func() ([]store.Write, error) {
		w, err := prepare()
		return []store.Write{w}, err
	})
	if err == nil || err == refused || errors.Is(err, store.ErrConflict) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNotRecorded, err)
}

// AppendWith stores w on s with the entry e in the same durable write
// (Take): an act whose change is one write known beforehand. A conflict
// on w's Expect stores neither and is store.ErrConflict; a failed write
// wraps ErrNotRecorded.
func (l *Log) AppendWith(ctx context.Context, s store.Store, e Entry, w store.Write) error {
	return l.Take(ctx, s, e, func(prepare func() (store.Write, error)) error {
		ew, err := prepare()
		if err == nil {
			_, err = s.AppendAll(ctx, w, ew)
		}
		if err == nil || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotAtomic) {
			return err
		}
		return fmt.Errorf("%w: %w", ErrNotRecorded, err)
	}, func() error {
		_, err := s.Append(ctx, w.Stream, w.Expect, w.Records...)
		return err
	})
}
