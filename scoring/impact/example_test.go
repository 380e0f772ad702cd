package impact_test

import (
	"fmt"

	"github.com/accredit/accredit/scoring/impact"
)

// Three authorities, one with only three decisions: it is suppressed, and so
// is the next smallest, else the overall count less the others would give
// it away.
func ExampleBuild() {
	var rows []impact.Row
	add := func(employer string, met, n int) {
		for i := range n {
			r := impact.Row{
				Person: fmt.Sprint(employer, i), Employer: employer, Phase: impact.Phase1,
				Cohort: "2018-07", Status: impact.Practitioner, Outcome: impact.NotMet,
			}
			if i < met {
				r.Outcome = impact.Met
			}
			rows = append(rows, r)
		}
	}
	add("Bury", 40, 50)
	add("Leeds", 12, 12)
	add("Wigan", 2, 3)
	rep, err := impact.Build(rows, impact.Options{})
	if err != nil {
		panic(err)
	}
	o := rep.Overall
	fmt.Printf("overall %d/%d = %.3f [%.3f, %.3f]\n", o.Passed, o.N, o.Rate, o.Lo, o.Hi)
	for _, c := range rep.Table("employer").Cells {
		if c.Suppressed {
			fmt.Println(c.Keys[0], "suppressed")
			continue
		}
		fmt.Printf("%s %d/%d = %.3f [%.3f, %.3f]\n", c.Keys[0], c.Passed, c.N, c.Rate, c.Lo, c.Hi)
	}
	// Output:
	// overall 54/65 = 0.831 [0.722, 0.903]
	// Bury 40/50 = 0.800 [0.670, 0.888]
	// Leeds suppressed
	// Wigan suppressed
}
