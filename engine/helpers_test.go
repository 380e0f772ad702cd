package engine_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store/bolt"
)

func readTestdata(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", "lib", name))
}

// testLibrary loads a fresh copy of the test library from testdata/lib,
// which the caller may change without touching any other test's copy.
func testLibrary(t testing.TB) *content.Library {
	t.Helper()
	lib, err := content.LoadDir("testdata/lib")
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// tempBolt opens a bolt store in a fresh temporary directory and closes it
// when the test ends, after what the test registers to close later.
func tempBolt(t testing.TB) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
