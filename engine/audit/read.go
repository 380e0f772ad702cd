package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/accredit/accredit/engine/store"
)

// Stored is an entry as read back: its index in the log and its bytes as
// stored, which are what the Merkle tree hashes.
type Stored struct {
	Index int64           `json:"index"`
	Entry Entry           `json:"entry"`
	Raw   json.RawMessage `json:"-"`
}

// Read returns the entries of the log from index from on, oldest first.
// An entry that does not decode is an error naming its index: Verify says
// whether the log was tampered with.
func Read(ctx context.Context, s store.Store, from int64) ([]Stored, error) {
	recs, err := s.Read(ctx, LogStream, from)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	out := make([]Stored, len(recs))
	for i, b := range recs {
		out[i] = Stored{Index: from + int64(i), Raw: b}
		if err := json.Unmarshal(b, &out[i].Entry); err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", from+int64(i), err)
		}
	}
	return out, nil
}

// Latest returns the newest signed checkpoint note, or "" when none has
// been published yet.
func Latest(ctx context.Context, s store.Store) (string, error) {
	cps, err := s.Read(ctx, CheckpointStream, 0)
	if err != nil {
		return "", fmt.Errorf("read audit checkpoints: %w", err)
	}
	if len(cps) == 0 {
		return "", nil
	}
	var r record
	if err := json.Unmarshal(cps[len(cps)-1], &r); err != nil {
		return "", fmt.Errorf("audit checkpoint %d: %w", len(cps)-1, err)
	}
	return r.Note, nil
}
