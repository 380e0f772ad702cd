package audit_test

import (
	"context"
	"testing"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
)

// wrapped is another store in front of a memStore.
type wrapped struct{ store.Store }

// unequal is a store of a type that cannot be compared.
type unequal struct {
	store.Store
	tags []string
}

// TestOn: an act on the log's own store may share its write; on a
// wrapper, or a store of a type that cannot be compared, it may not.
func TestOn(t *testing.T) {
	m := newMem()
	tests := []struct {
		name string
		log  store.Store
		s    store.Store
		want bool
	}{
		{"same", m, m, true},
		{"another", m, newMem(), false},
		{"a wrapper", m, wrapped{m}, false},
		{"equal wrappers", wrapped{m}, wrapped{m}, true},
		{"not comparable", unequal{m, nil}, unequal{m, nil}, false},
		{"nil", m, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := audit.New(tc.log, nil).On(tc.s); got != tc.want {
				t.Fatalf("On = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestTakeElsewhere: an act on a store the log is not on is never asked
// to store the entry with it: the entry is appended first, then the act
// taken alone.
func TestTakeElsewhere(t *testing.T) {
	m := newMem()
	l := audit.New(m, nil)
	e := entry(1)
	took := false
	err := l.Take(context.Background(), newMem(), e, func(func() (store.Write, error)) error {
		t.Fatal("together called for another store")
		return nil
	}, func() error {
		if es, err := audit.Read(context.Background(), m, 0); err != nil || len(es) != 1 {
			t.Fatalf("the act taken before its entry was stored: %v %v", es, err)
		}
		took = true
		return nil
	})
	if err != nil || !took {
		t.Fatalf("Take: %v, taken %v", err, took)
	}
}
