package results

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
)

// Stream names (docs/results.md).
const (
	prefixStandards = "results/standards/" // + status: one Standard per version
	prefixReleases  = "results/release/"   // + window: the Release, one record
	prefixAppeals   = "results/appeals/"   // + person: appeal records
)

// maxTries bounds how often a change is decided again after conflicts.
const maxTries = 25

// readAll decodes every record of stream.
func readAll[T any](ctx context.Context, st store.Store, stream string) ([]T, error) {
	recs, err := st.Read(ctx, stream, 0)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", stream, err)
	}
	out := make([]T, len(recs))
	for i, b := range recs {
		if err := json.Unmarshal(b, &out[i]); err != nil {
			return nil, fmt.Errorf("%w: %s record %d: %v", ErrCorrupt, stream, i, err)
		}
	}
	return out, nil
}

// update reads stream, asks decide for the record to append given the
// records so far, and appends it on condition that the stream has not
// moved on meanwhile, deciding again on a conflict. A refusal or a nil
// record appends nothing. It returns what was appended.
//
// The act's audit entry, which decide returns with its record (nil: none),
// goes to rec: in the same write as the record where rec is an audit log's
// on st (programme.LogOf, audit.Log.On), so that the entry is stored if
// and only if the record is, and a failed write wraps
// audit.ErrNotRecorded; otherwise, or where st cannot write both together
// (store.ErrNotAtomic), recorded first, once, before the first append.
func update[T any](ctx context.Context, st store.Store, stream string, rec programme.Recorder, decide func([]T) (*T, *audit.Entry, error)) (*T, error) {
	if rec == nil {
		return appendDecided(ctx, st, stream, decide, nil, nil)
	}
	if log := programme.LogOf(ctx, rec); log != nil && log.On(st) {
		v, err := appendDecided(ctx, st, stream, decide, log, nil)
		if !errors.Is(err, store.ErrNotAtomic) {
			return v, err
		}
	}
	recorded := false
	return appendDecided(ctx, st, stream, decide, nil, func(e audit.Entry) error {
		if recorded {
			return nil
		}
		if err := rec.Record(ctx, e); err != nil {
			return fmt.Errorf("%w: %s: %w", audit.ErrNotRecorded, e.Action, err)
		}
		recorded = true
		return nil
	})
}

// appendDecided is update's loop: with log set, the entry decide returns
// is stored in one AppendAll with the record; with first set, it is given
// to first before the record is appended.
func appendDecided[T any](ctx context.Context, st store.Store, stream string, decide func([]T) (*T, *audit.Entry, error), log *audit.Log, first func(audit.Entry) error) (*T, error) {
	for range maxTries {
		recs, err := readAll[T](ctx, st, stream)
		if err != nil {
			return nil, err
		}
		v, ent, err := decide(recs)
		if err != nil || v == nil {
			return nil, err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("encode %s record: %w", stream, err)
		}
		w := store.Write{Stream: stream, Expect: int64(len(recs)), Records: [][]byte{b}}
		switch {
		case ent != nil && log != nil:
			var aw store.Write
			if aw, err = log.Prepare(*ent); err != nil {
				return nil, fmt.Errorf("%w: %w", audit.ErrNotRecorded, err)
			}
			_, err = st.AppendAll(ctx, w, aw)
			if err != nil && !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrNotAtomic) {
				return nil, fmt.Errorf("%w: append %s: %w", audit.ErrNotRecorded, stream, err)
			}
		case ent != nil && first != nil:
			if err := first(*ent); err != nil {
				return nil, err
			}
			fallthrough
		default:
			_, err = st.Append(ctx, stream, w.Expect, w.Records...)
		}
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("append %s: %w", stream, err)
		}
	}
	return nil, ErrBusy
}
