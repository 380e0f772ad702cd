package chart

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/accredit/accredit/standardsetting"
)

func TestChartsWritten(t *testing.T) {
	scores := []float64{3, 5, 5, 7, 8, 9, 10, 12, 14, 15}
	curve := standardsetting.ImpactCurve(scores, 15)
	marks := []standardsetting.NamedCut{{Name: "panel A", Cut: 8.4}, {Name: "panel B", Cut: 7.9}, {Name: "operational", Cut: 8}}
	imp, err := Impact("impact", curve, marks)
	if err != nil {
		t.Fatal(err)
	}
	spread, err := JudgeSpread("judges", []Spread{{"A", []float64{8, 9, 7.5, 8.8}}, {"B", []float64{7, 8.1, 8.4}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := Save(imp, dir, "impact")
	if err != nil {
		t.Fatal(err)
	}
	more, err := Save(spread, dir, "spread")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 2000 {
			t.Errorf("%s: %d bytes, too small to hold a chart", f, len(b))
		}
		switch {
		case bytes.HasSuffix([]byte(f), []byte(".png")) && !bytes.HasPrefix(b, []byte("\x89PNG")):
			t.Errorf("%s is not a PNG", f)
		case bytes.HasSuffix([]byte(f), []byte(".svg")) && !bytes.Contains(b, []byte("<svg")):
			t.Errorf("%s is not an SVG", f)
		case strings.HasSuffix(f, "impact.svg") && !bytes.Contains(b, []byte("operational")):
			t.Errorf("%s does not label the operational cut", f)
		}
	}
}
