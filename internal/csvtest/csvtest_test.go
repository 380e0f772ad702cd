package csvtest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv")
	if err := os.WriteFile(path, []byte("id,score\nc1,3\n\"c,2\",4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := Read(t, path)
	want := [][]string{{"id", "score"}, {"c1", "3"}, {"c,2", "4"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Read = %q, want %q", got, want)
	}
}
