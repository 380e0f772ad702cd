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
