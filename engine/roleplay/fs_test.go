package roleplay

import (
	"io/fs"
	"testing"
)

func walkFiles(fsys fs.FS, f func(name string, data []byte)) error {
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err == nil {
			f(name, data)
		}
		return err
	})
}

func mustRead(t *testing.T, fsys fs.FS, name string) []byte {
	t.Helper()
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// loadDemo loads the demo model, failing the test if it does not load.
func loadDemo(t *testing.T) *Model {
	t.Helper()
	m, err := Load(Demo())
	if err != nil {
		t.Fatal(err)
	}
	return m
}
