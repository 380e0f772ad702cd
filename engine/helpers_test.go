package engine_test

import (
	"testing"

	"github.com/accredit/accredit/engine/content"
)

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
