package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// styleTree is validTree with a stylesheet on I-1 (form F), another on
// I-4 (form G only) and a third on case c1, which I-3 of form F shows.
func styleTree(t *testing.T) fstest.MapFS {
	tr := validTree()
	a := tr.banks["items/a.json"]
	a.Items[0].StemHTML = `<p class="qti-underline">Read <span class="key">this</span>.</p>`
	a.Items[0].Stylesheets = []string{"styles/f.css"}
	a.Items[3].Stylesheets = []string{"styles/g.css"}
	a.Cases[0].HTML = `<p>What <span class="said">happened</span>.</p>`
	a.Cases[0].Stylesheets = []string{"styles/case.css"}
	m := tr.fs(t)
	m["assets/styles/f.css"] = &fstest.MapFile{Data: []byte(".qti-underline { text-decoration: underline; }\np > .key { color: #c00; }\n")}
	m["assets/styles/g.css"] = &fstest.MapFile{Data: []byte("td { padding: 0 1em; }\n")}
	m["assets/styles/case.css"] = &fstest.MapFile{Data: []byte(".said { font-style: italic; }\n")}
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

// TestCaseStylesheetServedScoped: a case's stylesheet is served, scoped
// like an item's, to the form whose item shows the case, and to no other.
func TestCaseStylesheetServedScoped(t *testing.T) {
	lib, err := Load(styleTree(t))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := lib.FormAsset("F", "styles/case.css")
	want := `.rich[data-styles~="styles/case.css"] .rc-said { font-style: italic; }` + "\n"
	if !ok || a.Type != StyleType || string(a.Data) != want || string(a.Source) != ".said { font-style: italic; }\n" {
		t.Fatalf("FormAsset(F, styles/case.css) = %+v, %v; want the scoped sheet\n%s", a, ok, want)
	}
	if _, ok := lib.FormAsset("G", "styles/case.css"); ok {
		t.Error("form G, none of whose items shows the case, is served its stylesheet")
	}
}

// TestCaseStylesheetsRefused: a case's stylesheets are checked by the
// item's rules, the error at the case.
func TestCaseStylesheetsRefused(t *testing.T) {
	tests := []struct {
		name   string
		styles []string
		sheet  string
		kind   error
		want   string
	}{
		{"missing", []string{"styles/absent.css"}, "", ErrInvalid,
			"items/a.json: cases[0].stylesheets: stylesheet styles/absent.css: not found under assets/"},
		{"unsafe", []string{"styles/c.css"}, ".a { position: fixed; }\n", ErrInvalid,
			"items/a.json: cases[0].stylesheets: stylesheet styles/c.css: holds what a content stylesheet may not: line 1: position dropped"},
		{"path", []string{"../c.css"}, "", ErrInvalid, "items/a.json: cases[0].stylesheets[0]: \"../c.css\": want a clean relative path"},
		{"twice", []string{"styles/c.css", "styles/c.css"}, ".a { color: red; }\n", ErrDuplicate,
			"items/a.json: cases[0].stylesheets[1]: styles/c.css named twice"},
		{"too many", []string{"1.css", "2.css", "3.css", "4.css", "5.css", "6.css", "7.css", "8.css", "9.css"}, "", ErrInvalid,
			"items/a.json: cases[0].stylesheets: 9 stylesheets, at most 8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := validTree()
			tr.banks["items/a.json"].Cases[0].Stylesheets = tc.styles
			m := tr.fs(t)
			if tc.sheet != "" {
				m["assets/styles/c.css"] = &fstest.MapFile{Data: []byte(tc.sheet)}
			}
			_, err := Load(m)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.kind) {
				t.Fatalf("Load error %v, want %q", err, tc.want)
			}
		})
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
		}, ErrInvalid, "stylesheet styles/f.css: holds what a content stylesheet may not: line 2: background dropped"},
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
