package qti

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine/content"
)

// TestPartialCredit: items whose processing gives partial credit or
// another maximum are carried into content's scoring and score every
// response as their own processing does.
func TestPartialCredit(t *testing.T) {
	type resp struct {
		chosen []string
		want   float64
	}
	tests := []struct {
		file     string
		min, max int // the content item's range (0, 0: Select or single)
		scores   []resp
	}{
		// map_response, 1 per correct choice, any number: partial credit.
		{"map-partial.xml", 0, 4, []resp{{[]string{"a", "c"}, 2}, {[]string{"a"}, 1}, {[]string{"a", "b"}, 1}, {[]string{"b", "d"}, 0}}},
		// match_correct inline with SCORE set to 2.
		{"scores-two.xml", 0, 0, []resp{{[]string{"b"}, 2}, {[]string{"a"}, 0}}},
		// map_response with bounds 0..2 and choose 2 to 3.
		{"range-map.xml", 2, 3, []resp{{[]string{"a", "b"}, 2}, {[]string{"a", "c"}, 0}, {[]string{"a", "b", "c"}, 1}, {[]string{"a", "b", "e"}, 2}, {[]string{"a"}, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res, _ := importedTest(t, tc.file)
			dir := write(t, res, false)
			lib, err := content.LoadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			it := lib.Items[strings.TrimSuffix(tc.file, ".xml")]
			if it.MinSelect != tc.min || it.MaxSelect != tc.max {
				t.Errorf("range %d..%d, want %d..%d", it.MinSelect, it.MaxSelect, tc.min, tc.max)
			}
			for _, r := range tc.scores {
				if got := it.Points(r.chosen); got != r.want {
					t.Errorf("%v scores %g, want %g", r.chosen, got, r.want)
				}
			}
		})
	}
}

func TestNonAdditiveRefused(t *testing.T) {
	res := importOne(t, filepath.Join("testdata", "items", "inline-nonadditive.xml"))
	fr := fileReport(t, res, "inline-nonadditive.xml")
	want := "item inline-nonadditive scores 1 for {a,c}, which content's scoring"
	if fr.ReasonClass != ReasonUnrepresentable || !strings.HasPrefix(fr.Reason, want) {
		t.Fatalf("report %+v, want %q", fr, want)
	}
}

// TestRichBody: the body becomes rich text in content's subset, the image
// is copied and loads as the item's asset, and what the subset leaves out
// (script, the event attribute, the link) is not in it.
func TestRichBody(t *testing.T) {
	res, _ := importedTest(t, "rich-body.xml")
	it := res.Bank.Items[0]
	for _, want := range []string{
		`<strong>Okafor</strong>`, `<img src="img/genogram-small.png" alt="Genogram of the Okafor household" width="240"/>`,
		`<th scope="col">Contact</th>`, `<td colspan="2">`, `<li>Twins, 9 months</li>`,
		`<math xmlns="http://www.w3.org/1998/Math/MathML"><mfrac><mn>1</mn><mn>3</mn></mfrac></math>`,
		`<p>Read more</p>`, `<div>Which concern does the record most support?</div>`,
	} {
		if !strings.Contains(it.StemHTML, want) {
			t.Errorf("stem HTML lacks %s:\n%s", want, it.StemHTML)
		}
	}
	for _, bad := range []string{"script", "steal", "onclick", "href", "example.org"} {
		if strings.Contains(it.StemHTML, bad) {
			t.Errorf("stem HTML holds %q:\n%s", bad, it.StemHTML)
		}
	}
	if it.Options[0].HTML != "None: the twins are <em>thriving</em>" || it.Options[1].HTML != "" {
		t.Errorf("options %+v", it.Options)
	}
	lib, err := content.LoadDir(write(t, res, false))
	if err != nil {
		t.Fatal(err)
	}
	if a := lib.Assets["img/genogram-small.png"]; a == nil || a.Type != "image/png" {
		t.Errorf("asset %+v", a)
	}
}

// TestResolve: a reference is taken relative to its file, percent-encoding
// decoded, and never leaves the package.
func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		from, ref, want string
		ok              bool
	}{
		{"items/q1.xml", "../img/sign.png", "img/sign.png", true},
		{"items/q1.xml", "img/my%20chart.png?v=2", "items/img/my chart.png", true},
		{"items/q1.xml", "..%2F..%2Fetc%2Fpasswd", "", false},
		{"items/q1.xml", "/img/x.png", "", false},
		{"items/q1.xml", "https://example.org/x.png", "", false},
		{"q1.xml", "../x.png", "", false},
	} {
		got, ok := resolve(tc.from, tc.ref)
		if got != tc.want || ok != tc.ok {
			t.Errorf("resolve(%q, %q) = %q, %v; want %q, %v", tc.from, tc.ref, got, ok, tc.want, tc.ok)
		}
	}
}
