package audit

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// tree is a Merkle tree's stored hashes in memory, in tlog's stored-hash
// order (tlog.StoredHashIndex); it is the tlog.HashReader the tree hashes
// and proofs read. Not safe for concurrent use.
type tree struct {
	h []tlog.Hash
	n int64 // leaves
}

var _ tlog.HashReader = (*tree)(nil)

// ReadHashes implements tlog.HashReader.
func (t *tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(t.h)) {
			return nil, fmt.Errorf("audit: hash %d not in a tree of %d leaves", x, t.n)
		}
		out[i] = t.h[x]
	}
	return out, nil
}

// add appends a leaf given its record hash.
func (t *tree) add(leaf tlog.Hash) error {
	hs, err := tlog.StoredHashesForRecordHash(t.n, leaf, t)
	if err != nil {
		return err
	}
	t.h = append(t.h, hs...)
	t.n++
	return nil
}

// grow makes room for n more leaves.
func (t *tree) grow(n int) { t.h = slices.Grow(t.h, 2*n) }

// leaf returns the record hash of leaf i.
func (t *tree) leaf(i int64) tlog.Hash { return t.h[tlog.StoredHashIndex(0, i)] }

// root returns the tree hash of the first n leaves.
func (t *tree) root(n int64) (tlog.Hash, error) { return tlog.TreeHash(n, t) }

// Checkpoint is a signed statement of the log's size and Merkle root, in
// the common checkpoint text format: the origin line (the signing key's
// name), the tree size in decimal, the root hash in base64, each ending
// in a newline.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
}

// String returns the checkpoint's text, the body of its signed note.
func (c Checkpoint) String() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, c.Root)
}

// ParseCheckpoint reads a checkpoint's text (a note's body). Lines after
// the third (extensions) are allowed and ignored.
func ParseCheckpoint(text string) (Checkpoint, error) {
	bad := func(what string) (Checkpoint, error) {
		return Checkpoint{}, fmt.Errorf("audit: malformed checkpoint: %s", what)
	}
	if !strings.HasSuffix(text, "\n") {
		return bad("no final newline")
	}
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 {
		return bad("fewer than three lines")
	}
	if lines[0] == "" {
		return bad("empty origin")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return bad("size " + strconv.Quote(lines[1]))
	}
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		return bad("root hash " + strconv.Quote(lines[2]))
	}
	return Checkpoint{Origin: lines[0], Size: n, Root: tlog.Hash(h)}, nil
}

// noteText returns the body of a signed note without checking its
// signatures: everything up to the blank line before the last signature
// block, as note.Open splits it.
func noteText(msg []byte) (string, error) {
	i := bytes.LastIndex(msg, []byte("\n\n"))
	if i < 0 {
		return "", fmt.Errorf("audit: malformed note")
	}
	return string(msg[:i+1]), nil
}

// record is a checkpoint as stored in CheckpointStream: the signed note,
// and the record hashes of the entries it adds to the previous checkpoint,
// 32 bytes each in order. The leaves are not signed themselves; the
// signed root commits to them, so Verify can tell which entry differs.
type record struct {
	Note   string `json:"note"`
	Leaves []byte `json:"leaves"`
}
