package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/accredit/accredit/engine/store"
)

// TamperError locates where the stored log or its checkpoints differ from
// what was signed. Entry is the index of the first entry found wrong, or
// -1; Checkpoint is the number (0-based position in CheckpointStream) of
// the checkpoint concerned, or -1. It wraps ErrTampered and the cause.
type TamperError struct {
	Entry      int64
	Checkpoint int
	Problem    string
	Err        error // the cause, if any: a signature error
}

func (e *TamperError) Error() string {
	s := "audit: "
	if e.Entry >= 0 {
		s += fmt.Sprintf("entry %d: ", e.Entry)
	}
	if e.Checkpoint >= 0 {
		s += fmt.Sprintf("checkpoint %d: ", e.Checkpoint)
	}
	s += e.Problem
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns ErrTampered and the cause.
func (e *TamperError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrTampered}
	}
	return []error{ErrTampered, e.Err}
}

// Report is what Verify found in a log that checks.
type Report struct {
	Entries     int64      // entries stored
	Checkpoints int        // checkpoints stored
	Latest      Checkpoint // the latest checkpoint (zero if none)
	// Unsealed is how many entries follow the latest checkpoint: stored,
	// but not yet covered by a signature, so not yet checkable.
	Unsealed int64
}

// Verify reads the whole log and every checkpoint and checks each
// checkpoint's signature against verifierKey, that its origin is the
// key's name, that sizes never decrease, that each checkpoint's root is
// the tree at its size and is consistent with the checkpoint before it,
// and that every stored entry's hash, recomputed from its bytes, is the
// leaf the checkpoints signed. A failure is a *TamperError naming the
// entry or checkpoint; store errors are returned as they are.
func Verify(ctx context.Context, s store.Store, verifierKey string) (Report, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return Report{}, fmt.Errorf("audit verifier key: %w", err)
	}
	cps, err := s.Read(ctx, CheckpointStream, 0)
	if err != nil {
		return Report{}, fmt.Errorf("audit verify: %w", err)
	}
	signed, latest, err := checkCheckpoints(cps, v)
	if err != nil {
		return Report{}, err
	}
	entries, err := s.Read(ctx, LogStream, 0)
	if err != nil {
		return Report{}, fmt.Errorf("audit verify: %w", err)
	}
	if err := checkEntries(entries, signed, latest.Size, cps); err != nil {
		return Report{}, err
	}
	n := int64(len(entries))
	return Report{Entries: n, Checkpoints: len(cps), Latest: latest, Unsealed: n - latest.Size}, nil
}

// checkCheckpoints checks the checkpoint records in order and returns the
// tree of the leaves they sign and the latest checkpoint.
func checkCheckpoints(cps [][]byte, v note.Verifier) (*tree, Checkpoint, error) {
	t := &tree{}
	var prev Checkpoint
	for k, b := range cps {
		bad := func(cause error, format string, args ...any) error {
			return &TamperError{Entry: -1, Checkpoint: k, Problem: fmt.Sprintf(format, args...), Err: cause}
		}
		cp, leaves, err := openRecord(b, v)
		if err != nil {
			return nil, prev, bad(err, "does not open")
		}
		if cp.Size < prev.Size {
			return nil, prev, bad(nil, "size %d is smaller than the %d before it", cp.Size, prev.Size)
		}
		if int64(len(leaves)) != (cp.Size-prev.Size)*tlog.HashSize {
			return nil, prev, bad(nil, "carries %d leaf bytes for entries %d to %d", len(leaves), prev.Size, cp.Size)
		}
		t.grow(int(cp.Size - prev.Size))
		for i := 0; i < len(leaves); i += tlog.HashSize {
			if err := t.add(tlog.Hash(leaves[i : i+tlog.HashSize])); err != nil {
				return nil, prev, bad(err, "tree")
			}
		}
		root, err := t.root(cp.Size)
		if err != nil {
			return nil, prev, bad(err, "tree")
		}
		if root != cp.Root {
			return nil, prev, bad(nil, "its leaves do not hash to its signed root")
		}
		if prev.Size > 0 {
			p, err := tlog.ProveTree(cp.Size, prev.Size, t)
			if err == nil {
				err = tlog.CheckTree(p, cp.Size, cp.Root, prev.Size, prev.Root)
			}
			if err != nil {
				return nil, prev, bad(err, "not consistent with checkpoint %d", k-1)
			}
		}
		prev = cp
	}
	return t, prev, nil
}

// openRecord checks a checkpoint record's signature and returns its
// checkpoint and leaves.
func openRecord(b []byte, v note.Verifier) (Checkpoint, []byte, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return Checkpoint{}, nil, err
	}
	n, err := note.Open([]byte(r.Note), note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, nil, err
	}
	cp, err := ParseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	if cp.Origin != v.Name() {
		return Checkpoint{}, nil, fmt.Errorf("origin %q, want the key's name %q", cp.Origin, v.Name())
	}
	return cp, r.Leaves, nil
}

// checkEntries compares each entry's record hash with the signed leaf at
// its index, for the entries the checkpoints cover.
func checkEntries(entries [][]byte, signed *tree, size int64, cps [][]byte) error {
	covered := min(int64(len(entries)), size)
	for i := range covered {
		if tlog.RecordHash(entries[i]) != signed.leaf(i) {
			return locate(entries, signed, size, i, cps)
		}
	}
	if int64(len(entries)) < size {
		return &TamperError{Entry: int64(len(entries)), Checkpoint: len(cps) - 1,
			Problem: fmt.Sprintf("missing: the log holds %d entries, the checkpoint covers %d", len(entries), size)}
	}
	return nil
}

// locate explains the first entry, i, whose hash is not the signed leaf:
// it holds another signed entry (entries were deleted or reordered), or
// bytes no checkpoint signed (it was changed).
func locate(entries [][]byte, signed *tree, size, i int64, cps [][]byte) error {
	h := tlog.RecordHash(entries[i])
	k := checkpointCovering(cps, i)
	for j := range size {
		if j != i && signed.leaf(j) == h {
			return &TamperError{Entry: i, Checkpoint: k,
				Problem: fmt.Sprintf("holds the entry signed at index %d: entries deleted or reordered", j)}
		}
	}
	return &TamperError{Entry: i, Checkpoint: k, Problem: "its bytes are not the ones signed"}
}

// checkpointCovering returns the number of the first checkpoint whose size
// exceeds i; the records have already been checked.
func checkpointCovering(cps [][]byte, i int64) int {
	for k, b := range cps {
		if cp, err := parseRecord(b); err == nil && cp.Size > i {
			return k
		}
	}
	return -1
}
