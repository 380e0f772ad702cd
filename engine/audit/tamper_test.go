package audit_test

import (
	"context"
	"encoding/binary"
	"errors"
	"path/filepath"
	"testing"

	goredis "github.com/redis/go-redis/v9"
	bbolt "go.etcd.io/bbolt"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/redis/redistest"
)

// tampering is what someone with write access to the database does to the
// stored log; entry is the index Verify must name.
type tampering struct {
	name  string
	entry int64
	// each backend's way of doing it
	mem   func([][]byte) [][]byte
	bolt  func(t *testing.T, b *bbolt.Bucket)
	redis func(ctx context.Context, c goredis.UniversalClient, key string) error
}

// The log under test holds 20 entries, all checkpointed.
const logged = 20

var tamperings = []tampering{
	{
		name: "change", entry: 7,
		mem: func(r [][]byte) [][]byte { r[7] = []byte(`{"forged":true}`); return r },
		bolt: func(t *testing.T, b *bbolt.Bucket) {
			must(t, b.Put(boltKey(7), []byte(`{"forged":true}`)))
		},
		redis: func(ctx context.Context, c goredis.UniversalClient, key string) error {
			return c.LSet(ctx, key, 7, `{"forged":true}`).Err()
		},
	},
	{
		name: "delete", entry: 11,
		mem: func(r [][]byte) [][]byte { return append(r[:11:11], r[12:]...) },
		bolt: func(t *testing.T, b *bbolt.Bucket) {
			// Shift the later entries down, as a deletion that hides itself would.
			for i := int64(11); i < logged-1; i++ {
				must(t, b.Put(boltKey(i), b.Get(boltKey(i+1))))
			}
			must(t, b.Delete(boltKey(logged-1)))
			must(t, b.SetSequence(logged-1))
		},
		redis: func(ctx context.Context, c goredis.UniversalClient, key string) error {
			v, err := c.LIndex(ctx, key, 11).Result()
			if err != nil {
				return err
			}
			return c.LRem(ctx, key, 1, v).Err()
		},
	},
	{
		name: "delete last", entry: logged - 1,
		mem: func(r [][]byte) [][]byte { return r[:logged-1] },
		bolt: func(t *testing.T, b *bbolt.Bucket) {
			must(t, b.Delete(boltKey(logged-1)))
			must(t, b.SetSequence(logged-1))
		},
		redis: func(ctx context.Context, c goredis.UniversalClient, key string) error {
			return c.RPop(ctx, key).Err()
		},
	},
	{
		name: "reorder", entry: 3,
		mem: func(r [][]byte) [][]byte { r[3], r[15] = r[15], r[3]; return r },
		bolt: func(t *testing.T, b *bbolt.Bucket) {
			a, c := b.Get(boltKey(3)), b.Get(boltKey(15))
			a, c = append([]byte(nil), a...), append([]byte(nil), c...)
			must(t, b.Put(boltKey(3), c))
			must(t, b.Put(boltKey(15), a))
		},
		redis: func(ctx context.Context, c goredis.UniversalClient, key string) error {
			// Rewrite the whole list with two entries swapped.
			vals, err := c.LRange(ctx, key, 0, -1).Result()
			if err != nil {
				return err
			}
			vals[3], vals[15] = vals[15], vals[3]
			args := make([]any, len(vals))
			for i, v := range vals {
				args[i] = v
			}
			if err := c.Del(ctx, key).Err(); err != nil {
				return err
			}
			return c.RPush(ctx, key, args...).Err()
		},
	},
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func boltKey(i int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(i)) }

// fill appends the entries and checkpoints them.
func fill(t *testing.T, s store.Store) {
	t.Helper()
	r := newRig(t, s)
	r.append(t, logged/2)
	r.clk.Advance(audit.DefaultInterval)
	r.append(t, logged/2)
	must(t, r.cp.Close(context.Background()))
	if _, err := audit.Verify(context.Background(), s, verifierKey); err != nil {
		t.Fatalf("untouched log: %v", err)
	}
}

// wantTamper checks that Verify fails naming the entry.
func wantTamper(t *testing.T, s store.Store, entry int64) {
	t.Helper()
	_, err := audit.Verify(context.Background(), s, verifierKey)
	var te *audit.TamperError
	if !errors.As(err, &te) || !errors.Is(err, audit.ErrTampered) {
		t.Fatalf("Verify = %v, want a *TamperError", err)
	}
	if te.Entry != entry {
		t.Fatalf("Verify names entry %d (%v), want %d", te.Entry, err, entry)
	}
	t.Log(err)
}

func TestTamperMemory(t *testing.T) {
	for _, tc := range tamperings {
		t.Run(tc.name, func(t *testing.T) {
			s := newMem()
			fill(t, s)
			s.edit(audit.LogStream, tc.mem)
			wantTamper(t, s, tc.entry)
		})
	}
}

func TestTamperBolt(t *testing.T) {
	for _, tc := range tamperings {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "accredit.db")
			s, err := bolt.Open(path, bolt.Options{})
			must(t, err)
			fill(t, s)
			must(t, s.Close())

			db, err := bbolt.Open(path, 0o600, nil)
			must(t, err)
			must(t, db.Update(func(tx *bbolt.Tx) error {
				tc.bolt(t, tx.Bucket([]byte("streams")).Bucket([]byte(audit.LogStream)))
				return nil
			}))
			must(t, db.Close())

			s, err = bolt.Open(path, bolt.Options{})
			must(t, err)
			defer s.Close()
			wantTamper(t, s, tc.entry)
		})
	}
}

func TestTamperRedis(t *testing.T) {
	redistest.URL(t, redistest.Standalone)
	for _, tc := range tamperings {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ro, opts := redistest.Options(t, redistest.Standalone)
			opts.Relaxed = true // the test server need not fsync
			ctx := context.Background()
			s, err := redis.Open(ctx, ro, opts)
			must(t, err)
			defer s.Close()
			fill(t, s)
			must(t, tc.redis(ctx, s.Client(), opts.Prefix+"{"+audit.LogStream+"}"))
			wantTamper(t, s, tc.entry)
		})
	}
}

// TestTamperCheckpoints: a checkpoint record changed, removed or re-signed
// with another key is named by its number.
func TestTamperCheckpoints(t *testing.T) {
	otherSigner, _, err := audit.GenerateKey("accredit.test/audit")
	must(t, err)
	for _, tc := range []struct {
		name string
		edit func([][]byte) [][]byte
		cp   int
	}{
		{"leaves changed", func(r [][]byte) [][]byte {
			r[1] = []byte(string(r[1][:len(r[1])-6]) + `AAAA"}`)
			return r
		}, 1},
		{"first removed", func(r [][]byte) [][]byte { return r[1:] }, 0},
		{"garbage", func(r [][]byte) [][]byte { r[0] = []byte("{}"); return r }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newMem()
			fill(t, s)
			s.edit(audit.CheckpointStream, tc.edit)
			_, err := audit.Verify(context.Background(), s, verifierKey)
			var te *audit.TamperError
			if !errors.As(err, &te) || te.Checkpoint != tc.cp {
				t.Fatalf("Verify = %v, want checkpoint %d named", err, tc.cp)
			}
		})
	}
	t.Run("other signer", func(t *testing.T) {
		s := newMem()
		fill(t, s)
		cp, err := audit.NewCheckpointer(s, otherSigner, audit.CheckpointerOptions{})
		must(t, err)
		audit.New(s, nil).Append(context.Background(), entry(0))
		must(t, cp.Close(context.Background()))
		_, err = audit.Verify(context.Background(), s, verifierKey)
		var te *audit.TamperError
		if !errors.As(err, &te) || te.Checkpoint != 2 {
			t.Fatalf("Verify = %v, want checkpoint 2 named", err)
		}
	})
}
