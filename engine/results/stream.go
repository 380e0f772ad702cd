package results

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

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
func update[T any](ctx context.Context, st store.Store, stream string, decide func([]T) (*T, error)) (*T, error) {
	for range maxTries {
		recs, err := readAll[T](ctx, st, stream)
		if err != nil {
			return nil, err
		}
		rec, err := decide(recs)
		if err != nil || rec == nil {
			return nil, err
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return nil, fmt.Errorf("encode %s record: %w", stream, err)
		}
		_, err = st.Append(ctx, stream, int64(len(recs)), b)
		if err == nil {
			return rec, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("append %s: %w", stream, err)
		}
	}
	return nil, ErrBusy
}
