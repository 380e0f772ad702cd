package fairness

import (
	"fmt"
	"strings"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// ParsePass reads pass/fail labels: 1, pass, p, true, yes, y are a pass;
// 0, fail, f, false, no, n a fail (any case). Another value is an error
// naming the person.
func ParsePass(persons, values []string) ([]bool, error) {
	out := make([]bool, len(values))
	for p, v := range values {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "1", "pass", "p", "true", "yes", "y":
			out[p] = true
		case "0", "fail", "f", "false", "no", "n":
		default:
			return nil, fmt.Errorf("person %q: pass/fail value %q is not 1/0, pass/fail, true/false or yes/no", persons[p], v)
		}
	}
	return out, nil
}

// AdverseImpactAtCut decides pass as a total score (number correct over the
// items presented) of at least cut, leaves out persons with no responses
// (counted in NoResponses) and runs AdverseImpact.
func AdverseImpactAtCut(m *respmatrix.Matrix, labels []string, cut float64, comparison string) (*Impact, error) {
	if len(labels) != m.NumPersons() {
		panic("fairness: labels length mismatch")
	}
	pass := make([]bool, m.NumPersons())
	kept := make([]string, m.NumPersons())
	skipped := 0
	for p := range pass {
		total, seen := 0, 0
		for _, c := range m.Row(p) {
			if c != respmatrix.Missing {
				seen++
				total += int(c)
			}
		}
		if seen == 0 {
			skipped++
			continue
		}
		pass[p] = float64(total) >= cut
		kept[p] = labels[p]
	}
	im, err := AdverseImpact(kept, pass, comparison)
	if err != nil {
		return nil, err
	}
	// Persons with no responses were given an empty label above.
	im.Unlabelled -= skipped
	im.NoResponses = skipped
	return im, nil
}
