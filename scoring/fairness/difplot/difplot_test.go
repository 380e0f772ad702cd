package difplot

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/scoring/fairness"
)

func TestWriteProducesPNGAndSVG(t *testing.T) {
	r := &fairness.Report{Items: []fairness.Item{
		{ID: "a", MH: fairness.MH{DeltaMH: -0.4, SEDeltaMH: 0.3, ETSClass: "A"}},
		{ID: "b", MH: fairness.MH{DeltaMH: 1.2, SEDeltaMH: 0.2, ETSClass: "B"}},
		{ID: "c", MH: fairness.MH{DeltaMH: -2.5, SEDeltaMH: 0.4, ETSClass: "C"}},
	}}
	dir := filepath.Join(t.TempDir(), "charts")
	files, err := Write(dir, r, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("files %v", files)
	}
	magic := map[string][]byte{".png": []byte("\x89PNG"), ".svg": []byte("<svg")}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b[:min(len(b), 200)], magic[filepath.Ext(f)]) {
			t.Errorf("%s does not look like %s", f, filepath.Ext(f))
		}
	}
	// An empty report still draws the bands.
	if _, err := Write(dir, &fairness.Report{}, "none"); err != nil {
		t.Errorf("empty report: %v", err)
	}
}
