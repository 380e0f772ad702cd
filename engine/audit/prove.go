package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/accredit/accredit/engine/store"
)

// Proof is a self-contained inclusion proof: entry Index, whose stored
// bytes are Entry, is in the log the signed Checkpoint note describes.
// Anyone holding the verifier key checks it with CheckProof, or with the
// steps in docs/audit.md. Its JSON form is the proof document.
type Proof struct {
	Index      int64            `json:"index"`
	Entry      []byte           `json:"entry"`      // base64 in JSON
	Checkpoint string           `json:"checkpoint"` // the signed note
	Hashes     tlog.RecordProof `json:"proof"`      // base64 hashes
}

// Prove returns an inclusion proof of entry n against the latest
// checkpoint. It fails with ErrNoCheckpoint before the first checkpoint,
// ErrNotCovered for an entry the checkpoint does not cover, and a
// *TamperError when the stored entry or checkpoints do not hash to the
// checkpoint's root. It does not check the signature: CheckProof does.
func Prove(ctx context.Context, s store.Store, n int64) (*Proof, error) {
	cps, err := s.Read(ctx, CheckpointStream, 0)
	if err != nil {
		return nil, fmt.Errorf("audit prove: %w", err)
	}
	if len(cps) == 0 {
		return nil, ErrNoCheckpoint
	}
	t, last, err := signedTree(cps)
	if err != nil {
		return nil, err
	}
	cp, err := parseRecord(cps[len(cps)-1])
	if err != nil {
		return nil, &TamperError{Entry: -1, Checkpoint: len(cps) - 1, Problem: "does not parse", Err: err}
	}
	if cp.Size != t.n {
		return nil, &TamperError{Entry: -1, Checkpoint: len(cps) - 1,
			Problem: fmt.Sprintf("size %d, but the records carry %d leaves", cp.Size, t.n)}
	}
	if n < 0 || n >= cp.Size {
		return nil, fmt.Errorf("%w: entry %d, checkpoint size %d", ErrNotCovered, n, cp.Size)
	}
	if root, err := t.root(cp.Size); err != nil || root != cp.Root {
		return nil, &TamperError{Entry: -1, Checkpoint: len(cps) - 1, Problem: "leaves do not hash to the signed root", Err: err}
	}
	recs, err := s.Read(ctx, LogStream, n)
	if err != nil {
		return nil, fmt.Errorf("audit prove: %w", err)
	}
	if len(recs) == 0 || tlog.RecordHash(recs[0]) != t.leaf(n) {
		return nil, &TamperError{Entry: n, Checkpoint: -1, Problem: "its stored bytes are not the ones signed"}
	}
	p, err := tlog.ProveRecord(cp.Size, n, t)
	if err != nil {
		return nil, fmt.Errorf("audit prove: %w", err)
	}
	return &Proof{Index: n, Entry: recs[0], Checkpoint: last.Note, Hashes: p}, nil
}

// signedTree builds the tree of the leaves the checkpoint records carry,
// without checking signatures, and returns the latest record.
func signedTree(cps [][]byte) (*tree, record, error) {
	t := &tree{}
	var r record
	for k, b := range cps {
		r = record{}
		if err := json.Unmarshal(b, &r); err != nil || len(r.Leaves)%tlog.HashSize != 0 {
			return nil, r, &TamperError{Entry: -1, Checkpoint: k, Problem: "malformed record", Err: err}
		}
		for i := 0; i < len(r.Leaves); i += tlog.HashSize {
			if err := t.add(tlog.Hash(r.Leaves[i : i+tlog.HashSize])); err != nil {
				return nil, r, err
			}
		}
	}
	return t, r, nil
}
