package standardsetting

import (
	"errors"
	"testing"
)

// Expected values in this file: testdata/05_results.txt, the line named in
// each test, computed in R 4.2.2 (eRm 1.0.2 for the booklet's
// difficulties).

func TestEbelReference(t *testing.T) { // "[Ebel]"
	items := read(t, "ebel_items.csv", ReadEbelItems)
	g := read(t, "ebel_grid.csv", ReadEbelGrid)
	res, err := Ebel("ebel_items.csv", items, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "cut", res.Cut, 18.55)
	near(t, "cut_pct", res.CutPct, 100*0.6183333333)
	// The script derived the difficulty column from facility with
	// cut(p, c(-Inf,.4,.7,Inf)); recomputing it from the responses must agree.
	fromFacility, err := Ebel("ebel_items.csv", items, g, Facility(readResponses(t)))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "cut from facility", fromFacility.Cut, 18.55)
}

func TestNedelskyReference(t *testing.T) { // "[Nedelsky]"
	m, err := ReadNedelsky("nedelsky_remaining_options.csv", open(t, "nedelsky_remaining_options.csv"), 5)
	if err != nil {
		t.Fatal(err)
	}
	res := Nedelsky(m)
	near(t, "cut", res.Cut, 15.5888888889)
	near(t, "sigma", res.Sigma, 2.6848483186)
	near(t, "se", res.SE, 0.5991300277)
}

func readHofstee(t *testing.T, name string) []HofsteeJudgement {
	t.Helper()
	return read(t, name, ReadHofstee)
}

func TestHofsteeReference(t *testing.T) { // "[Hofstee case1-interior]", "[Hofstee case2-boundary]"
	scores := readScores(t).Scores
	tests := []struct {
		file                   string
		cmin, cmax, fmin, fmax float64
		kase                   string
		cutPct, cut, failAt    float64
		discrete, discreteFail float64
	}{
		{"hofstee_case1.csv", 33.3333, 55.8333, 12.5, 41.6667, "interior",
			39.2087042532, 11.7626112760, 34.0504451039, 12, 35},
		{"hofstee_case2.csv", 43.3333, 61.6667, 7.5, 31.6667, "boundary-cmin",
			43.3333333333, 13, 41, 13, 41},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res := Hofstee(readHofstee(t, tc.file), scores, 30)
			for _, c := range []struct {
				n    string
				g, w float64
			}{{"Cmin", res.Cmin, tc.cmin}, {"Cmax", res.Cmax, tc.cmax}, {"Fmin", res.Fmin, tc.fmin}, {"Fmax", res.Fmax, tc.fmax}} {
				if d := c.g - c.w; d > 5e-5 || d < -5e-5 { // printed to 4 decimals
					t.Errorf("%s = %v, want %v", c.n, c.g, c.w)
				}
			}
			if res.Case != tc.kase {
				t.Errorf("case %q, want %q", res.Case, tc.kase)
			}
			near(t, "cut_pct", res.CutPct, tc.cutPct)
			near(t, "cut", res.Cut, tc.cut)
			near(t, "fail at cut", res.FailPctAt, tc.failAt)
			near(t, "discrete", res.DiscreteCut, tc.discrete)
			near(t, "discrete fail", res.DiscreteFailPct, tc.discreteFail)
		})
	}
}

// The other boundary: judges who accept failing nobody and want a high cut
// leave the fail curve below the line across [Cmin, Cmax].
func TestHofsteeUpperBoundary(t *testing.T) {
	js := []HofsteeJudgement{{"a", 10, 20, 80, 90}, {"b", 10, 20, 80, 90}}
	scores := []float64{5, 6, 7, 8, 9, 10}
	res := Hofstee(js, scores, 10)
	if res.Case != "boundary-cmax" || res.CutPct != 20 || res.Cut != 2 {
		t.Errorf("got %s at %v%% (raw %v), want boundary-cmax at 20%% (raw 2)", res.Case, res.CutPct, res.Cut)
	}
	if !res.DiscreteFallback || res.DiscreteCut != 2 {
		t.Errorf("discrete %v fallback %v, want 2 by fallback", res.DiscreteCut, res.DiscreteFallback)
	}
}

func TestBeukReference(t *testing.T) { // "[Beuk]"
	js := read(t, "beuk.csv", ReadBeuk)
	res := Beuk(js, readScores(t).Scores, 30)
	near(t, "kbar", res.KBar, 57.5)
	near(t, "vbar", res.VBar, 75.8333333333)
	near(t, "sk", res.SK, 5.2440442409)
	near(t, "sv", res.SV, 7.3598007219)
	near(t, "slope", res.Slope, 1.4034589305)
	near(t, "cut_pct", res.CutPct, 44.2851175085)
	near(t, "cut", res.Cut, 13.2855352526)
	near(t, "pass%", res.PassPctAt, 57.2867884847)
	if res.Case != "interior" {
		t.Errorf("case %q", res.Case)
	}
}

func TestCohenReference(t *testing.T) { // "[Cohen] quantile type 6|7"
	scores := readScores(t).Scores
	for _, tc := range []struct {
		typ                QuantileType
		p95, cut, modified float64
	}{
		{Type6, 24.95, 17.37, 13.2},
		{Type7, 24.05, 16.83, 13.2},
	} {
		res := Cohen(scores, 30, CohenOptions{Options: 5, Type: tc.typ})
		near(t, "P95", res.Reference, tc.p95)
		near(t, "C", res.Guessing, 6)
		near(t, "PM", res.Cut, tc.cut)
		near(t, "modified", res.Modified, tc.modified)
	}
}

// Hyndman and Fan (1996) types 6 and 7 on 1..10 (R: quantile(1:10, .95, type=6|7)
// gives 10 and 9.55; quantile(1:10, .25, type=6) gives 2.75).
func TestQuantileTypes(t *testing.T) {
	x := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	near(t, "t6 .95", Quantile(x, 0.95, Type6), 10)
	near(t, "t7 .95", Quantile(x, 0.95, Type7), 9.55)
	near(t, "t6 .25", Quantile(x, 0.25, Type6), 2.75)
	near(t, "median even", Median([]float64{1, 2, 3, 4}), 2.5)
}

func TestBookmarkReference(t *testing.T) { // "[Bookmark]"
	bk := read(t, "bookmark_oib.csv", ReadBooklet)
	marks, err := ReadBookmarks("bookmark_judges.csv", open(t, "bookmark_judges.csv"), len(bk.B))
	if err != nil {
		t.Fatal(err)
	}
	res, err := BookmarkRP(bk, marks, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "RP", res.RP, 0.67)
	near(t, "offset", res.Offset, 0.7081850579)
	for j, w := range []float64{0.320281, 0.368536, 0.608889, 0.368536, 0.657013, 0.368536} {
		if d := res.JudgeThetas[j].Cut - w; d > 5e-7 || d < -5e-7 { // printed to 6 decimals
			t.Errorf("theta[%d] = %v, want %v", j, res.JudgeThetas[j].Cut, w)
		}
	}
	near(t, "median theta", res.Theta, 0.3685356708)
	near(t, "mean theta", res.ThetaMean, 0.4486317154)
	near(t, "SE mean", res.ThetaSE, 0.0591115379)
	near(t, "TCC", res.TCC, 17.4618914246)
	near(t, "raw cut", res.Cut, 18)
	// RP 0.5 puts theta on the page's difficulty: a different cut.
	half, _ := BookmarkRP(bk, marks, 0.5)
	if half.Offset != 0 || half.TCC >= res.TCC {
		t.Errorf("RP 0.5: offset %v TCC %v, want 0 and below %v", half.Offset, half.TCC, res.TCC)
	}
}

// Hand-computed cases for Beuk's edges: judges agreeing on k give a
// vertical line (cut = mean k); a line above the pass curve everywhere
// gives the lower boundary.
func TestBeukEdges(t *testing.T) {
	scores := []float64{2, 4, 6, 8, 10} // out of 10
	v := Beuk([]BeukJudgement{{"a", 60, 70}, {"b", 60, 90}}, scores, 10)
	if v.Case != "vertical" || v.CutPct != 60 || v.Cut != 6 {
		t.Errorf("vertical: %+v", v)
	}
	// Everyone scored 0, so P(c) is 100 at c = 0 and 0 beyond; the line
	// through (5, 100) with slope 0 is at 100 >= P(0): the cut is 0.
	b := Beuk([]BeukJudgement{{"a", 0, 100}, {"b", 10, 100}}, []float64{0, 0, 0, 0}, 10)
	if b.Case != "boundary-0" || b.CutPct != 0 {
		t.Errorf("boundary: %+v", b)
	}
}

func TestEbelUnknownCategory(t *testing.T) {
	g := &EbelGrid{Relevance: []string{"essential"}, Difficulty: []string{"easy", "hard"}, P: [][]float64{{0.9, 0.5}}}
	items := []EbelItem{{Item: "I1", Relevance: "essential", Difficulty: "easy", line: 2}, {Item: "I2", Relevance: "nice", Difficulty: "hard", line: 3}}
	_, err := Ebel("items.csv", items, g, nil)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Line != 3 || !errors.Is(err, ErrRange) {
		t.Errorf("err = %v, want ErrRange at row 3", err)
	}
	res, err := Ebel("items.csv", items[:1], g, nil)
	if err != nil || res.Cut != 0.9 || res.CutPct != 90 {
		t.Errorf("one easy essential item: %+v %v", res, err)
	}
}
