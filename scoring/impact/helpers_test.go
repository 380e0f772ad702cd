package impact

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// cohortRows generates n decisions over employers employers and windows
// windows with a seeded source: about 80% met, elements knowledge and
// simulated_practice, monitoring answers with some left blank. Employers and
// windows are uneven in size so that small cells occur.
func cohortRows(seed uint64, n, employers, windows int) []Row {
	rng := rand.New(rand.NewPCG(seed, 1))
	ages := []string{"a. under 30", "b. 30-39", "c. 40-49", "d. 50 and over", ""}
	sexes := []string{"female", "male", ""}
	ethnic := []string{"asian", "black", "mixed", "white", "other", ""}
	disab := []string{"no", "yes", ""}
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	skew := func(k int) int { // index in [0,k) with the first much more likely
		return min(k-1, int(float64(k)*rng.Float64()*rng.Float64()))
	}
	rows := make([]Row, n)
	for i := range rows {
		emp := fmt.Sprintf("LA%03d", skew(employers))
		w := skew(windows)
		r := Row{
			Person:   fmt.Sprintf("person-%06d", i),
			Employer: emp,
			Phase:    Phase(phases[min(3, w*4/windows)]),
			Cohort:   fmt.Sprintf("W%02d", w),
			Status:   Status(statuses[skew(3)]),
			Monitoring: Monitoring{
				AgeBand: pick(ages), Sex: pick(sexes), EthnicGroup: pick(ethnic), Disability: pick(disab),
			},
		}
		if rng.IntN(10) == 0 {
			r.EndorsedBy = fmt.Sprintf("LA%03d", skew(employers))
		}
		k, s := rng.Float64() < 0.88, rng.Float64() < 0.9
		r.Elements = map[string]bool{"knowledge": k, "simulated_practice": s}
		switch {
		case k && s:
			r.Outcome = Met
		case k || s:
			r.Outcome = PartiallyMet
		default:
			r.Outcome = NotMet
		}
		if rng.IntN(20) == 0 {
			delete(r.Elements, "simulated_practice") // not yet marked
		}
		rows[i] = r
	}
	return rows
}

// aggregated is a builder of rows with the default options that has
// counted its cells, for tests of the later stages.
func aggregated(t *testing.T, rows []Row) *builder {
	t.Helper()
	b, err := newBuilder(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.aggregate()
	return b
}
