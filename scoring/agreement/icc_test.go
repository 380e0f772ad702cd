package agreement

import (
	"errors"
	"testing"
)

// Shrout and Fleiss (1979) Table 2: 6 targets by 4 judges. Expected values:
// testdata/03_rater_agreement.txt, psych 2.2.9 ICC(lmer = FALSE) in R 4.2.2.
var shroutFleiss = [][]float64{
	{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7},
}

// shroutFleissForms are psych's six ICC forms of shroutFleiss, in the order
// of ICCResult.Forms, with alpha 0.05.
var shroutFleissForms = []ICCForm{
	{"ICC1", 0.1657417684, 1.794678492, 5, 18, 0.1647688083446, -0.13293232487, 0.7225600623},
	{"ICC2", 0.2897637795, 11.027247956, 5, 15, 0.0001345665165, 0.01878651337, 0.7610843696},
	{"ICC3", 0.7148407148, 11.027247956, 5, 15, 0.0001345665165, 0.34246476503, 0.9458582600},
	{"ICC1k", 0.4427971337, 1.794678492, 5, 18, 0.1647688083446, -0.88444215524, 0.9124154203},
	{"ICC2k", 0.6200505476, 11.027247956, 5, 15, 0.0001345665165, 0.07113681530, 0.9272320402},
	{"ICC3k", 0.9093155424, 11.027247956, 5, 15, 0.0001345665165, 0.67567471382, 0.9858916782},
}

func TestICCReference(t *testing.T) {
	got, err := ICC(shroutFleiss, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "MSR", got.MSR, 11.2416666667)
	near(t, "MSC", got.MSC, 32.4861111111)
	near(t, "MSE", got.MSE, 1.0194444444)
	near(t, "MSW", got.MSW, 6.2638888889)
	for i, f := range got.Forms() {
		w := shroutFleissForms[i]
		t.Run(w.Type, func(t *testing.T) {
			if f.Type != w.Type {
				t.Fatalf("type %q, want %q", f.Type, w.Type)
			}
			near(t, "icc", f.Value, w.Value)
			near(t, "F", f.F, w.F)
			near(t, "df1", f.DF1, w.DF1)
			near(t, "df2", f.DF2, w.DF2)
			near(t, "p", f.P, w.P)
			near(t, "lower", f.Lower, w.Lower)
			near(t, "upper", f.Upper, w.Upper)
		})
	}
}

// Adding a constant to one rater's scores changes only the absolute-agreement
// forms: ICC3 (consistency) must be unchanged and ICC2 must fall.
func TestICCRaterShift(t *testing.T) {
	base, err := ICC(shroutFleiss, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	shifted := make([][]float64, len(shroutFleiss))
	for i, row := range shroutFleiss {
		shifted[i] = append([]float64(nil), row...)
		shifted[i][0] += 3 // the most lenient judge
	}
	got, err := ICC(shifted, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "ICC3", got.ICC3.Value, base.ICC3.Value)
	near(t, "ICC3k", got.ICC3k.Value, base.ICC3k.Value)
	if got.ICC2.Value >= base.ICC2.Value {
		t.Errorf("ICC2 %g did not fall below %g", got.ICC2.Value, base.ICC2.Value)
	}
}

func TestICCErrors(t *testing.T) {
	tests := []struct {
		name   string
		scores [][]float64
		want   error
	}{
		{"one target", [][]float64{{1, 2}}, ErrTooFew},
		{"one rater", [][]float64{{1}, {2}}, ErrTooFew},
		{"constant", [][]float64{{3, 3}, {3, 3}}, ErrNoVariance},
		{"perfect consistency", [][]float64{{1, 2}, {3, 4}}, ErrNoVariance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ICC(tc.scores, 0.05); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
