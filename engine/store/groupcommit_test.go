package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/accredit/accredit/engine/store"
)

// TestBatches checks that appends queued while a commit runs share the next
// batch, and each gets its own result.
func TestBatches(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var sizes []int
	first := true
	q := store.NewQueue(1, 100, func(batch []*store.Pending) {
		mu.Lock()
		sizes = append(sizes, len(batch))
		wait := first
		first = false
		mu.Unlock()
		if wait {
			<-release // hold the first commit while the others queue
		}
		for i, a := range batch {
			a.N = int64(len(a.Records) + i)
		}
	})
	ctx := context.Background()
	done := make(chan struct{})
	go func() { q.Do(ctx, "first", -1, [][]byte{{1}}); close(done) }()
	for { // wait until the first commit has started
		mu.Lock()
		started := len(sizes) == 1
		mu.Unlock()
		if started {
			break
		}
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := q.Do(ctx, "s", -1, [][]byte{{2}}); err != nil {
				t.Error(err)
			}
		})
	}
	for queued(q) < 10 { // the ten are queued behind the held commit
	}
	close(release)
	wg.Wait()
	<-done
	q.Close()
	if len(sizes) != 2 || sizes[0] != 1 || sizes[1] != 10 {
		t.Fatalf("batch sizes %v, want [1 10]", sizes)
	}
}

func queued(q *store.Queue) int { return store.Queued(q) }

func TestClosed(t *testing.T) {
	q := store.NewQueue(2, 10, func(batch []*store.Pending) {})
	if !q.Close() || q.Close() {
		t.Fatal("Close should report true once")
	}
	if _, err := q.Do(context.Background(), "s", -1, nil); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Do after Close: %v", err)
	}
	if _, err := q.Do(context.Background(), "", -1, nil); !errors.Is(err, store.ErrEmptyStream) {
		t.Fatalf("empty stream: %v", err)
	}
}
