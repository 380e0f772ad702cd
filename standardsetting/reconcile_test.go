package standardsetting

import (
	"errors"
	"testing"

	"github.com/accredit/accredit/scoring/reliability"
)

// Expected values: testdata/05_results.txt, lines "[Two panels]", "[SEM]"
// and "[Impact]", computed in base R 4.2.2.
func TestReconcileReference(t *testing.T) {
	a := Angoff(readRatings(t, "angoff_panelA.csv"), nil)
	b := Angoff(readRatings(t, "angoff_panelB.csv"), nil)
	panels := []PanelCut{{"A", a.Cut, a.SE}, {"B", b.Cut, b.SE}}
	tests := []struct {
		rule    Rule
		cut, se float64
	}{
		{InverseVariance, 11.4188596355, 0.1645118958},
		{RandomEffects, 11.5074135785, 0.2772172038},
		{SimpleMean, 11.6479464286, 0.2434304497},
	}
	for _, tc := range tests {
		t.Run(string(tc.rule), func(t *testing.T) {
			rec, ag, err := Reconcile(panels, tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "cut", rec.Cut, tc.cut)
			near(t, "se", rec.SE, tc.se)
			near(t, "z", ag.Z, 1.2767653835)
			near(t, "p", ag.P, 0.2016850902)
			near(t, "Q", ag.Q, 1.6301298446)
			near(t, "tau2", rec.Tau2, 0.07468095238)
			near(t, "SE between", rec.MeanSEBetween, 0.3108035714)
		})
	}
	pooled := PooledJudges([]AngoffResult{a, b})
	near(t, "pooled mean", pooled.Cut, 11.6686666667)
	near(t, "pooled se", pooled.SE, 0.2607696788)
}

func TestReconcileZeroSE(t *testing.T) {
	panels := []PanelCut{{"A", 12, 0.4}, {"B", 11, 0}}
	if _, _, err := Reconcile(panels, InverseVariance); !errors.Is(err, ErrDegenerate) {
		t.Errorf("inverse variance with a zero SE: err = %v, want ErrDegenerate", err)
	}
	rec, _, err := Reconcile(panels, SimpleMean)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "mean", rec.Cut, 11.5)
	near(t, "mean se", rec.SE, 0.2) // sqrt(0.16 + 0)/2
}

// Expected values: testdata/05_results.txt, "[SEM]" and "[Impact]" lines.
func TestMeasurementErrorAndImpact(t *testing.T) {
	x := readResponses(t)
	scores := readScores(t).Scores
	alpha, err := alpha(x)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", alpha, 0.8416779565)
	sem := semOf(scores, alpha)
	near(t, "SEM", sem, 2.3923707544)
	const cw = 11.4188596355
	near(t, "CSEM", reliability.CSEMLord(cw, 30), 2.7048834106)
	for _, tc := range []struct {
		k, unrounded, cut, pass float64
	}{
		{-2, 6.6341181267, 7, 0.88},
		{-1, 9.0264888811, 10, 0.75},
		{0, 11.4188596355, 12, 0.65},
		{1, 13.8112303899, 14, 0.53},
		{2, 16.2036011443, 17, 0.35},
	} {
		op := OperationalCut(cw, tc.k, sem, Ceiling, scores)
		near(t, "unrounded", op.Unrounded, tc.unrounded)
		if op.Cut != tc.cut {
			t.Errorf("k=%v: operational cut %v, want %v", tc.k, op.Cut, tc.cut)
		}
		near(t, "pass rate", *op.PassRate, tc.pass)
	}
	// "[Impact table]" line, rounded there to two decimals.
	want := []float64{1.00, 1.00, 0.99, 0.98, 0.97, 0.94, 0.93, 0.88, 0.83, 0.80, 0.75, 0.69, 0.65, 0.59, 0.53,
		0.46, 0.40, 0.35, 0.27, 0.24, 0.22, 0.17, 0.11, 0.07, 0.06, 0.05, 0.04, 0, 0, 0, 0}
	curve := ImpactCurve(scores, 30)
	if len(curve) != 31 {
		t.Fatalf("%d points, want 31", len(curve))
	}
	for c, p := range curve {
		near(t, "impact", p.PassRate, want[c])
	}
}

func TestRounding(t *testing.T) {
	for _, tc := range []struct {
		r    Rounding
		x, w float64
	}{
		{Ceiling, 11.2, 12}, {Ceiling, 12, 12}, {Ceiling, 12 + 1e-12, 12}, {Ceiling, 12.01, 13},
		{Nearest, 11.5, 12}, {Nearest, 11.49, 11}, {Floor, 11.99, 11}, {Floor, -0.5, -1},
	} {
		if got := tc.r.Round(tc.x, 1); got != tc.w {
			t.Errorf("%s(%v) = %v, want %v", tc.r, tc.x, got, tc.w)
		}
	}
}
