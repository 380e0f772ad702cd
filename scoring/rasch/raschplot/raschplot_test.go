package raschplot

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/scoring/internal/testref"
	"github.com/accredit/accredit/scoring/rasch"
)

func raschdat1(t *testing.T) *rasch.Result {
	t.Helper()
	res, err := rasch.Analyse(testref.Matrix(t, "../testdata/00_raschdat1.csv"), rasch.Options{NoLRTest: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestWriteAll(t *testing.T) {
	res := raschdat1(t)
	dir := t.TempDir()
	paths, err := WriteAll(dir, res)
	if err != nil {
		t.Fatal(err)
	}
	want := 2 * (2 + len(res.Items))
	if len(paths) != want {
		t.Fatalf("%d files, want %d", len(paths), want)
	}
	for _, name := range []string{"wright_map.png", "wright_map.svg", "information.png", "information.svg", "icc_I1.png", "icc_I30.svg"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(name) {
		case ".png":
			if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) || len(data) < 2000 {
				t.Errorf("%s: not a PNG image (%d bytes)", name, len(data))
			}
		case ".svg":
			if !bytes.Contains(data, []byte("<svg")) {
				t.Errorf("%s: not an SVG image", name)
			}
		}
	}
	if _, err := WriteAll(dir, &rasch.Result{}); err != ErrNoCalibration {
		t.Errorf("empty result: %v", err)
	}
}

// The observed points of an ICC are proportions at the abilities of the
// score groups, and the test information peaks near the item centre.
func TestICCAndInformation(t *testing.T) {
	res := raschdat1(t)
	pts := observed(res, 0)
	if len(pts) < 5 {
		t.Fatalf("%d observed points", len(pts))
	}
	for _, p := range pts {
		if p.Y < 0 || p.Y > 1 || math.IsNaN(p.X) {
			t.Errorf("point %+v", p)
		}
	}
	i0, s0 := TestInformation(res, 0)
	i4, _ := TestInformation(res, 4)
	if i0 <= i4 || !scalar.EqualWithinRel(s0, 1/math.Sqrt(i0), 1e-12) {
		t.Errorf("information %v at 0, %v at 4", i0, i4)
	}
}
