package qti

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine/content"
)

// TestItemStylesheet imports an item whose stylesheet holds what is kept
// and what is not: the sanitised sheet is written under assets/ at its path
// in the package, the item names it, its classes are kept, and the report
// says what was dropped, naming the file and the line.
func TestItemStylesheet(t *testing.T) {
	res, fr := importedTest(t, "styled.xml")
	it := res.Bank.Items[0]
	if !slices.Equal(it.Stylesheets, []string{"styles/chronology.css"}) {
		t.Fatalf("stylesheets %v", it.Stylesheets)
	}
	want := `.qti-layout-row { display: flex; gap: 1em; }
.qti-layout-col6 { width: 50%; }
.chronology td.late, .missed { color: #b00020; font-weight: 700; background-color: #fff3f3; }
.qti-underline { text-decoration: underline; }
.note { border-left: 4px solid #1d4f91; padding: 0 0 0 .5em; }
p, .topbar { color: #00aa00; }
`
	if got := string(res.Assets["styles/chronology.css"]); got != want {
		t.Errorf("sheet\n%s\nwant\n%s", got, want)
	}
	for _, w := range []string{
		"stylesheet styles/chronology.css: line 1: @import dropped: a stylesheet may not load another",
		"stylesheet styles/chronology.css: line 7: background dropped: the shorthand can load an image; use background-color",
		"stylesheet styles/chronology.css: line 8: position dropped: an item may not place content over the page",
		"stylesheet styles/chronology.css: line 8: z-index dropped",
		"stylesheet styles/chronology.css: line 8: top dropped: not an allowed property",
		"stylesheet styles/chronology.css: line 9: selector \"body .x\" dropped: body is the page, not the item",
		"stylesheet styles/chronology.css: line 9: !important removed from color",
		"stylesheet styles/chronology.css: line 10: selector \"div:has(.missed)\" dropped: functional pseudo-classes",
		"stylesheet styles/chronology.css: line 11: @media dropped with its rules",
		"stylesheet styles/chronology.css: line 12: selector \".hint::after\" dropped",
		"class 9th left out: not a plain class name",
	} {
		if !slices.ContainsFunc(fr.Warnings, func(s string) bool { return strings.HasPrefix(s, w) }) {
			t.Errorf("no warning %q in\n%s", w, strings.Join(fr.Warnings, "\n"))
		}
	}
	for _, c := range []string{`<div class="qti-layout-row">`, `<table class="chronology">`, `<td class="late">24 March</td>`,
		`<span class="qti-underline">strategy discussion</span>`, `<p class="banner">`} {
		if !strings.Contains(it.StemHTML, c) {
			t.Errorf("stem_html lacks %s:\n%s", c, it.StemHTML)
		}
	}
	if !strings.Contains(it.Options[0].HTML, `<span class="missed">not</span>`) {
		t.Errorf("option html %q", it.Options[0].HTML)
	}

	// The written tree loads: the sheet passes the loader's check, and the
	// candidate is sent it scoped.
	dir := write(t, res, false)
	lib, err := content.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := lib.Assets["styles/chronology.css"]
	if a == nil || !strings.HasPrefix(string(a.Data), `.rich[data-styles~="styles/chronology.css"] .rc-qti-layout-row { display: flex;`) {
		t.Errorf("served sheet %+v", a)
	}
	if raw, _ := os.ReadFile(filepath.Join(dir, "assets", "styles", "chronology.css")); string(raw) != want {
		t.Errorf("written sheet %q", raw)
	}
}

func TestItemStylesheetNotApplied(t *testing.T) {
	tests := []struct {
		name, css, href, warn string
	}{
		{"malformed", ".a { color: red;", "s.css", "stylesheet s.css not applied: css: malformed stylesheet: line 1: { opened here is not closed"},
		{"nothing kept", "@import url(x.css);\n.a { position: fixed }", "s.css", "stylesheet s.css not applied: no rule in it is kept"},
		{"path", ".a { color: red }", "my styles.css", "stylesheet my styles.css not applied: its path"},
		{"remote", "", "https://example.org/s.css", "missing asset https://example.org/s.css (a URL or absolute path is not fetched)"},
		{"missing", "", "absent.css", "missing asset absent.css"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			item, err := os.ReadFile(filepath.Join("testdata", "items", "styled.xml"))
			if err != nil {
				t.Fatal(err)
			}
			item = []byte(strings.Replace(string(item), `href="styles/chronology.css"`, `href="`+tc.href+`"`, 1))
			if err := os.WriteFile(filepath.Join(dir, "styled.xml"), item, 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.css != "" {
				if err := os.WriteFile(filepath.Join(dir, tc.href), []byte(tc.css), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res := importOne(t, filepath.Join(dir, "styled.xml"))
			fr := fileReport(t, res, "styled.xml")
			if !fr.Imported || len(res.Bank.Items[0].Stylesheets) != 0 || len(res.Assets) != 0 {
				t.Fatalf("imported %v, stylesheets %v, assets %d", fr.Imported, res.Bank.Items[0].Stylesheets, len(res.Assets))
			}
			if !slices.ContainsFunc(fr.Warnings, func(s string) bool { return strings.HasPrefix(s, tc.warn) }) {
				t.Errorf("no warning %q in\n%s", tc.warn, strings.Join(fr.Warnings, "\n"))
			}
			write(t, res, false)
		})
	}
}

// TestStimulusStylesheet imports an item whose stimulus names a
// stylesheet: the stimulus's sheet, resolved against the stimulus's file,
// is sanitised and named by the case (not by the item), what was dropped is
// said in the stimulus's report, and the loaded content serves it scoped to
// the form whose item shows the case.
func TestStimulusStylesheet(t *testing.T) {
	res := importOne(t, filepath.Join("testdata", "items", "test-rich.xml"))
	if !res.Complete {
		t.Fatalf("not complete: %+v", res.Report)
	}
	fr := fileReport(t, res, "stimuli/visit-notes.xml")
	i := slices.IndexFunc(res.Bank.Cases, func(c content.Case) bool { return c.ID == "visit-notes" })
	if !fr.Imported || i < 0 {
		t.Fatalf("stimulus imported %v, cases %+v", fr.Imported, res.Bank.Cases)
	}
	c := res.Bank.Cases[i]
	if !slices.Equal(c.Stylesheets, []string{"styles/visit-notes.css"}) {
		t.Errorf("case stylesheets %v", c.Stylesheets)
	}
	if !strings.Contains(c.HTML, `<span class="said">`) || !strings.Contains(c.HTML, `<p class="concern">`) {
		t.Errorf("case html lacks its classes: %s", c.HTML)
	}
	for _, it := range res.Bank.Items {
		if it.ID == "case-styled" && len(it.Stylesheets) != 0 {
			t.Errorf("the item names its stimulus's sheet: %v", it.Stylesheets)
		}
	}
	want := `.visit-date { font-weight: 700; }
.said { color: #1d4f91; font-style: italic; }
.concern { border-left: 4px solid #b00020; padding: 0 0 0 .5em; background-color: #fff3f3; }
p { text-decoration: underline dotted; }
`
	if got := string(res.Assets["styles/visit-notes.css"]); got != want {
		t.Errorf("sheet\n%s\nwant\n%s", got, want)
	}
	wantWarns := []string{
		`stylesheet styles/visit-notes.css: line 6: selector ".concern::before" dropped`,
		"stylesheet styles/visit-notes.css: line 6: content dropped",
	}
	if len(fr.Warnings) != len(wantWarns) {
		t.Errorf("warnings\n%s\nwant %d", strings.Join(fr.Warnings, "\n"), len(wantWarns))
	}
	for _, w := range wantWarns {
		if !slices.ContainsFunc(fr.Warnings, func(s string) bool { return strings.HasPrefix(s, w) }) {
			t.Errorf("no warning %q in\n%s", w, strings.Join(fr.Warnings, "\n"))
		}
	}

	lib, err := content.LoadDir(write(t, res, false))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := lib.FormAsset("test-rich", "styles/visit-notes.css")
	if !ok || a.Type != content.StyleType || string(a.Source) != want ||
		!strings.HasPrefix(string(a.Data), `.rich[data-styles~="styles/visit-notes.css"] .rc-visit-date { font-weight: 700; }`) {
		t.Errorf("served sheet %+v, %v", a, ok)
	}
}
