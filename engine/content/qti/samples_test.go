package qti

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// samples is the shared folder of public QTI files (GPL, never copied into
// the repository); tests that read it skip when it is absent.
const samples = "../../../../shared/qti-samples"

func sample(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(samples, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared samples not here: %v", err)
	}
	return p
}

func importOne(t *testing.T, paths ...string) *Result {
	t.Helper()
	res, err := Import(paths, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func fileReport(t *testing.T, res *Result, path string) FileReport {
	t.Helper()
	for _, f := range res.Report.Files {
		if f.Path == path {
			return f
		}
	}
	t.Fatalf("no report for %s in %+v", path, res.Report.Files)
	return FileReport{}
}

func TestSampleChoiceMultiple(t *testing.T) {
	res := importOne(t, sample(t, "Citolab+qti-components/public/assets/qti-item/example-choice-multiple-item.xml"))
	fr := fileReport(t, res, "example-choice-multiple-item.xml")
	if !fr.Imported || fr.Identifier != "ITM-choice" {
		t.Fatalf("report %+v", fr)
	}
	it := res.Bank.Items[0]
	// max-choices 0: any number may be chosen, and match_correct scores
	// the set {A, B} only (SOURCES.md).
	if it.Type != "multiple" || !slices.Equal(it.Key, []string{"ChoiceA", "ChoiceB"}) || it.MinSelect != 0 || it.MaxSelect != 3 {
		t.Errorf("item %+v", it)
	}
	for _, tc := range []struct {
		chosen []string
		want   float64
	}{{[]string{"ChoiceA", "ChoiceB"}, 1}, {[]string{"ChoiceA"}, 0}, {[]string{"ChoiceA", "ChoiceB", "ChoiceC"}, 0}} {
		if got := it.Points(tc.chosen); got != tc.want {
			t.Errorf("%v scores %g, want %g", tc.chosen, got, tc.want)
		}
	}
	if !strings.Contains(it.StemHTML, `<img src="img/sign.png" alt="NEVER LEAVE LUGGAGE UNATTENDED"/>`) {
		t.Errorf("stem HTML %q", it.StemHTML)
	}
	if fr.Item.MaxChoices != 0 || fr.Item.MaxScore != 1 || fr.Item.Cardinality != "multiple" {
		t.Errorf("item report %+v", fr.Item)
	}
	if _, ok := res.Assets["img/sign.png"]; !ok {
		t.Errorf("image not copied: %v", res.Assets)
	}
	write(t, res, false)
}

func TestSampleBOMPaddedVendor(t *testing.T) {
	res := importOne(t, sample(t, "Citolab+qti-components/public/assets/api/biologie"))
	fr := fileReport(t, res, "items/32ckab.xml")
	if !fr.Imported || !slices.Equal(res.Bank.Items[0].Key, []string{"B"}) {
		t.Fatalf("report %+v, items %+v", fr, res.Bank.Items)
	}
	warned := strings.Join(fr.Warnings, "\n")
	for _, w := range []string{"trimmed", "dep-calculator"} {
		if !strings.Contains(warned, w) {
			t.Errorf("no warning with %q in %s", w, warned)
		}
	}
	if _, ok := res.Assets["img/itembank-cbt-67.jpg"]; !ok {
		t.Errorf("image in the parent folder not copied: %v", keys(res.Assets))
	}
	if h := res.Bank.Items[0].StemHTML; !strings.Contains(h, `<img src="img/itembank-cbt-67.jpg" alt="" width="266" height="200"/>`) ||
		!strings.Contains(h, "<strong> Zevenblad </strong>") {
		t.Errorf("stem HTML %q", h)
	}
	write(t, res, false)
}

func TestSampleStimulus(t *testing.T) {
	res := importOne(t, sample(t, "Citolab+qti-components/public/assets/qti-assessment-stimulus-ref"))
	if len(res.Bank.Cases) != 1 || len(res.Bank.Items) != 1 {
		t.Fatalf("cases %+v items %+v", res.Bank.Cases, res.Bank.Items)
	}
	if res.Bank.Items[0].Case != res.Bank.Cases[0].ID || res.Bank.Cases[0].ID != "RES-Brontekst_KB-2020-A1-Traumberuf_Astronaut_xml" {
		t.Errorf("item case %q, case %q", res.Bank.Items[0].Case, res.Bank.Cases[0].ID)
	}
	if strings.Contains(res.Bank.Items[0].Stem, "Placeholder stimulus target") {
		t.Errorf("stem holds the stimulus placeholder: %q", res.Bank.Items[0].Stem)
	}
	write(t, res, false)
}

func TestSampleMatchRefused(t *testing.T) {
	res := importOne(t, sample(t, "Citolab+qti-components/public/assets/qti-item/example-match.xml"))
	fr := fileReport(t, res, "example-match.xml")
	want := "unsupported interaction: matchInteraction (match_languages_countries)"
	if fr.Imported || fr.ReasonClass != ReasonUnsupportedInteraction || fr.Reason != want {
		t.Errorf("report %+v, want reason %q", fr, want)
	}
}

func TestSampleQTI22(t *testing.T) {
	res := importOne(t, sample(t, "oat-sa+qti-sdk/test/samples/custom/items/2_2/no_schema_location.xml"))
	fr := fileReport(t, res, "no_schema_location.xml")
	if !fr.Imported || !slices.Equal(res.Bank.Items[0].Key, []string{"discr3"}) || !fr.Item.Shuffle {
		t.Fatalf("report %+v items %+v", fr, res.Bank.Items)
	}
	write(t, res, false)
}

func TestSampleConformancePackage(t *testing.T) {
	res := importOne(t, sample(t, "Citolab+qti-components/public/assets/qti-conformance/Basic/T4-T7"))
	if !strings.Contains(res.Report.Summary, "1 of 4 item refs imported") {
		t.Errorf("summary %q", res.Report.Summary)
	}
	want := map[string]string{
		"items/choice-single-cardinality.xml":   "",
		"items/choice-multiple-cardinality.xml": ReasonNoKey,
		"items/text-entry.xml":                  ReasonUnsupportedInteraction,
		"items/extended-text.xml":               ReasonUnsupportedInteraction,
		"assessment.xml":                        ReasonRefusedItems,
		"imsmanifest.xml":                       "",
	}
	for p, class := range want {
		if fr := fileReport(t, res, p); fr.ReasonClass != class || fr.Imported != (class == "") {
			t.Errorf("%s: %+v, want class %q", p, fr, class)
		}
	}
	if res.Complete {
		t.Error("complete, want partial")
	}
	if err := res.Write(filepath.Join(t.TempDir(), "out"), false); err == nil {
		t.Error("wrote an incomplete import without partial")
	}
	write(t, res, true)
}

// write writes res to a new folder and fails if it does not load.
func write(t *testing.T, res *Result, partial bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if err := res.Write(dir, partial); err != nil {
		t.Fatalf("write: %v", err)
	}
	return dir
}
