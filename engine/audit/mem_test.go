package audit_test

import (
	"bytes"
	"context"
	"strings"
	"sync"

	"github.com/accredit/accredit/engine/store"
)

// memStore is an in-memory store.Store for tests.
type memStore struct {
	mu      sync.Mutex // protects streams
	streams map[string][][]byte
	// fail, if set, is asked before each Append; an error refuses it.
	fail func(stream string) error
}

var _ store.Store = (*memStore)(nil)

func newMem() *memStore { return &memStore{streams: map[string][][]byte{}} }

func (m *memStore) Append(ctx context.Context, stream string, expect int64, records ...[]byte) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		if err := m.fail(stream); err != nil {
			return 0, err
		}
	}
	s := m.streams[stream]
	if expect >= 0 && int64(len(s)) != expect {
		return int64(len(s)), store.ErrConflict
	}
	for _, r := range records {
		s = append(s, bytes.Clone(r))
	}
	m.streams[stream] = s
	return int64(len(s)), nil
}

func (m *memStore) AppendAll(ctx context.Context, writes ...store.Write) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := store.CheckWrites(writes); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	ns := make([]int64, len(writes))
	var err error
	for i, w := range writes {
		if m.fail != nil {
			if ferr := m.fail(w.Stream); ferr != nil {
				return nil, ferr
			}
		}
		ns[i] = int64(len(m.streams[w.Stream]))
		if w.Expect >= 0 && ns[i] != w.Expect {
			err = store.ErrConflict
		}
	}
	if err != nil {
		return ns, err
	}
	for i, w := range writes {
		for _, r := range w.Records {
			m.streams[w.Stream] = append(m.streams[w.Stream], bytes.Clone(r))
		}
		ns[i] = int64(len(m.streams[w.Stream]))
	}
	return ns, nil
}

func (m *memStore) Read(ctx context.Context, stream string, from int64) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.streams[stream]
	if from >= int64(len(s)) {
		return nil, nil
	}
	return append([][]byte(nil), s[max(from, 0):]...), nil
}

func (m *memStore) Streams(ctx context.Context, prefix string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.streams {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out, nil
}

func (m *memStore) Close() error { return nil }

// edit changes a stream in place, as someone with the database would.
func (m *memStore) edit(stream string, f func([][]byte) [][]byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.streams[stream] = f(m.streams[stream])
}
