package marking

import (
	"context"
	"fmt"

	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/scoring/agreement"
	"github.com/accredit/accredit/scoring/rpscore"
)

// StationAgreement is the agreement of a double-marked station's two
// assessors over the candidates both have submitted, on the marks as
// submitted: a moderation changes the result, not the assessors' own
// judgement.
type StationAgreement struct {
	Station    string   `json:"station"`
	Assessors  []string `json:"assessors"`
	Candidates int      `json:"candidates"`
	// Scores: the six ICCs and each assessor's severity on station scores.
	Scores *agreement.Report `json:"scores,omitempty"`
	// Judgements: Cohen's kappa, unweighted and weighted, on the global
	// judgements.
	Judgements *agreement.Report `json:"judgements,omitempty"`
	// Problem says why a statistic is missing (too few candidates, no
	// variance yet).
	Problem string `json:"problem,omitempty"`
}

// Agreement returns rater agreement at each double-marked station of
// circuit id (scoring/agreement, docs/roleplay.md), at confidence level
// 1 - 0.05.
func (s *Service) Agreement(ctx context.Context, id string) ([]StationAgreement, error) {
	c, ok := s.m.Circuits[id]
	if !ok {
		return nil, fmt.Errorf("%w: no circuit %q", roleplay.ErrReference, id)
	}
	out := []StationAgreement{}
	for i := range c.Stations {
		st := &c.Stations[i]
		if !st.DoubleMarked() {
			continue
		}
		r, _ := s.m.RubricOf(c, st.ID)
		sa := StationAgreement{Station: st.ID, Assessors: st.Assessors}
		var scores, judgements []agreement.Rating
		for _, sl := range c.Schedule {
			if sl.Station != st.ID {
				continue
			}
			var both []agreement.Rating
			var js []agreement.Rating
			for _, a := range st.Assessors {
				vm, _, err := s.view(ctx, roleplay.SheetKey{Circuit: c.ID, Station: st.ID, Candidate: sl.Candidate, Assessor: a})
				if err != nil {
					return nil, err
				}
				if !vm.Submitted {
					break
				}
				marks := make(map[string]float64, len(vm.Original))
				for k, v := range vm.Original {
					marks[k] = float64(v)
				}
				sc, err := rpscore.Score(r, marks)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", StreamName(vm.Key), err)
				}
				both = append(both, agreement.Rating{Target: sl.Candidate, Rater: a, Score: sc.Score})
				js = append(js, agreement.Rating{Target: sl.Candidate, Rater: a, Score: float64(*vm.OriginalJudgement)})
			}
			if len(both) == 2 {
				scores, judgements = append(scores, both...), append(judgements, js...)
				sa.Candidates++
			}
		}
		if sa.Candidates < 2 {
			sa.Problem = fmt.Sprintf("%d candidates double-marked so far; agreement needs at least 2", sa.Candidates)
			out = append(out, sa)
			continue
		}
		if rep, err := agreement.Analyse(scores, 0.05); err == nil {
			sa.Scores = &rep
		} else {
			sa.Problem = "station scores: " + err.Error()
		}
		if rep, err := agreement.Analyse(judgements, 0.05); err == nil {
			sa.Judgements = &rep
		} else if sa.Problem == "" {
			sa.Problem = "global judgements: " + err.Error()
		} else {
			sa.Problem += "; global judgements: " + err.Error()
		}
		out = append(out, sa)
	}
	return out, nil
}
