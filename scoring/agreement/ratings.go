package agreement

import (
	"fmt"
	"math"
	"slices"
)

// Rating is one score given by one rater to one target (a candidate at a
// station, say).
type Rating struct {
	Target string
	Rater  string
	Score  float64
}

// Table is a fully crossed design: Scores[i][j] is the score rater Raters[j]
// gave target Targets[i]. Targets and raters keep their order of first
// appearance.
type Table struct {
	Targets []string
	Raters  []string
	Scores  [][]float64
}

// Crossed arranges ratings into a Table. It returns an error wrapping
// ErrIncomplete, naming the first target and rater concerned, if a target
// lacks a rater's score or has two from the same rater.
func Crossed(ratings []Rating) (Table, error) {
	var t Table
	ti := map[string]int{}
	ri := map[string]int{}
	for _, r := range ratings {
		if _, ok := ti[r.Target]; !ok {
			ti[r.Target] = len(t.Targets)
			t.Targets = append(t.Targets, r.Target)
		}
		if _, ok := ri[r.Rater]; !ok {
			ri[r.Rater] = len(t.Raters)
			t.Raters = append(t.Raters, r.Rater)
		}
	}
	seen := make([][]bool, len(t.Targets))
	t.Scores = make([][]float64, len(t.Targets))
	for i := range t.Scores {
		t.Scores[i] = make([]float64, len(t.Raters))
		seen[i] = make([]bool, len(t.Raters))
	}
	for _, r := range ratings {
		i, j := ti[r.Target], ri[r.Rater]
		if seen[i][j] {
			return Table{}, fmt.Errorf("%w: target %q scored twice by rater %q", ErrIncomplete, r.Target, r.Rater)
		}
		seen[i][j] = true
		t.Scores[i][j] = r.Score
	}
	for i, row := range seen {
		if j := slices.Index(row, false); j >= 0 {
			return Table{}, fmt.Errorf("%w: target %q has no score from rater %q; every rater must score every target",
				ErrIncomplete, t.Targets[i], t.Raters[j])
		}
	}
	return t, nil
}

// Column returns rater j's scores, one per target.
func (t Table) Column(j int) []float64 {
	col := make([]float64, len(t.Scores))
	for i, row := range t.Scores {
		col[i] = row[j]
	}
	return col
}

// CategoryCounts treats each distinct score as a category and counts, for
// each target, how many raters gave each category: the input of FleissKappa.
// Levels are the categories in increasing order.
func (t Table) CategoryCounts() (counts [][]float64, levels []float64) {
	for _, row := range t.Scores {
		levels = append(levels, row...)
	}
	slices.Sort(levels)
	levels = slices.Compact(levels)
	counts = make([][]float64, len(t.Scores))
	for i, row := range t.Scores {
		counts[i] = make([]float64, len(levels))
		for _, v := range row {
			c, _ := slices.BinarySearch(levels, v)
			counts[i][c]++
		}
	}
	return counts, levels
}

// Severity is how a rater's scores sit against the other scores of the same
// targets.
type Severity struct {
	Rater string  `json:"rater"`
	N     int     `json:"n"`    // targets the rater scored that someone else also scored
	Mean  float64 `json:"mean"` // mean deviation; negative: harsher than the target means
	// SE is the standard error of Mean, sd/sqrt(N) with the N-1 sd; nil when N < 2.
	SE *float64 `json:"se,omitempty"`
}

// RaterSeverity returns each rater's mean deviation from the target means:
// for every target scored by two or more raters, d = score - mean score of
// the target; Mean is the mean of the rater's d and SE = sd(d)/sqrt(N)
// (Myford and Wolfe 2003, J. Applied Measurement 4, 386-422, discuss such
// severity indices). Targets scored once carry no information and are
// skipped. Raters keep their order of first appearance.
func RaterSeverity(ratings []Rating) []Severity {
	sum := map[string]float64{}
	cnt := map[string]int{}
	for _, r := range ratings {
		sum[r.Target] += r.Score
		cnt[r.Target]++
	}
	devs := map[string][]float64{}
	var order []string
	for _, r := range ratings {
		if _, ok := devs[r.Rater]; !ok {
			order = append(order, r.Rater)
			devs[r.Rater] = []float64{}
		}
		if c := cnt[r.Target]; c >= 2 {
			devs[r.Rater] = append(devs[r.Rater], r.Score-sum[r.Target]/float64(c))
		}
	}
	out := make([]Severity, 0, len(order))
	for _, rater := range order {
		out = append(out, severityOf(rater, devs[rater]))
	}
	return out
}

func severityOf(rater string, d []float64) Severity {
	s := Severity{Rater: rater, N: len(d)}
	if len(d) == 0 {
		return s
	}
	for _, x := range d {
		s.Mean += x / float64(len(d))
	}
	if len(d) < 2 {
		return s
	}
	ss := 0.0
	for _, x := range d {
		ss += (x - s.Mean) * (x - s.Mean)
	}
	se := math.Sqrt(ss/float64(len(d)-1)) / math.Sqrt(float64(len(d)))
	s.SE = &se
	return s
}
