package qti

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipOf builds a zip of name/content pairs.
func zipOf(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipUnsafe(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"parent", zipOf(t, "../evil.xml", "x")},
		{"nested parent", zipOf(t, "a/../../evil.xml", "x")},
		{"absolute", zipOf(t, "/etc/evil.xml", "x")},
		{"backslash", zipOf(t, `a\..\evil.xml`, "x")},
		{"drive", zipOf(t, "C:/evil.xml", "x")},
		{"twice", zipOf(t, "a.xml", "x", "a.xml", "y")},
		{"bomb", zipOf(t, "big.xml", strings.Repeat("a", 4<<20))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openZip(tc.data)
			if !errors.Is(err, errUnsafe) {
				t.Errorf("err %v, want an unsafe package", err)
			}
		})
	}
}

func TestZipPackage(t *testing.T) {
	var files []string
	root := filepath.Join("testdata", "pkg")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files = append(files, filepath.ToSlash(rel), string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "pkg.zip")
	if err := os.WriteFile(p, zipOf(t, files...), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importOne(t, p)
	if !res.Complete || len(res.Forms) != 1 || len(res.Bank.Items) != 3 {
		t.Fatalf("complete %v, forms %d, items %d: %s", res.Complete, len(res.Forms), len(res.Bank.Items), res.Report.Summary)
	}
}

func TestZipUnsafeReported(t *testing.T) {
	p := filepath.Join(t.TempDir(), "evil.zip")
	if err := os.WriteFile(p, zipOf(t, "../evil.xml", "x"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := importOne(t, p)
	if len(res.Report.Files) != 1 || res.Report.Files[0].ReasonClass != ReasonUnsafePackage || res.Complete {
		t.Errorf("report %+v", res.Report)
	}
}

// genItem writes a generated single-choice QTI 3.0 item.
func genItem(i int) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="gen-%05d" title="Generated %d">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>c%d</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>
    <p>Generated question %d: which option is keyed?</p>
    <qti-choice-interaction response-identifier="RESPONSE" shuffle="true" max-choices="1">
      <qti-simple-choice identifier="c0">Option zero</qti-simple-choice>
      <qti-simple-choice identifier="c1">Option one</qti-simple-choice>
      <qti-simple-choice identifier="c2">Option two</qti-simple-choice>
      <qti-simple-choice identifier="c3">Option three</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>
</qti-assessment-item>
`, i, i, i%4, i)
}

// genPackage is a content package of n generated items with a manifest.
func genPackage(t testing.TB, n int) []byte { return genPackageWith(t, n, genItem) }

// genRichItem is genItem with a body of rich text: emphasis, a table, a
// list and MathML.
func genRichItem(i int) string {
	return strings.Replace(genItem(i), "<qti-item-body>", `<qti-item-body><p>The <strong>record</strong> of visit <em>`+fmt.Sprint(i)+`</em>:</p>`+
		`<table><tr><th scope="col">Contact</th><th>Missed</th></tr><tr><td>Health visitor</td><td>3</td></tr></table>`+
		`<ul><li>Mother</li><li>Twins</li></ul><p>A share of <math xmlns="http://www.w3.org/1998/Math/MathML"><mfrac><mn>1</mn><mn>3</mn></mfrac></math>.</p>`, 1)
}

func genPackageWith(t testing.TB, n int, gen func(int) string) []byte {
	var man strings.Builder
	man.WriteString(`<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" identifier="gen"><resources>`)
	files := []string{}
	for i := range n {
		p := fmt.Sprintf("items/gen-%05d.xml", i)
		fmt.Fprintf(&man, `<resource identifier="r%d" type="imsqti_item_xmlv3p0" href="%s"><file href="%s"/></resource>`, i, p, p)
		files = append(files, p, gen(i))
	}
	man.WriteString(`</resources></manifest>`)
	return zipOf(t, append([]string{"imsmanifest.xml", man.String()}, files...)...)
}

// BenchmarkImport5000 imports and writes a zip package of 5,000 choice
// items (docs/qti.md has the figure).
func BenchmarkImport5000(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchImport(b, genPackage(b, 5000)) })
	b.Run("rich", func(b *testing.B) { benchImport(b, genPackageWith(b, 5000, genRichItem)) })
}

func benchImport(b *testing.B, pkg []byte) {
	dir := b.TempDir()
	p := filepath.Join(dir, "gen.zip")
	if err := os.WriteFile(p, pkg, 0o644); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		res, err := Import([]string{p}, Options{})
		if err != nil || !res.Complete || len(res.Bank.Items) != 5000 {
			b.Fatalf("err %v, items %d, %s", err, len(res.Bank.Items), res.Report.Summary)
		}
		n++
		if err := res.Write(filepath.Join(dir, fmt.Sprint("out", n)), false); err != nil {
			b.Fatal(err)
		}
	}
}

func TestManifestMissingAndMalformed(t *testing.T) {
	item, err := os.ReadFile(filepath.Join("testdata", "items", "v22-multiple.xml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	missing := `<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1" identifier="m"><resources>
<resource identifier="a" type="imsqti_item_xmlv2p2" href="a.xml"/><resource identifier="b" type="imsqti_item_xmlv2p2" href="gone.xml"/>
<resource identifier="w" type="webcontent" href="x.png"/></resources></manifest>`
	write := func(name string, files ...string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, zipOf(t, files...), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	res := importOne(t, write("missing.zip", "imsmanifest.xml", missing, "a.xml", string(item)))
	if fr := fileReport(t, res, "gone.xml"); fr.ReasonClass != ReasonMissingFile {
		t.Errorf("gone.xml: %+v", fr)
	}
	if fr := fileReport(t, res, "a.xml"); !fr.Imported {
		t.Errorf("a.xml: %+v", fr)
	}
	res = importOne(t, write("malformed.zip", "imsmanifest.xml", "<manifest>", "a.xml", string(item)))
	if fr := fileReport(t, res, "imsmanifest.xml"); fr.ReasonClass != ReasonMalformedXML {
		t.Errorf("manifest: %+v", fr)
	}
	if fr := fileReport(t, res, "a.xml"); !fr.Imported {
		t.Errorf("a.xml read without the manifest: %+v", fr)
	}
}
