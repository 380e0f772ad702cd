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

// atomicStore is memStore with an AppendAll: every Expect checked, then
// every write appended.
type atomicStore struct{ *memStore }

func (m atomicStore) AppendAll(_ context.Context, ws ...store.Write) ([]int64, error) {
	ns := make([]int64, len(ws))
	conflict := false
	for i, w := range ws {
		ns[i] = int64(len(m.streams[w.Stream]))
		conflict = conflict || w.Expect >= 0 && ns[i] != w.Expect
	}
	if conflict {
		return ns, store.ErrConflict
	}
	for i, w := range ws {
		m.streams[w.Stream] = append(m.streams[w.Stream], w.Records...)
		ns[i] = int64(len(m.streams[w.Stream]))
	}
	return ns, nil
}

// TestAppendNextWith: the decided records and the writes with returns are
// stored together, with's written again on each try; a conflict stores
// neither, a refusal stores neither, and a store that cannot write them
// together says so and stores nothing.
func TestAppendNextWith(t *testing.T) {
	ctx := context.Background()
	refused := errors.New("refused")
	tests := []struct {
		name      string
		atomic    bool
		conflicts int // how many of our tries meet another writer
		refuseWth bool
		wantErr   error
		wantLen   int // of stream "s"
		wantLog   []string
	}{
		{name: "first try", atomic: true, wantLen: 1, wantLog: []string{"entry 1"}},
		{name: "one conflict", atomic: true, conflicts: 1, wantLen: 2, wantLog: []string{"entry 2"}},
		{name: "always behind", atomic: true, conflicts: store.Conflicts, wantErr: store.ErrConflict, wantLen: store.Conflicts},
		{name: "with refuses", atomic: true, refuseWth: true, wantErr: refused},
		{name: "not atomic", wantErr: store.ErrNotAtomic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &memStore{streams: map[string][][]byte{}}
			var s store.Store = m
			if tc.atomic {
				s = atomicStore{m}
			}
			c := &counter{s: m}
			tries, withs := 0, 0
			ns, err := store.AppendNextWith(ctx, s, "s", c, func() ([][]byte, error) {
				if tries < tc.conflicts {
					m.Append(ctx, "s", -1, []byte("other"))
				}
				tries++
				return [][]byte{[]byte("mine")}, nil
			}, func() ([]store.Write, error) {
				withs++
				if tc.refuseWth {
					return nil, refused
				}
				return []store.Write{{Stream: "log", Expect: -1, Records: [][]byte{[]byte(fmt.Sprint("entry ", withs))}}}, nil
			})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got := len(m.streams["s"]); got != tc.wantLen {
				t.Errorf("stream holds %d records, want %d", got, tc.wantLen)
			}
			var log []string
			for _, r := range m.streams["log"] {
				log = append(log, string(r))
			}
			if fmt.Sprint(log) != fmt.Sprint(tc.wantLog) {
				t.Errorf("log holds %q, want %q", log, tc.wantLog)
			}
			if tc.wantErr == nil && (len(ns) != 1 || ns[0] != int64(len(tc.wantLog))) {
				t.Errorf("lengths %v, want [%d]", ns, len(tc.wantLog))
			}
		})
	}
}
