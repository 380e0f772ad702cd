package qti

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReportShape pins the report's JSON field names, which other tools
// read (docs/qti.md).
func TestReportShape(t *testing.T) {
	res := importOne(t, filepath.Join("testdata", "items", "map-exact.xml"), filepath.Join("testdata", "items", "no-key.xml"))
	b, err := json.Marshal(res.Report)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(top)); !slices.Equal(got, []string{"files", "summary"}) {
		t.Errorf("top-level fields %v", got)
	}
	var files []map[string]json.RawMessage
	if err := json.Unmarshal(top["files"], &files); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"imported": {"identifier", "imported", "item", "kind", "path", "warnings"},
		"refused":  {"identifier", "imported", "kind", "path", "reason", "reason_class", "warnings"},
	}
	if got := slices.Sorted(maps.Keys(files[0])); !slices.Equal(got, want["imported"]) {
		t.Errorf("imported file fields %v, want %v", got, want["imported"])
	}
	if got := slices.Sorted(maps.Keys(files[1])); !slices.Equal(got, want["refused"]) {
		t.Errorf("refused file fields %v, want %v", got, want["refused"])
	}
	var item map[string]json.RawMessage
	if err := json.Unmarshal(files[0]["item"], &item); err != nil {
		t.Fatal(err)
	}
	wantItem := []string{"cardinality", "choices", "correct", "fixed", "mapping", "max_choices", "max_score", "min_choices", "shuffle"}
	if got := slices.Sorted(maps.Keys(item)); !slices.Equal(got, wantItem) {
		t.Errorf("item fields %v, want %v", got, wantItem)
	}
	if m := string(item["mapping"]); !strings.Contains(m, `"lower_bound":0`) || !strings.Contains(m, `"default":-1`) {
		t.Errorf("mapping %s", m)
	}
}

func TestMathText(t *testing.T) {
	src := `<math xmlns="http://www.w3.org/1998/Math/MathML"><mfrac><mrow><mo>-</mo><mi>b</mi></mrow><mrow><mn>2</mn><mi>a</mi></mrow></mfrac><msqrt><msup><mi>b</mi><mn>2</mn></msup></msqrt></math>`
	d, err := parseXML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mathText(d.Root), "(- b)/(2 a) √(b^2)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTemplateName(t *testing.T) {
	for uri, want := range map[string]string{
		"https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml":  "match_correct",
		"https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct":      "match_correct",
		"http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct":    "match_correct",
		"http://www.imsglobal.org/question/qti_v2p2/rptemplates/map_response.xml": "map_response",
		"../rptemplates/map_response.xml":                                         "map_response",
		" match_correct.xml ":                                                     "match_correct",
		"https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response_point": "",
		"": "",
	} {
		if got := templateName(uri); got != want {
			t.Errorf("templateName(%q) = %q, want %q", uri, got, want)
		}
	}
}
