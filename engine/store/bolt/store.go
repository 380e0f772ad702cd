// Package bolt is the engine's embedded store on bbolt: one file on
// local disk, every acknowledged record fsynced.
//
// Concurrent Appends are queued to a single committer goroutine that writes
// everything waiting in one transaction and one fsync (group commit, see
// store.Queue): thousands of candidates answering at once cost few
// fsyncs.
//
// Layout: a top-level bucket "streams" holds one nested bucket per stream;
// its keys are 8-byte big-endian positions from 0.
package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/accredit/accredit/engine/store"
)

var _ store.Store = (*Store)(nil)

var bucketStreams = []byte("streams")

// maxBatch bounds how many Appends one transaction carries.
const maxBatch = 4096

// Options tune a Store; the zero value is sensible.
type Options struct {
	// OnCommit, if set, is called after each commit with the number of
	// Appends it carried and how long the transaction took.
	OnCommit func(appends int, took time.Duration)
}

// Store is a bbolt-backed store.Store.
type Store struct {
	db   *bbolt.DB
	opts Options
	q    *store.Queue // one committer: bbolt allows one writer
}

// Open opens or creates the store file at path.
func Open(path string, opts Options) (*Store, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketStreams)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: db, opts: opts}
	s.q = store.NewQueue(1, maxBatch, s.commit)
	return s, nil
}

// Append implements store.Store.
func (s *Store) Append(ctx context.Context, stream string, expect int64, records ...[]byte) (int64, error) {
	return s.q.Do(ctx, stream, expect, records)
}

// AppendAll implements store.Store: the writes go into one transaction.
func (s *Store) AppendAll(ctx context.Context, writes ...store.Write) ([]int64, error) {
	return s.q.DoAll(ctx, writes)
}

// errRollback abandons a transaction in which one Append failed part way,
// so that none of its records is committed; the batch is then committed
// again without it.
var errRollback = errors.New("roll back")

func (s *Store) commit(batch []*store.Pending) {
	start := time.Now()
	live := batch
	for len(live) > 0 {
		var failed *store.Pending
		err := s.db.Update(func(tx *bbolt.Tx) error {
			root := tx.Bucket(bucketStreams)
			for _, a := range live {
				if err := appendTx(root, a); err != nil {
					failed = a
					return errRollback
				}
			}
			return nil
		})
		if failed == nil {
			if err != nil {
				for _, a := range live {
					a.Err = fmt.Errorf("store commit: %w", err)
				}
			}
			break
		}
		live = slices.DeleteFunc(slices.Clone(live), func(a *store.Pending) bool { return a == failed })
	}
	if s.opts.OnCommit != nil {
		s.opts.OnCommit(len(batch), time.Since(start))
	}
}

// appendTx stores a's writes in tx, or none of them when an Expect does not
// hold (a.Err ErrConflict, and the lengths found). Its error means a write
// failed part way: the transaction must be rolled back, a.Err says why.
func appendTx(root *bbolt.Bucket, a *store.Pending) error {
	writes := a.Writes()
	ns := make([]int64, len(writes))
	a.Err = nil
	for i, w := range writes {
		if b := root.Bucket([]byte(w.Stream)); b != nil {
			ns[i] = int64(b.Sequence())
		}
		if w.Expect >= 0 && w.Expect != ns[i] {
			a.Err = store.ErrConflict
		}
	}
	if a.Err == nil {
		for i, w := range writes {
			n, err := putAll(root, w, ns[i])
			if err != nil {
				a.Err = fmt.Errorf("store append %s: %w", w.Stream, err)
				return a.Err
			}
			ns[i] = n
		}
	}
	if a.All != nil {
		a.Ns = ns
	} else {
		a.N = ns[0]
	}
	return nil
}

// putAll appends w's records to its stream, which holds n records.
func putAll(root *bbolt.Bucket, w store.Write, n int64) (int64, error) {
	b, err := root.CreateBucketIfNotExists([]byte(w.Stream))
	if err != nil {
		return n, err
	}
	for _, rec := range w.Records {
		if err := b.Put(key(n), rec); err != nil {
			return n, err
		}
		n++
	}
	return n, b.SetSequence(uint64(n))
}

func key(i int64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(i))
	return k[:]
}

// Read implements store.Store.
func (s *Store) Read(ctx context.Context, stream string, from int64) ([][]byte, error) {
	if stream == "" {
		return nil, store.ErrEmptyStream
	}
	if err := s.q.Check(); err != nil {
		return nil, err
	}
	var out [][]byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketStreams).Bucket([]byte(stream))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(key(max(from, 0))); k != nil; k, v = c.Next() {
			out = append(out, bytes.Clone(v))
		}
		return nil
	})
	return out, err
}

// Streams implements store.Store.
func (s *Store) Streams(ctx context.Context, prefix string) ([]string, error) {
	if err := s.q.Check(); err != nil {
		return nil, err
	}
	var out []string
	p := []byte(prefix)
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketStreams).Cursor()
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			out = append(out, string(k))
		}
		return nil
	})
	return out, err
}

// Ping reports whether the store is open.
func (s *Store) Ping(ctx context.Context) error { return s.q.Check() }

// Close commits what is queued, stops the committer and closes the file.
func (s *Store) Close() error {
	if !s.q.Close() {
		return nil
	}
	return s.db.Close()
}
