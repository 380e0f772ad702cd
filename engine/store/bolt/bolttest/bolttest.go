// Package bolttest opens bolt stores for tests, each in a fresh temporary
// directory of its own.
package bolttest

import (
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/engine/store/bolt"
)

// Open opens a bolt store with default options in a fresh temporary
// directory and closes it when the test ends, after whatever the test
// registers to close later.
func Open(t testing.TB) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
