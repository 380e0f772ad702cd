package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/accredit/accredit/engine/store"
)

// memStore is the least a Store needs to be for AppendNext: conditional
// appends on one map.
type memStore struct{ streams map[string][][]byte }

func (m *memStore) Append(_ context.Context, stream string, expect int64, recs ...[]byte) (int64, error) {
	if expect >= 0 && int64(len(m.streams[stream])) != expect {
		return 0, store.ErrConflict
	}
	m.streams[stream] = append(m.streams[stream], recs...)
	return int64(len(m.streams[stream])), nil
}

func (m *memStore) Read(_ context.Context, stream string, from int64) ([][]byte, error) {
	return m.streams[stream][from:], nil
}
func (m *memStore) AppendAll(context.Context, ...store.Write) ([]int64, error) {
	return nil, store.ErrNotAtomic
}
func (m *memStore) Streams(context.Context, string) ([]string, error) { return nil, nil }
func (m *memStore) Close() error                                      { return nil }

// counter follows a stream of records, each one more than the last.
type counter struct {
	s    *memStore
	n    int64
	sum  int
	read int // catch-ups
}

func (c *counter) Len() int64 { return c.n }
func (c *counter) CatchUp(ctx context.Context) error {
	c.read++
	recs, _ := c.s.Read(ctx, "s", c.n)
	c.n += int64(len(recs))
	c.sum += len(recs)
	return nil
}

func TestAppendNext(t *testing.T) {
	ctx := context.Background()
	refused := errors.New("refused")
	tests := []struct {
		name      string
		others    int // records another writer appends before each of our first tries
		conflicts int // how many of our tries meet the other writer
		refuse    bool
		wantErr   error
		wantLen   int
		wantReads int
	}{
		{name: "first try", wantLen: 1},
		{name: "one conflict", others: 2, conflicts: 1, wantLen: 3, wantReads: 1},
		{name: "always behind", others: 1, conflicts: store.Conflicts, wantErr: store.ErrConflict, wantLen: store.Conflicts, wantReads: store.Conflicts},
		{name: "refused", refuse: true, wantErr: refused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &memStore{streams: map[string][][]byte{}}
			c := &counter{s: s}
			tries := 0
			err := store.AppendNext(ctx, s, "s", c, func() ([][]byte, error) {
				if tc.refuse {
					return nil, refused
				}
				if tries < tc.conflicts {
					for range tc.others {
						s.Append(ctx, "s", -1, []byte("other"))
					}
				}
				tries++
				return [][]byte{[]byte(fmt.Sprint("mine after ", c.n))}, nil
			})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got := len(s.streams["s"]); got != tc.wantLen {
				t.Errorf("stream holds %d records, want %d", got, tc.wantLen)
			}
			if c.read != tc.wantReads {
				t.Errorf("caught up %d times, want %d", c.read, tc.wantReads)
			}
			if tc.wantErr == nil && tc.others > 0 {
				last := string(s.streams["s"][tc.wantLen-1])
				if want := fmt.Sprint("mine after ", tc.wantLen-1); last != want {
					t.Errorf("last record %q, want %q: next did not decide on the caught-up state", last, want)
				}
			}
		})
	}
}
