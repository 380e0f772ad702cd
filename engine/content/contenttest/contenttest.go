// Package contenttest builds content libraries for the tests of the
// packages that deliver content: a fixture's items, forms and staff with a
// sitting of as many candidates as a test needs.
package contenttest

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/internal/mapfs"
)

// WithSitting loads the content tree at dir with its sittings replaced by
// one: sitting s1 of form f1 at centre, scheduled for 09:00 UTC on 1
// December 2026, of the candidates given as JSON objects.
func WithSitting(t testing.TB, dir, centre string, candidates []string) *content.Library {
	t.Helper()
	files := fstest.MapFS{}
	mapfs.Copy(t, files, os.DirFS(dir), func(p string) bool { return !strings.HasPrefix(p, "sittings/") })
	files["sittings/s1.json"] = &fstest.MapFile{Data: []byte(`{"id":"s1","form":"f1","centre":` + strconv.Quote(centre) +
		`,"scheduled":"2026-12-01T09:00:00Z","candidates":[` + strings.Join(candidates, ",") + `]}`)}
	lib, err := content.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}
