package boltstore_test

import (
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/boltstore"
	"github.com/accredit/accredit/engine/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) (engine.Store, func() engine.Store) {
			path := filepath.Join(t.TempDir(), "accredit.db")
			s := mustOpen(t, path)
			return s, func() engine.Store {
				s.Close()
				s = mustOpen(t, path)
				return s
			}
		},
	})
}

func mustOpen(t *testing.T, path string) *boltstore.Store {
	t.Helper()
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
