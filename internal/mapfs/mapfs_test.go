package mapfs

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestCopy(t *testing.T) {
	src := fstest.MapFS{
		"a.json":     {Data: []byte("a")},
		"items/b.md": {Data: []byte("b")},
		"forms/c.md": {Data: []byte("c")},
	}
	all := fstest.MapFS{}
	Copy(t, all, src, nil)
	if len(all) != 3 || string(all["items/b.md"].Data) != "b" {
		t.Fatalf("copy of all: %v", all)
	}
	items := fstest.MapFS{"kept": {Data: []byte("k")}}
	Copy(t, items, src, func(p string) bool { return strings.HasPrefix(p, "items/") })
	if len(items) != 2 || string(items["items/b.md"].Data) != "b" || items["kept"] == nil {
		t.Fatalf("copy of items: %v", items)
	}
}
