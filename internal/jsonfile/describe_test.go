package jsonfile

import (
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

func TestPosition(t *testing.T) {
	data := []byte("ab\ncde\n\nf")
	for _, tc := range []struct {
		off       int64
		line, col int
	}{
		{-5, 1, 1}, {0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3}, {7, 3, 1}, {8, 4, 1}, {9, 4, 2}, {100, 4, 2},
	} {
		if line, col := position(data, tc.off); line != tc.line || col != tc.col {
			t.Errorf("position(%d) = %d:%d, want %d:%d", tc.off, line, col, tc.line, tc.col)
		}
	}
}

func TestFieldPath(t *testing.T) {
	for _, tc := range []struct {
		ptr  jsontext.Pointer
		want string
	}{
		{"", ""},
		{"/items", "items"},
		{"/items/3/key/0", "items[3].key[0]"},
		{"/0/name", "[0].name"},
		{"/domains/0/criteria/2/points", "domains[0].criteria[2].points"},
		{"/a~1b/c~0d", "a/b.c~d"},
	} {
		if got := fieldPath(tc.ptr); got != tc.want {
			t.Errorf("fieldPath(%q) = %q, want %q", tc.ptr, got, tc.want)
		}
	}
}
