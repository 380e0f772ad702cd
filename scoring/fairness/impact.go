package fairness

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// FourFifths is the impact-ratio threshold of the US Uniform Guidelines on
// Employee Selection Procedures (29 CFR 1607.4(D)).
const FourFifths = 0.8

// GroupImpact describes the pass rate of one group.
type GroupImpact struct {
	Group    string  `json:"group"`
	N        int     `json:"n"`
	Passed   int     `json:"passed"`
	PassRate float64 `json:"pass_rate"`
	// ImpactRatio is PassRate over the highest group's; nil when no group
	// has any pass.
	ImpactRatio *float64 `json:"impact_ratio"`
	// FourFifthsViolated is ImpactRatio < 0.8.
	FourFifthsViolated bool `json:"four_fifths_violated"`
	// Z compares the group with the comparison group by the pooled
	// two-proportion z test, (p_g − p_c)/√(p̄(1 − p̄)(1/n_g + 1/n_c));
	// nil for the comparison group itself or when p̄ is 0 or 1.
	Z  *float64 `json:"z"`
	PZ *float64 `json:"p_z"` // two-sided normal p of Z
	// FisherP is the two-sided Fisher exact p of the group's 2×2 pass/fail
	// table against the comparison group's; nil for the comparison group.
	FisherP *float64 `json:"fisher_p"`
}

// Impact is the adverse-impact analysis of pass/fail outcomes.
type Impact struct {
	Comparison string        `json:"comparison_group"` // group the tests compare against
	Groups     []GroupImpact `json:"groups"`           // sorted by group label
	Unlabelled int           `json:"unlabelled"`       // persons with an empty label, left out
	// NoResponses counts persons left out by AdverseImpactAtCut for having
	// no responses.
	NoResponses int `json:"no_responses"`
}

// AdverseImpact tabulates pass per group label (empty labels left out) and
// compares each group with comparison, or with the group of highest pass rate
// (ties: first label) when comparison is "".
func AdverseImpact(labels []string, pass []bool, comparison string) (*Impact, error) {
	if len(labels) != len(pass) {
		panic("fairness: labels and pass length mismatch")
	}
	byGroup := map[string]*GroupImpact{}
	out := &Impact{}
	for p, l := range labels {
		if l == "" {
			out.Unlabelled++
			continue
		}
		g := byGroup[l]
		if g == nil {
			g = &GroupImpact{Group: l}
			byGroup[l] = g
		}
		g.N++
		if pass[p] {
			g.Passed++
		}
	}
	if len(byGroup) < 2 {
		return nil, ErrTooFewGroups
	}
	for _, g := range byGroup {
		g.PassRate = float64(g.Passed) / float64(g.N)
		out.Groups = append(out.Groups, *g)
	}
	slices.SortFunc(out.Groups, func(a, b GroupImpact) int { return cmp.Compare(a.Group, b.Group) })
	best := 0
	for i, g := range out.Groups {
		if g.PassRate > out.Groups[best].PassRate {
			best = i
		}
	}
	cmpIdx := best
	if comparison != "" {
		cmpIdx = slices.IndexFunc(out.Groups, func(g GroupImpact) bool { return g.Group == comparison })
		if cmpIdx < 0 {
			return nil, fmt.Errorf("%w %q", ErrUnknownGroup, comparison)
		}
	}
	out.Comparison = out.Groups[cmpIdx].Group
	top := out.Groups[best].PassRate
	c := out.Groups[cmpIdx]
	for i := range out.Groups {
		g := &out.Groups[i]
		if top > 0 {
			ratio := g.PassRate / top
			g.ImpactRatio = &ratio
			g.FourFifthsViolated = ratio < FourFifths
		}
		if i == cmpIdx {
			continue
		}
		if z, ok := twoProportionZ(g.Passed, g.N, c.Passed, c.N); ok {
			pz := 2 * distuv.UnitNormal.Survival(math.Abs(z))
			g.Z, g.PZ = &z, &pz
		}
		fp := FisherExact(c.Passed, c.N-c.Passed, g.Passed, g.N-g.Passed)
		g.FisherP = &fp
	}
	return out, nil
}

// twoProportionZ is the pooled two-proportion z statistic of group 1 against
// group 2 (the "two standard deviations" test of adverse impact).
func twoProportionZ(x1, n1, x2, n2 int) (float64, bool) {
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	pp := float64(x1+x2) / float64(n1+n2)
	v := pp * (1 - pp) * (1/float64(n1) + 1/float64(n2))
	if v <= 0 {
		return 0, false
	}
	return (p1 - p2) / math.Sqrt(v), true
}
