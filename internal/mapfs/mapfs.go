// Package mapfs copies file trees into in-memory trees that tests can
// change before they load them.
package mapfs

import (
	"io/fs"
	"testing"
	"testing/fstest"
)

// Copy adds to dst every file of src whose path keep accepts (every file
// when keep is nil), under the same path. It fails t at the first file it
// cannot read.
func Copy(t testing.TB, dst fstest.MapFS, src fs.FS, keep func(path string) bool) {
	t.Helper()
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (keep != nil && !keep(p)) {
			return err
		}
		b, err := fs.ReadFile(src, p)
		dst[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
