package standardsetting

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// Expected values: testdata/05_results.txt, lines "[Angoff panelA]" and
// "[Angoff panelB]", computed in base R 4.2.2; the panels' ratings are
// testdata/angoff_panel{A,B}.csv (testdata/README.md says how they were
// made).
func TestAngoffReference(t *testing.T) {
	tests := []struct {
		file                           string
		judges                         int
		cut, cutProp, se               float64
		vj, vi, vji, seFixed, seRandom float64
		passAtCeiling                  float64
	}{
		{"angoff_panelA.csv", 8, 11.9587500000, 0.3986250000, 0.4537322901,
			0.001538887521, 0.02163763547, 0.00873283867, 0.0151244097, 0.0308221071, 0.65},
		{"angoff_panelB.csv", 7, 11.3371428571, 0.3779047619, 0.1765234948,
			0, 0.01581961686, 0.01026241927, 0.0069906125, 0.0240039419, 0.65},
	}
	scores := readScores(t).Scores
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res := Angoff(readRatings(t, tc.file), nil)
			if res.Judges != tc.judges || res.Items != 30 {
				t.Fatalf("J=%d I=%d, want %d 30", res.Judges, res.Items, tc.judges)
			}
			near(t, "cut", res.Cut, tc.cut)
			near(t, "cut_pct", res.CutPct, 100*tc.cutProp)
			near(t, "se", res.SE, tc.se)
			near(t, "var_j", res.G.VarJudges, tc.vj)
			near(t, "var_i", res.G.VarItems, tc.vi)
			near(t, "var_ji", res.G.VarResidual, tc.vji)
			near(t, "se items fixed", res.G.SEItemsFixed, tc.seFixed)
			near(t, "se items random", res.G.SEItemsRandom, tc.seRandom)
			near(t, "pass rate", PassRate(scores, Ceiling.Round(res.Cut, 1)), tc.passAtCeiling)
			// With items fixed and var_j not truncated at zero, the G-study SE
			// equals the judges' SE on the proportion scale (as the script notes).
			if tc.vj > 0 {
				near(t, "G vs judges", res.G.SEItemsFixed, res.SE/30)
			}
		})
	}
}

// Hand-computed: judge cuts 3, 3, 2 and 4; mean 3, sd sqrt(2/3), SE sd/2.
func TestAngoffYesNoAndFacility(t *testing.T) {
	in := "judge,i1,i2,i3,i4\na,1,0,1,1\nb,1,1,0,1\nc,0,0,1,1\nd,1,1,1,1\n"
	r, err := ReadRatings("yn.csv", strings.NewReader(in), YesNo)
	if err != nil {
		t.Fatal(err)
	}
	res := Angoff(r, []float64{0.9, 0.2, 0.5, 0.8})
	near(t, "cut", res.Cut, 3)
	near(t, "cut_pct", res.CutPct, 75)
	near(t, "se", res.SE, math.Sqrt(2.0/3)/2)
	near(t, "spread.range", res.Spread.Range, 2)
	fc := res.Facility
	if fc == nil || len(fc.Judges) != 4 {
		t.Fatalf("facility correlations missing: %+v", fc)
	}
	// Judge c's ratings (0,0,1,1) against (.9,.2,.5,.8): Sxy = 0.1, Sxx = 1,
	// Syy = 0.3, so r = 0.1/sqrt(0.3).
	want := 0.1 / math.Sqrt(0.3)
	if fc.Judges[2].R == nil {
		t.Fatal("judge c correlation is null")
	}
	near(t, "r(c)", *fc.Judges[2].R, want)
	if fc.Judges[3].R != nil {
		t.Errorf("judge d rated every item 1: correlation %v, want null", *fc.Judges[3].R)
	}
	if _, err := ReadRatings("yn.csv", strings.NewReader("judge,i1,i2\na,1,0.5\nb,0,1\n"), YesNo); !errors.Is(err, ErrRange) {
		t.Errorf("0.5 on the yes/no scale: err = %v, want ErrRange", err)
	}
}
