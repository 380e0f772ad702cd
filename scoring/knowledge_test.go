package scoring

import (
	"strings"
	"testing"

	"github.com/accredit/accredit/engine/content"
)

func TestKnowledge(t *testing.T) {
	items := []*content.Item{
		{ID: "q1", Type: content.SingleBest, Domain: "d1", Key: []string{"b"}},
		{ID: "q2", Type: content.MultipleResponse, Domain: "d1", Key: []string{"a", "c"}, Select: 2},
		{ID: "q3", Type: content.SingleBest, Domain: "d2", Key: []string{"a"}},
		{ID: "q4", Type: content.MultipleResponse, Domain: "d2", Key: []string{"b", "d"}, Select: 2},
	}
	tests := []struct {
		name    string
		answers map[string][]string
		raw     float64
		d1, d2  float64
		answerd int
	}{
		{"none", nil, 0, 0, 0, 0},
		{"all right", map[string][]string{"q1": {"b"}, "q2": {"c", "a"}, "q3": {"a"}, "q4": {"d", "b"}}, 4, 2, 2, 4},
		{"partial multiple is wrong", map[string][]string{"q2": {"a"}, "q4": {"b", "d", "a"}}, 0, 0, 0, 2},
		{"single wrong", map[string][]string{"q1": {"a"}, "q3": {"a"}}, 1, 0, 1, 2},
		{"empty choice counts as unanswered", map[string][]string{"q1": {}}, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Knowledge(items, tc.answers)
			if r.Raw != tc.raw || r.Domains["d1"].Raw != tc.d1 || r.Domains["d2"].Raw != tc.d2 || r.Answered != tc.answerd {
				t.Fatalf("got raw %g d1 %g d2 %g answered %d; want %g %g %g %d", r.Raw, r.Domains["d1"].Raw, r.Domains["d2"].Raw, r.Answered, tc.raw, tc.d1, tc.d2, tc.answerd)
			}
			if r.Max != 4 || r.Domains["d1"].Max != 2 || r.Domains["d2"].Max != 2 {
				t.Fatalf("max %g d1 %g d2 %g, want 4 2 2", r.Max, r.Domains["d1"].Max, r.Domains["d2"].Max)
			}
		})
	}
}

func TestWriteMatrix(t *testing.T) {
	var b strings.Builder
	err := WriteMatrix(&b, []string{"q1", "q2", "q3"}, []MatrixRow{
		{Person: "c1", Items: map[string]ItemScore{"q1": 1, "q2": 0, "q3": 1}},
		{Person: "c2", Items: map[string]ItemScore{"q1": 0, "q3": 0}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "person,q1,q2,q3\nc1,1,0,1\nc2,0,,0\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestKnowledgePartial: an item with partial credit adds its share, its
// maximum counts in Max, and its matrix cell keeps a decimal point.
func TestKnowledgePartial(t *testing.T) {
	lo, hi := 0.0, 2.0
	opts := []content.Option{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}
	items := []*content.Item{
		{ID: "q1", Type: content.SingleBest, Domain: "d1", Key: []string{"b"}, Options: opts},
		{ID: "p1", Type: content.MultipleResponse, Domain: "d1", Key: []string{"a", "c"}, MinSelect: 1, MaxSelect: 4, Options: opts,
			Scoring: &content.Scoring{Map: []content.OptionValue{{Option: "a", Value: 1}, {Option: "c", Value: 1}}, Default: -1, LowerBound: &lo, UpperBound: &hi}},
		{ID: "p2", Type: content.SingleBest, Domain: "d2", Key: []string{"a"}, Options: opts, Scoring: &content.Scoring{Points: 3}},
	}
	r := Knowledge(items, map[string][]string{"q1": {"b"}, "p1": {"a", "b", "c"}, "p2": {"a"}})
	// q1 1, p1 1 + 1 - 1 = 1, p2 3.
	if r.Raw != 5 || r.Max != 6 || r.Items["p1"] != 1 || r.Domains["d1"].Raw != 2 || r.Domains["d1"].Max != 3 {
		t.Fatalf("result %+v", r)
	}
	for _, tc := range []struct {
		it   *content.Item
		s    ItemScore
		want string
	}{{items[0], 1, "1"}, {items[0], 0, "0"}, {items[1], 1, "1.0"}, {items[1], 0.5, "0.5"}, {items[2], 0, "0.0"}} {
		if got := FormatScore(tc.it, tc.s); got != tc.want {
			t.Errorf("FormatScore(%s, %g) = %q, want %q", tc.it.ID, tc.s, got, tc.want)
		}
	}
}
