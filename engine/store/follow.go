package store

import (
	"context"
	"errors"
)

// Follower is an in-memory copy of one stream, built by applying its
// records in order: an attempt, a marking sheet.
type Follower interface {
	// Len is how many of the stream's records the copy has applied: the
	// length the next append expects.
	Len() int64
	// CatchUp applies the records appended since, by this node or another.
	CatchUp(ctx context.Context) error
}

// Conflicts bounds how often AppendNext catches up and decides again before
// it gives up with ErrConflict.
const Conflicts = 3

// AppendNext appends the records next decides on, on condition that the
// stream is where f has reached. When another writer got there first it
// catches f up and calls next again, so next always decides on the
// current state. An error from next is a refusal and is returned as it is;
// nothing is appended. The caller applies the records to f only after a
// nil return: then they are durable.
func AppendNext(ctx context.Context, s Store, stream string, f Follower, next func() ([][]byte, error)) error {
	for range Conflicts {
		recs, err := next()
		if err != nil {
			return err
		}
		_, err = s.Append(ctx, stream, f.Len(), recs...)
		if !errors.Is(err, ErrConflict) {
			return err
		}
		if err := f.CatchUp(ctx); err != nil {
			return err
		}
	}
	return ErrConflict
}

// AppendNextWith is AppendNext that stores, in the same AppendAll, the
// writes with returns: the decided records and these are durable together
// or not at all. with is called again on each try, after next, so what it
// returns (an audit entry stamped with the time) is of the try that is
// stored. Only the stream's own write is conditional: with's writes should
// have Expect < 0, since a conflict is resolved by catching f up. It
// returns the lengths AppendAll gives with's streams, in order. A store
// that cannot write them together fails with ErrNotAtomic, nothing
// stored: the caller falls back to separate writes.
func AppendNextWith(ctx context.Context, s Store, stream string, f Follower, next func() ([][]byte, error), with func() ([]Write, error)) ([]int64, error) {
	for range Conflicts {
		recs, err := next()
		if err != nil {
			return nil, err
		}
		more, err := with()
		if err != nil {
			return nil, err
		}
		ns, err := s.AppendAll(ctx, append([]Write{{Stream: stream, Expect: f.Len(), Records: recs}}, more...)...)
		if err == nil {
			return ns[1:], nil
		}
		if !errors.Is(err, ErrConflict) {
			return nil, err
		}
		if err := f.CatchUp(ctx); err != nil {
			return nil, err
		}
	}
	return nil, ErrConflict
}
