package webtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/content/qti"
)

// Codes of QTILibrary.
const (
	QTICandidateCode = "TEST-QTI-4H7M" // candidate q1 of sitting qs1, on form test-rich
	QTIOtherCode     = "TEST-OTH-8N3K" // candidate o1 of sitting os1, on form other-form
	QTIStaffCode     = "STAFF-QTI-2V6W"
)

// QTILibrary imports the QTI test test-rich (engine/content/qti/testdata:
// a rich body with a table, MathML and an image, a choice range, fixed
// choices, partial credit, an item with a stylesheet and an item whose
// stimulus has one) as live content, and adds a sitting of it
// with one candidate, a second form and sitting that show another image,
// and an invigilator of both. It is content as `accredit content
// import-qti` writes it, loaded by content.LoadDir.
func QTILibrary(t testing.TB) *content.Library {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	testdata := filepath.Join(filepath.Dir(here), "..", "..", "engine", "content", "qti", "testdata", "items")
	res, err := qti.Import([]string{filepath.Join(testdata, "test-rich.xml")}, qti.Options{Status: content.StatusLive})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete {
		t.Fatalf("QTI fixture not imported whole: %s", res.Report.Summary)
	}
	dir := filepath.Join(t.TempDir(), "content")
	if err := res.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile(filepath.Join(testdata, "img", "genogram-small.png"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"assets/other/chart.png": string(png),
		"items/other.json": `{"items": [{"id": "other-1", "type": "single", "stem": "Other", "stem_html": "<p><img src=\"other/chart.png\" alt=\"Chart\"/></p>",
			"options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "key": ["a"], "domain": "qti", "status": "live"}]}`,
		"forms/other-form.json": `{"id": "other-form", "title": "Other", "status": "live", "time_limit": "20m",
			"sections": [{"id": "s", "title": "S", "items": ["other-1"]}]}`,
		"sittings/qs1.json": `{"id": "qs1", "form": "test-rich", "centre": "Test Centre", "scheduled": "2026-12-01T09:00:00Z",
			"candidates": [{"id": "q1", "name": "Quinn Adeyemi", "access_code": "` + QTICandidateCode + `"}]}`,
		"sittings/os1.json": `{"id": "os1", "form": "other-form", "centre": "Test Centre", "scheduled": "2026-12-01T09:00:00Z",
			"candidates": [{"id": "o1", "name": "Olu Other", "access_code": "` + QTIOtherCode + `"}]}`,
		"staff.json": `[{"id": "inv1", "name": "Invig One", "role": "invigilator", "code": "` + QTIStaffCode + `", "sittings": ["qs1", "os1"]}]`,
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := content.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}
