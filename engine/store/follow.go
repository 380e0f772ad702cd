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
