package marking

import (
	"context"
	"testing"
	"time"

	"github.com/accredit/accredit/scoring/agreement"
)

// TestAgreement feeds the double-marked station's submitted sheets to
// scoring/agreement (validated against R there) as the marks were
// submitted: rb-home-visit weights sum to 6, so a sheet marked k
// throughout scores 6k. A later moderation leaves the agreement alone.
func TestAgreement(t *testing.T) {
	r := newRig(t)
	r.clock.Advance(90 * time.Minute) // slot 4: every candidate has been at S1
	ctx := context.Background()
	marks := map[string][2]int{"C01": {1, 1}, "C04": {2, 3}, "C03": {3, 3}, "C02": {0, 1}}
	judged := map[string][2]int{"C01": {2, 2}, "C04": {3, 4}, "C03": {5, 5}, "C02": {1, 2}}
	var scores, judgements []agreement.Rating
	for _, cand := range []string{"C01", "C04", "C03"} { // C02: only liam submits at first
		for i, a := range []string{liam, nadia} {
			r.complete(key("S1", cand, a), 1, judged[cand][i], marks[cand][i])
			scores = append(scores, agreement.Rating{Target: cand, Rater: a, Score: float64(6 * marks[cand][i])})
			judgements = append(judgements, agreement.Rating{Target: cand, Rater: a, Score: float64(judged[cand][i])})
		}
	}
	r.complete(key("S1", "C02", liam), 1, 1, 0)
	check := func(n int) {
		t.Helper()
		got, err := r.svc.Agreement(ctx, circuitID)
		if err != nil {
			t.Fatal(err)
		}
		// S1 and S2 are double-marked; S3 is not.
		if len(got) != 2 || got[0].Station != "S1" || got[1].Station != "S2" || got[1].Candidates != 0 || got[1].Problem == "" {
			t.Fatalf("stations %+v", got)
		}
		s1 := got[0]
		want, _ := agreement.Analyse(scores, 0.05)
		wantJ, _ := agreement.Analyse(judgements, 0.05)
		if s1.Candidates != n || s1.Scores == nil || s1.Judgements == nil || s1.Problem != "" {
			t.Fatalf("S1 over %d candidates: %+v", n, s1)
		}
		if s1.Scores.ICC2 != want.ICC2 || s1.Scores.ICC3 != want.ICC3 || *s1.Judgements.WeightedKappaQuadratic != *wantJ.WeightedKappaQuadratic ||
			len(s1.Scores.Severity) != 2 || s1.Scores.Severity[0].Rater != want.Severity[0].Rater || s1.Scores.Severity[0].Mean != want.Severity[0].Mean {
			t.Errorf("S1: ICC2 %g ICC3 %g kappa_w %g, want %g %g %g", s1.Scores.ICC2, s1.Scores.ICC3,
				*s1.Judgements.WeightedKappaQuadratic, want.ICC2, want.ICC3, *wantJ.WeightedKappaQuadratic)
		}
	}
	check(3)
	r.complete(key("S1", "C02", nadia), 1, 2, 1)
	scores = append(scores, agreement.Rating{Target: "C02", Rater: liam, Score: 0}, agreement.Rating{Target: "C02", Rater: nadia, Score: 6})
	judgements = append(judgements, agreement.Rating{Target: "C02", Rater: liam, Score: 1}, agreement.Rating{Target: "C02", Rater: nadia, Score: 2})
	check(4)
	if _, err := r.svc.Moderate(ctx, circuitID, iris, Moderation{Station: "S1", Candidate: "C04", Assessor: liam,
		Criterion: "safety", Value: 3, Reason: "recording reviewed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Moderate(ctx, circuitID, iris, Moderation{Station: "S1", Candidate: "C04", Assessor: liam,
		Value: 4, Reason: "recording reviewed"}); err != nil {
		t.Fatal(err)
	}
	check(4)
}
