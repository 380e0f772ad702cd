package qti

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// TestItems imports each fixture on its own and checks what became of it.
func TestItems(t *testing.T) {
	tests := []struct {
		file  string
		class string   // "" when imported
		key   []string // when imported
		warn  string   // a warning that must be given
	}{
		{file: "tmpl-v3-noext.xml", key: []string{"b"}},
		{file: "tmpl-relative.xml", key: []string{"b"}},
		{file: "tmpl-unknown.xml", class: ReasonUnknownTemplate},
		{file: "map-single.xml", key: []string{"b"}},
		{file: "map-exact.xml", key: []string{"a", "c"}},
		{file: "map-partial.xml", key: []string{"a", "c"}},
		{file: "inline-map.xml", key: []string{"d"}},
		{file: "inline-sum.xml", key: []string{"a", "c"}},
		{file: "scores-two.xml", key: []string{"b"}},
		{file: "custom-op.xml", class: ReasonCustomOperator},
		{file: "no-key.xml", class: ReasonNoKey},
		{file: "all-keyed.xml", class: ReasonUnrepresentable},
		{file: "missing-stim.xml", class: ReasonMissingFile},
		{file: "missing-img.xml", key: []string{"b"}, warn: "missing asset img/absent.png"},
		{file: "malformed.xml", class: ReasonMalformedXML},
		{file: "xxe.xml", class: ReasonMalformedXML},
		{file: "text-entry.xml", class: ReasonUnsupportedInteraction},
		{file: "v22-multiple.xml", key: []string{"p", "r"}},
		{file: "v21-multiple.xml", key: []string{"p", "r"}},
		{file: "dup-1.xml", key: []string{"b"}, warn: "no response processing"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res := importOne(t, filepath.Join("testdata", "items", tc.file))
			fr := fileReport(t, res, tc.file)
			if fr.ReasonClass != tc.class || fr.Imported != (tc.class == "") {
				t.Fatalf("class %q (%s), want %q", fr.ReasonClass, fr.Reason, tc.class)
			}
			if tc.warn != "" && !slices.ContainsFunc(fr.Warnings, func(w string) bool { return strings.Contains(w, tc.warn) }) {
				t.Errorf("warnings %q, want one with %q", fr.Warnings, tc.warn)
			}
			if tc.class != "" {
				return
			}
			if got := res.Bank.Items[0].Key; !slices.Equal(got, tc.key) {
				t.Errorf("key %v, want %v", got, tc.key)
			}
			write(t, res, false)
		})
	}
}

func TestDuplicateIdentifier(t *testing.T) {
	res := importOne(t, filepath.Join("testdata", "items", "dup-1.xml"), filepath.Join("testdata", "items", "dup-2.xml"))
	if fr := fileReport(t, res, "dup-2.xml"); fr.ReasonClass != ReasonDuplicateIdentifier {
		t.Errorf("second file: %+v", fr)
	}
	if len(res.Bank.Items) != 1 || res.Complete {
		t.Errorf("items %d, complete %v", len(res.Bank.Items), res.Complete)
	}
}

func TestMissingImageAndScript(t *testing.T) {
	res := importOne(t, filepath.Join("testdata", "items", "missing-img.xml"))
	fr := fileReport(t, res, "missing-img.xml")
	stem := res.Bank.Items[0].Stem
	if strings.Contains(stem, "alert") || !strings.Contains(stem, "[image: absent]") {
		t.Errorf("stem %q", stem)
	}
	if !slices.ContainsFunc(fr.Warnings, func(w string) bool { return strings.Contains(w, "https://example.org/x.png") }) {
		t.Errorf("no warning for the remote image: %q", fr.Warnings)
	}
}

func TestPackage(t *testing.T) {
	res := importOne(t, filepath.Join("testdata", "pkg"))
	if !res.Complete {
		t.Fatalf("not complete: %+v", res.Report)
	}
	if len(res.Forms) != 1 || len(res.Bank.Cases) != 1 || len(res.Bank.Items) != 3 {
		t.Fatalf("forms %d cases %d items %d", len(res.Forms), len(res.Bank.Cases), len(res.Bank.Items))
	}
	f := res.Forms[0]
	if time.Duration(f.TimeLimit) != 45*time.Minute || !f.ShuffleItems || !f.ShuffleOptions {
		t.Errorf("form %+v", f)
	}
	var ids []string
	for _, s := range f.Sections {
		ids = append(ids, s.ID+":"+strings.Join(s.Items, ","))
	}
	if want := []string{"threshold:sg-001,sg-002", "family:sg-003"}; !slices.Equal(ids, want) {
		t.Errorf("sections %v, want %v", ids, want)
	}
	if fr := fileReport(t, res, "items/sg-002.xml"); !slices.Equal(fr.Item.Fixed, []string{"d"}) {
		t.Errorf("fixed %v", fr.Item.Fixed)
	}
	for _, it := range res.Bank.Items {
		var fixed []string
		for _, o := range it.Options {
			if o.Fixed {
				fixed = append(fixed, o.ID)
			}
		}
		if want := map[string][]string{"sg-002": {"d"}}[it.ID]; !slices.Equal(fixed, want) {
			t.Errorf("item %s: fixed options %v, want %v", it.ID, fixed, want)
		}
	}
	if _, ok := res.Assets["img/genogram.png"]; !ok {
		t.Errorf("assets %v", keys(res.Assets))
	}
	dir := write(t, res, false)
	lib, err := content.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if lib.Items["sg-003"].Case != "ashworth" || lib.Cases["ashworth"] == nil {
		t.Errorf("case not linked: %+v", lib.Items["sg-003"])
	}
}

func TestTests(t *testing.T) {
	tests := []struct {
		file, class string
		limit       time.Duration
	}{
		{"test-branch.xml", ReasonConditionalSection, 0},
		{"test-select.xml", ReasonUnrepresentable, 0},
		{"test-section-time.xml", "", 10 * time.Minute}, // its one section holds every item: its 600 s limit is the form's
		{"test-two-sections-time.xml", "", time.Hour},   // the section's 600 s is the section's own (TestSectionLimits)
		{"test-nested-leaf-time.xml", "", time.Hour},
		{"test-nested-time.xml", "", time.Hour},
		{"test-item-time.xml", "", time.Hour},
		{"test-parts-time.xml", "", time.Hour},
		{"test-nested-item-time.xml", ReasonUnrepresentable, 0},
		{"test-shuffled-item-time.xml", ReasonUnrepresentable, 0},
		{"test-v22.xml", "", 15 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res := importOne(t, filepath.Join("testdata", "items", tc.file))
			fr := fileReport(t, res, tc.file)
			if fr.ReasonClass != tc.class {
				t.Fatalf("class %q (%s), want %q", fr.ReasonClass, fr.Reason, tc.class)
			}
			if tc.class == "" && time.Duration(res.Forms[0].TimeLimit) != tc.limit {
				t.Errorf("limit %v, want %v", res.Forms[0].TimeLimit, tc.limit)
			}
		})
	}
}

// TestSectionLimits: a part's, section's or item ref's max-time shorter
// than the test's becomes the time_limit of one content section holding
// its items: a section over sub-sections and a part of several sections
// are merged into one, a timed item ref gets a section of its own, and
// nested limits over the same items give the shortest. A longer limit is
// moot, with a warning; a minimum time is warned of, not enforced. The
// imported content loads and is delivered by section.
func TestSectionLimits(t *testing.T) {
	tests := []struct {
		file   string
		limits map[string]time.Duration // content section -> limit; absent: untimed
		items  map[string][]string      // content section -> its items, where checked
		warns  []string
	}{
		{"test-two-sections-time.xml", map[string]time.Duration{"quick": 10 * time.Minute}, nil, []string{
			"line 13: section long: time limit 2h0m0s is not shorter than the test's",
			"timed sections: the form is delivered one section at a time",
		}},
		{"test-nested-leaf-time.xml", map[string]time.Duration{"inner": 5 * time.Minute, "core": 15 * time.Minute}, nil, []string{
			"section core: minimum time not enforced", // wrap's 900 s holds exactly core's items: the shorter, core's 15m

		}},
		{"test-nested-time.xml", map[string]time.Duration{"outer": 10 * time.Minute},
			map[string][]string{"first": {"v22-multiple"}, "outer": {"map-single", "tmpl-relative"}}, []string{
				"line 9: section outer is delivered as one section timed 10m0s, holding the items of sections a, b",
			}},
		{"test-item-time.xml", map[string]time.Duration{"s1-2": time.Minute},
			map[string][]string{"s1": {"v22-multiple"}, "s1-2": {"map-single"}}, []string{
				"line 8: item ref i2 is delivered as a section of its own, timed 1m0s",
			}},
		{"test-parts-time.xml", map[string]time.Duration{"s1": 10 * time.Minute},
			map[string][]string{"s1": {"v22-multiple", "map-single"}, "s2": {"tmpl-relative"}}, []string{
				"line 11: item ref i2: time limit 15m0s is not shorter than that of test part p1, which governs",
				"line 5: test part p1 is delivered as one section timed 10m0s, holding the items of sections s1, s1b",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res, fr := importedTest(t, tc.file)
			f := res.Forms[0]
			for _, s := range f.Sections {
				if got := time.Duration(s.TimeLimit); got != tc.limits[s.ID] {
					t.Errorf("section %s: limit %v, want %v", s.ID, got, tc.limits[s.ID])
				}
			}
			for id, want := range tc.items {
				i := slices.IndexFunc(f.Sections, func(s content.Section) bool { return s.ID == id })
				if i < 0 || !slices.Equal(f.Sections[i].Items, want) {
					t.Errorf("sections %+v, want %s holding %v", f.Sections, id, want)
				}
			}
			for _, w := range tc.warns {
				if !slices.ContainsFunc(fr.Warnings, func(x string) bool { return strings.Contains(x, w) }) {
					t.Errorf("warnings %q, want one with %q", fr.Warnings, w)
				}
			}
			lib, err := content.LoadDir(write(t, res, false))
			if err != nil {
				t.Fatal(err)
			}
			if !lib.Forms[f.ID].BySection() {
				t.Error("the loaded form is not delivered by section")
			}
		})
	}
}

// importedTest imports the test fixture file and fails unless it was
// imported.
func importedTest(t *testing.T, file string) (*Result, FileReport) {
	t.Helper()
	res := importOne(t, filepath.Join("testdata", "items", file))
	fr := fileReport(t, res, file)
	if !fr.Imported {
		t.Fatalf("refused: %s", fr.Reason)
	}
	return res, fr
}

func TestDuplicateTest(t *testing.T) {
	p := filepath.Join("testdata", "items", "test-v22.xml")
	res := importOne(t, p, p)
	if len(res.Forms) != 1 || res.Report.Files[len(res.Report.Files)-1].ReasonClass != ReasonDuplicateIdentifier {
		t.Errorf("forms %d, last report %+v", len(res.Forms), res.Report.Files[len(res.Report.Files)-1])
	}
}

// TestTimeLimitRefusalsLocated: a limit that cannot be kept is refused
// with the line of its time limits and why.
func TestTimeLimitRefusalsLocated(t *testing.T) {
	tests := []struct{ file, want string }{
		{"test-nested-item-time.xml", "line 12: item ref i3 has its own time limit of 1m0s inside section outer, timed 10m0s (line 9); content times a section, not a section within a timed one"},
		{"test-shuffled-item-time.xml", "line 9: item ref i2 has its own time limit in shuffled section mixed; a section of its own would fix its place"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			fr := fileReport(t, importOne(t, filepath.Join("testdata", "items", tc.file)), tc.file)
			if !strings.HasPrefix(fr.Reason, tc.want) {
				t.Errorf("reason %q, want it to begin %q", fr.Reason, tc.want)
			}
		})
	}
}

// TestNavigationMode: a test whose every part is linear becomes a linear
// form; one whose parts differ is delivered free, with a warning naming
// the linear parts. Both load.
func TestNavigationMode(t *testing.T) {
	tests := []struct {
		file   string
		linear bool
		warn   string
	}{
		{"test-linear.xml", true, ""},
		{"test-mixed-nav.xml", false, "test parts p1 are linear and the others not"},
		{"test-v22.xml", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res, fr := importedTest(t, tc.file)
			if got := res.Forms[0].Linear(); got != tc.linear {
				t.Errorf("linear %v, want %v", got, tc.linear)
			}
			want := tc.warn
			if want == "" {
				want = "linear" // and no such warning
			}
			if warned := slices.ContainsFunc(fr.Warnings, func(w string) bool { return strings.Contains(w, want) }); warned != (tc.warn != "") {
				t.Errorf("warnings %q; want one with %q: %v", fr.Warnings, want, tc.warn != "")
			}
			lib, err := content.LoadDir(write(t, res, false))
			if err != nil {
				t.Fatal(err)
			}
			if lib.Forms[res.Forms[0].ID].Linear() != tc.linear {
				t.Error("the loaded form lost its navigation mode")
			}
		})
	}
}
