package qti

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// exportImport exports a form, imports the package and loads the result.
func exportImport(t *testing.T, lib *content.Library, form string) (*Result, *content.Library) {
	t.Helper()
	pkg, err := Export(lib, form)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "pkg.zip")
	if err := os.WriteFile(p, pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	res := importOne(t, p)
	if !res.Complete {
		t.Fatalf("round trip not complete: %+v", res.Report)
	}
	back, err := content.LoadDir(write(t, res, false))
	if err != nil {
		t.Fatal(err)
	}
	return res, back
}

// TestRoundTrip exports the demonstration form, imports it back and
// compares: every item, case and the form are the same but for the domain
// and status, which QTI does not carry; a second round trip gives the same
// content files byte for byte.
func TestRoundTrip(t *testing.T) {
	lib, err := content.Load(content.Demo())
	if err != nil {
		t.Fatal(err)
	}
	res1, back := exportImport(t, lib, "demo-form")
	for _, id := range lib.Forms["demo-form"].ItemIDs() {
		want, got := *lib.Items[id], *back.Items[id]
		want.Domain, want.Status = got.Domain, got.Status
		if !itemsEqual(want, got) {
			t.Errorf("item %s:\n got %+v\nwant %+v", id, got, want)
		}
		if want.Case != "" && !casesEqual(*back.Cases[want.Case], *lib.Cases[want.Case]) {
			t.Errorf("case %s: got %+v", want.Case, back.Cases[want.Case])
		}
	}
	wf, gf := *lib.Forms["demo-form"], *back.Forms["demo-form"]
	wf.Status = gf.Status
	if !formsEqual(wf, gf) {
		t.Errorf("form:\n got %+v\nwant %+v", gf, wf)
	}
	sameAfterSecondTrip(t, res1, back)
}

func itemsEqual(a, b content.Item) bool {
	return a.ID == b.ID && a.Type == b.Type && a.Case == b.Case && a.Stem == b.Stem &&
		slices.Equal(a.Options, b.Options) && slices.Equal(a.Key, b.Key) && a.Select == b.Select &&
		a.Domain == b.Domain && a.Status == b.Status
}

func casesEqual(a, b content.Case) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Text == b.Text && a.HTML == b.HTML && slices.Equal(a.Stylesheets, b.Stylesheets)
}

func formsEqual(a, b content.Form) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Status == b.Status && a.TimeLimit == b.TimeLimit &&
		a.Linear() == b.Linear() && a.ShuffleItems == b.ShuffleItems && a.ShuffleOptions == b.ShuffleOptions &&
		slices.EqualFunc(a.Sections, b.Sections, func(x, y content.Section) bool {
			return x.ID == y.ID && x.Title == y.Title && x.TimeLimit == y.TimeLimit && slices.Equal(x.Items, y.Items)
		})
}

// TestRoundTripTimedSections: a linear form with timed sections exports
// each section's limit as its max-time, and its part as linear, and
// imports back to the same form; a
// second round trip gives the same files byte for byte.
func TestRoundTripTimedSections(t *testing.T) {
	lib, err := content.Load(content.Demo())
	if err != nil {
		t.Fatal(err)
	}
	f := lib.Forms["demo-form"]
	f.Sections[0].TimeLimit = content.Duration(12 * time.Minute)
	f.Sections[2].TimeLimit = content.Duration(8 * time.Minute)
	f.Navigation = content.NavigationLinear
	pkg, err := Export(lib, "demo-form")
	if err != nil {
		t.Fatal(err)
	}
	if !zipHas(t, pkg, "demo-form.xml", `identifier="A" title="Practice, development and harm" visible="true">
      <qti-time-limits max-time="720"/>`, `navigation-mode="linear"`) {
		t.Error("the first section's limit or the linear navigation is not in the package")
	}
	res1, back := exportImport(t, lib, "demo-form")
	wf, gf := *f, *back.Forms["demo-form"]
	wf.Status = gf.Status
	if !formsEqual(wf, gf) {
		t.Errorf("form:\n got %+v\nwant %+v", gf, wf)
	}
	sameAfterSecondTrip(t, res1, back)
}

// zipHas reports whether the package's file name holds each of wants.
func zipHas(t *testing.T, pkg []byte, name string, wants ...string) bool {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(zr, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range wants {
		if !bytes.Contains(b, []byte(w)) {
			t.Logf("%s has no %s:\n%s", name, w, b)
			return false
		}
	}
	return true
}

func TestExportNoForm(t *testing.T) {
	lib, err := content.Load(content.Demo())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Export(lib, "nope"); !errors.Is(err, ErrNoForm) {
		t.Errorf("err %v", err)
	}
}

// TestRoundTripRich: a form of rich bodies with an image, a choice range,
// fixed choices, partial credit, an item's stylesheet and a stimulus's
// exports and imports back to the same content, byte for byte, the image
// and the sheets included.
func TestRoundTripRich(t *testing.T) {
	res0 := importOne(t, filepath.Join("testdata", "items", "test-rich.xml"))
	if !res0.Complete {
		t.Fatalf("not complete: %+v", res0.Report)
	}
	lib, err := content.LoadDir(write(t, res0, false))
	if err != nil {
		t.Fatal(err)
	}
	f := lib.Forms["test-rich"]
	if time.Duration(f.TimeLimit) != 20*time.Minute || !f.ShuffleOptions {
		t.Errorf("form %+v", f)
	}
	pkg, err := Export(lib, "test-rich")
	if err != nil {
		t.Fatal(err)
	}
	if !zipHas(t, pkg, "stimuli/visit-notes.xml", `<qti-stylesheet href="../styles/visit-notes.css" type="text/css"/>
  <qti-stimulus-body>`) ||
		!zipHas(t, pkg, "imsmanifest.xml", `href="stimuli/visit-notes.xml"><file href="stimuli/visit-notes.xml"/><file href="styles/visit-notes.css"/></resource>`) ||
		!zipHas(t, pkg, "styles/visit-notes.css", `.said { color: #1d4f91; font-style: italic; }`) {
		t.Error("the stimulus's stylesheet is not in the package as a stimulus's")
	}
	res1, back := exportImport(t, lib, "test-rich")
	if c := back.Cases["visit-notes"]; c == nil || !slices.Equal(c.Stylesheets, []string{"styles/visit-notes.css"}) {
		t.Errorf("case after a round trip %+v", c)
	}
	f0, _ := res0.Files()
	f1, _ := res1.Files()
	delete(f0, "forms/test-rich.json") // the section's name and the test's title come back as exported
	delete(f1, "forms/test-rich.json")
	for name, b := range f0 {
		if !bytes.Equal(b, f1[name]) {
			t.Errorf("%s differs after a round trip:\n%s\n%s", name, b, f1[name])
		}
	}
	if len(f0) != len(f1) {
		t.Errorf("files %v then %v", keys(f0), keys(f1))
	}
	if !formsEqual(*f, *back.Forms["test-rich"]) {
		t.Errorf("form %+v, back %+v", f, back.Forms["test-rich"])
	}
}

// sameAfterSecondTrip exports back's demo form and imports it again: the
// content files are those of the first round trip, res1, byte for byte.
func sameAfterSecondTrip(t *testing.T, res1 *Result, back *content.Library) {
	t.Helper()
	res2, _ := exportImport(t, back, "demo-form")
	f1, _ := res1.Files()
	f2, _ := res2.Files()
	for name, b := range f1 {
		if !bytes.Equal(b, f2[name]) {
			t.Errorf("%s differs after a second round trip", name)
		}
	}
	if len(f1) != len(f2) {
		t.Errorf("files %v then %v", keys(f1), keys(f2))
	}
}
