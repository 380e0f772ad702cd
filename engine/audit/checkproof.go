package audit

import (
	"bytes"
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// MaxProofSize bounds the proof documents ParseProof reads.
const MaxProofSize = 1 << 20

// ParseProof reads a proof document (Proof's JSON form), untrusted input.
// It checks the shape only; CheckProof checks the proof.
func ParseProof(doc []byte) (*Proof, error) {
	if len(doc) > MaxProofSize {
		return nil, fmt.Errorf("%w: document of %d bytes", ErrBadProof, len(doc))
	}
	d := json.NewDecoder(bytes.NewReader(doc))
	d.DisallowUnknownFields()
	var p Proof
	if err := d.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadProof, err)
	}
	if d.More() {
		return nil, fmt.Errorf("%w: data after the document", ErrBadProof)
	}
	if p.Index < 0 || len(p.Hashes) > 64 {
		return nil, fmt.Errorf("%w: index %d, %d hashes", ErrBadProof, p.Index, len(p.Hashes))
	}
	return &p, nil
}

// CheckProof checks a proof document with the log's verifier key alone,
// using only the tlog and note packages: the checkpoint note's signature
// and origin, then the entry's record hash against the signed root
// through the proof's hashes. It returns the proof and its checkpoint.
func CheckProof(doc []byte, verifierKey string) (*Proof, Checkpoint, error) {
	p, err := ParseProof(doc)
	if err != nil {
		return nil, Checkpoint{}, err
	}
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return nil, Checkpoint{}, fmt.Errorf("audit verifier key: %w", err)
	}
	n, err := note.Open([]byte(p.Checkpoint), note.VerifierList(v))
	if err != nil {
		return nil, Checkpoint{}, fmt.Errorf("%w: checkpoint: %v", ErrBadProof, err)
	}
	cp, err := ParseCheckpoint(n.Text)
	if err != nil {
		return nil, Checkpoint{}, fmt.Errorf("%w: %v", ErrBadProof, err)
	}
	if cp.Origin != v.Name() {
		return nil, Checkpoint{}, fmt.Errorf("%w: checkpoint origin %q, key %q", ErrBadProof, cp.Origin, v.Name())
	}
	if p.Index >= cp.Size {
		return nil, Checkpoint{}, fmt.Errorf("%w: entry %d beyond the checkpoint's %d", ErrBadProof, p.Index, cp.Size)
	}
	if err := tlog.CheckRecord(p.Hashes, cp.Size, cp.Root, p.Index, tlog.RecordHash(p.Entry)); err != nil {
		return nil, Checkpoint{}, fmt.Errorf("%w: entry %d: %v", ErrBadProof, p.Index, err)
	}
	return p, cp, nil
}
