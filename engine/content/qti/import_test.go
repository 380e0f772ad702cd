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
		{"test-nested-time.xml", ReasonUnrepresentable, 0},
		{"test-item-time.xml", ReasonUnrepresentable, 0},
		{"test-parts-time.xml", ReasonUnrepresentable, 0},
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

// TestSectionLimits: a section's max-time shorter than the test's becomes
// its content section's time_limit when the section's items make one
// content section (nested or not; the shortest of nested limits wins); a
// longer one is moot, with a warning; a minimum time is warned of, not
// enforced. The imported content loads.
func TestSectionLimits(t *testing.T) {
	tests := []struct {
		file   string
		limits map[string]time.Duration // content section -> limit; absent: untimed
		warns  []string
	}{
		{"test-two-sections-time.xml", map[string]time.Duration{"quick": 10 * time.Minute}, []string{
			"line 13: section long: time limit 2h0m0s is not shorter than the test's",
			"timed sections: the form is delivered one section at a time",
		}},
		{"test-nested-leaf-time.xml", map[string]time.Duration{"inner": 5 * time.Minute, "core": 15 * time.Minute}, []string{
			"section core: minimum time not enforced", // wrap's 900 s holds exactly core's items: the shorter, core's 15m

		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res := importOne(t, filepath.Join("testdata", "items", tc.file))
			fr := fileReport(t, res, tc.file)
			if !fr.Imported {
				t.Fatalf("refused: %s", fr.Reason)
			}
			f := res.Forms[0]
			for _, s := range f.Sections {
				if got := time.Duration(s.TimeLimit); got != tc.limits[s.ID] {
					t.Errorf("section %s: limit %v, want %v", s.ID, got, tc.limits[s.ID])
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
		{"test-nested-time.xml", "line 9: section outer has its own time limit of 10m0s over 2 content sections (its sub-sections)"},
		{"test-item-time.xml", "line 8: item ref i2 has its own time limit of 1m0s for 1 of the test's 2 item refs; a form times the test and its sections, not single items"},
		{"test-parts-time.xml", "line 5: test part p1 has its own time limit and the test has 2 parts"},
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
