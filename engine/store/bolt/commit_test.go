package bolt

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/accredit/accredit/engine/store"
)

// TestAppendAllFailsWhole makes the second write of an AppendAll fail part
// way through its transaction (its stream's name is taken by a plain key,
// as a damaged file could have it) while another Append shares the
// commit: the failed AppendAll stores nothing, the other Append is stored.
func TestAppendAllFailsWhole(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "accredit.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketStreams).Put([]byte("clash"), []byte("not a stream"))
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	var allErr, plainErr error
	wg.Go(func() {
		_, allErr = s.AppendAll(ctx,
			store.Write{Stream: "ok", Expect: -1, Records: [][]byte{[]byte("a")}},
			store.Write{Stream: "clash", Expect: -1, Records: [][]byte{[]byte("b")}})
	})
	wg.Go(func() { _, plainErr = s.Append(ctx, "other", -1, []byte("c")) })
	wg.Wait()
	if allErr == nil {
		t.Fatal("AppendAll to a stream that cannot be made succeeded")
	}
	if plainErr != nil {
		t.Fatalf("the Append sharing the commit failed: %v", plainErr)
	}
	if got, _ := s.Read(ctx, "ok", 0); len(got) != 0 {
		t.Fatalf("the failed AppendAll stored %q in its first stream", got)
	}
	if got, _ := s.Read(ctx, "other", 0); len(got) != 1 {
		t.Fatalf("other holds %q, want one record", got)
	}
	if n, err := s.Append(ctx, "ok", 0, []byte("a")); err != nil || n != 1 {
		t.Fatalf("Append to the first stream after = %d, %v", n, err)
	}
}
