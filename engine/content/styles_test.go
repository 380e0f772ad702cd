package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// styleTree is validTree with a stylesheet on I-1 (form F) and another on
// I-4 (form G only).
func styleTree(t *testing.T) fstest.MapFS {
	tr := validTree()
	a := tr.banks["items/a.json"]
	a.Items[0].StemHTML = `<p class="qti-underline">Read <span class="key">this</span>.</p>`
	a.Items[0].Stylesheets = []string{"styles/f.css"}
	a.Items[3].Stylesheets = []string{"styles/g.css"}
	m := tr.fs(t)
	m["assets/styles/f.css"] = &fstest.MapFile{Data: []byte(".qti-underline { text-decoration: underline; }\np > .key { color: #c00; }\n")}
	m["assets/styles/g.css"] = &fstest.MapFile{Data: []byte("td { padding: 0 1em; }\n")}
	return m
}

func TestStylesheetsServedScoped(t *testing.T) {
	lib, err := Load(styleTree(t))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := lib.FormAsset("F", "styles/f.css")
	want := `.rich[data-styles~="styles/f.css"] .rc-qti-underline { text-decoration: underline; }` + "\n" +
		`.rich[data-styles~="styles/f.css"] p > .rc-key { color: #c00; }` + "\n"
	if !ok || a.Type != StyleType || string(a.Data) != want || !strings.HasPrefix(string(a.Source), ".qti-underline {") {
		t.Fatalf("FormAsset(F, styles/f.css) = %+v, %v; want the scoped sheet\n%s", a, ok, want)
	}
	if _, ok := lib.FormAsset("F", "styles/g.css"); ok {
		t.Error("form F is served form G's stylesheet")
	}
	if _, ok := lib.FormAsset("G", "styles/g.css"); !ok {
		t.Error("form G is not served its stylesheet")
	}
}

func TestStylesheetsRefused(t *testing.T) {
	tests := []struct {
		name  string
		item  func(*Item)
		files func(fstest.MapFS)
		kind  error
		want  string
	}{
		{"missing", nil, func(m fstest.MapFS) { delete(m, "assets/styles/f.css") }, ErrInvalid,
			"items/a.json: items[0].stylesheets: stylesheet styles/f.css: not found under assets/"},
		{"unsafe", nil, func(m fstest.MapFS) {
			m["assets/styles/f.css"] = &fstest.MapFile{Data: []byte(".a { color: red; }\n.b { background: url(https://example.org/x.png); }\n")}
		}, ErrInvalid, "stylesheet styles/f.css: holds what an item's stylesheet may not: line 2: background dropped"},
		{"malformed", nil, func(m fstest.MapFS) {
			m["assets/styles/f.css"] = &fstest.MapFile{Data: []byte(".a { color: red;")}
		}, ErrInvalid, "stylesheet styles/f.css: css: malformed stylesheet: line 1: { opened here is not closed"},
		{"path with a quote", func(it *Item) { it.Stylesheets = []string{`a"].css`} }, nil, ErrInvalid,
			"items[0].stylesheets[0]: \"a\\\"].css\": want a clean relative path"},
		{"not css", func(it *Item) { it.Stylesheets = []string{"img/f.png"} }, nil, ErrInvalid, "ending in .css"},
		{"parent", func(it *Item) { it.Stylesheets = []string{"../staff.css"} }, nil, ErrInvalid, "clean relative path"},
		{"twice", func(it *Item) { it.Stylesheets = []string{"styles/f.css", "styles/f.css"} }, nil, ErrDuplicate,
			"items[0].stylesheets[1]: styles/f.css named twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := validTree()
			it := &tr.banks["items/a.json"].Items[0]
			it.Stylesheets = []string{"styles/f.css"}
			if tc.item != nil {
				tc.item(it)
			}
			m := tr.fs(t)
			m["assets/styles/f.css"] = &fstest.MapFile{Data: []byte(".a { color: red; }\n")}
			if tc.files != nil {
				tc.files(m)
			}
			_, err := Load(m)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.kind) {
				t.Fatalf("Load error %v, want %q", err, tc.want)
			}
		})
	}
}
