package results_test

import (
	"fmt"

	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
)

// A practitioner passes the knowledge test and fails the role-play on a
// must-pass criterion: partially met, with the role-play to re-sit on the
// fast track. The candidate's view carries no score.
func ExampleDecide() {
	bp := programme.DefaultBlueprints()[0]
	std := &results.Standard{Status: programme.Practitioner, Version: 1,
		Knowledge: map[string]results.Cut{"form-a": {Cut: 36, Panel: 34, K: 1, SEM: 2}},
		RolePlay:  map[string]results.RolePlayCut{"circuit-a": {Cut: results.Cut{Cut: 60, Panel: 60}, NoMustPassFailure: true}},
	}
	ev := results.Evidenced{
		Knowledge: &results.KnowledgeScore{Form: "form-a", Score: 41, Max: 60},
		RolePlay:  &results.RolePlayScore{Circuit: "circuit-a", Score: 72, Max: 100, FailedStations: []string{"S2"}},
	}
	d := results.Decide(results.Candidate{Person: "p1", Status: programme.Practitioner}, bp, std, ev, results.FeedbackRules{})
	fmt.Println(d.Outcome, d.Resit, d.Elements[1].Why)
	o := d.ForCandidate()
	fmt.Println(o.Outcome, o.Passed, o.NotPassed)
	// Output:
	// partially_met [role_play] [a must-pass criterion failed at station(s) [S2]]
	// partially_met [knowledge] [role_play]
}
