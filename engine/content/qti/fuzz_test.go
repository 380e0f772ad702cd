package qti

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/engine/content"
)

// FuzzParseXML feeds arbitrary bytes to the parser and, when they parse,
// to the item reader: neither may panic, loop or grow without bound.
func FuzzParseXML(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "items", "*.xml"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>`))
	f.Add([]byte("\xef\xbb\xbf<a/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseXML(data)
		if err != nil {
			return
		}
		fr := &FileReport{}
		if d.Root.Name == "assessmentItem" {
			images := func(src string) (string, string) { return src, "" } // every image found, to reach the rich text
			q, rf := readItem(d.Root, fr, images)
			if rf != nil {
				return
			}
			if len(q.item.Key) == 0 {
				t.Fatalf("item %s imported without a key", q.item.ID)
			}
			for _, h := range append([]string{q.item.StemHTML}, optionHTML(q)...) {
				if _, err := content.CheckRichText(h); h != "" && err != nil {
					t.Fatalf("item %s: rich text %q outside the subset: %v", q.item.ID, h, err)
				}
			}
		}
	})
}

// FuzzZip feeds arbitrary bytes to the zip reader: it may refuse them but
// never return a path that leaves the package.
func FuzzZip(f *testing.F) {
	f.Add(zipOf(f, "imsmanifest.xml", "<manifest/>", "items/a.xml", "<a/>"))
	f.Add(zipOf(f, "../x", "y"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := openZip(data)
		if err != nil {
			return
		}
		for _, p := range s.files() {
			if checkZipName(p) != nil {
				t.Fatalf("unsafe name %q accepted", p)
			}
		}
	})
}

func optionHTML(q *qtiItem) []string {
	var out []string
	for _, o := range q.item.Options {
		out = append(out, o.HTML)
	}
	return out
}

// FuzzImportTest imports arbitrary bytes as a test beside three items: it
// may refuse the test but never panic, and a form it imports (with its
// section time limits) is one content loads.
func FuzzImportTest(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "items", "test-*.xml"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	items := map[string][]byte{}
	for _, name := range []string{"v22-multiple.xml", "map-single.xml", "tmpl-relative.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "items", name))
		if err != nil {
			f.Fatal(err)
		}
		items[name] = b
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		for name, b := range items {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, "test.xml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Import([]string{p}, Options{})
		if err != nil || len(res.Forms) == 0 {
			return
		}
		out := filepath.Join(dir, "out")
		if err := res.Write(out, false); err != nil {
			t.Fatalf("write: %v", err)
		}
		if _, err := content.LoadDir(out); err != nil {
			t.Fatalf("an imported form does not load: %v", err)
		}
	})
}
