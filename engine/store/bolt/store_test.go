package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/engine/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) (store.Store, func() store.Store) {
			path := filepath.Join(t.TempDir(), "accredit.db")
			s := mustOpen(t, path)
			return s, func() store.Store {
				s.Close()
				s = mustOpen(t, path)
				return s
			}
		},
	})
}

func mustOpen(t *testing.T, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
