package rasch

import (
	"fmt"
	"math"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// Options tune Analyse; the zero value runs everything.
type Options struct {
	NoPersons bool               // leave Result.Persons empty
	NoLRTest  bool               // skip Andersen's test
	Progress  func(stage string) // called at the start of each stage; may be nil
}

// Item is one calibrated item.
type Item struct {
	ID         string  `json:"id"`
	Difficulty float64 `json:"difficulty"` // β_i, sum zero over calibrated items
	SE         float64 `json:"se"`
	Correct    int     `json:"correct"`   // correct responses of persons with non-extreme scores
	Presented  int     `json:"presented"` // persons with non-extreme scores presented the item
	Fit        ItemFit `json:"fit"`
}

// Exclusion names an item or person left out of the calibration and why.
type Exclusion struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Reasons for excluding an item.
const (
	ReasonAllCorrect   = "all_correct"   // every informative person presented it answered right
	ReasonAllWrong     = "all_wrong"     // every informative person presented it answered wrong
	ReasonNotPresented = "not_presented" // no informative person was presented it
)

// Person is one person's ability estimates on the calibrated items they
// were presented. Status is "ok", "extreme" (raw score 0 or all presented
// items right: no finite MLE, WLE given) or "no_responses" (no estimate).
type Person struct {
	ID        string   `json:"id"`
	Raw       int      `json:"raw"`
	Presented int      `json:"presented"`
	Theta     *float64 `json:"theta"`
	SE        *float64 `json:"se"`
	WLE       *float64 `json:"wle"`
	WLESE     *float64 `json:"wle_se"`
	Status    string   `json:"status"`
}

// Result is a complete Rasch analysis.
type Result struct {
	Items             []Item      `json:"items"`
	ExcludedItems     []Exclusion `json:"excluded_items"`
	ConditionalLogLik float64     `json:"conditional_loglik"`
	Parameters        int         `json:"parameters"` // k − 1
	Iterations        int         `json:"iterations"`
	Patterns          int         `json:"missingness_patterns"`
	PersonsTotal      int         `json:"persons_total"`
	PersonsUsed       int         `json:"persons_calibration"` // non-extreme raw score
	PersonsExtreme    int         `json:"persons_extreme"`
	PersonsNoResponse int         `json:"persons_no_responses"`
	// SeparationReliability is (var(θ̂) − mean(SE²)) / var(θ̂) over persons
	// with a finite MLE (eRm's SepRel); null with fewer than two such
	// persons or no spread.
	SeparationReliability *float64   `json:"separation_reliability"`
	RawScores             []ScoreRow `json:"raw_scores"` // for the full set of calibrated items
	Persons               []Person   `json:"persons,omitempty"`
	LRTest                *LRTest    `json:"lr_test,omitempty"`
	LRTestError           string     `json:"lr_test_error,omitempty"`

	Stats       *Stats       `json:"-"` // sufficient statistics, for charts
	Calibration *Calibration `json:"-"`
}

// Analyse calibrates the Rasch model on m and derives every statistic of
// Result. Items that are not estimable are excluded (iteratively, as
// excluding one changes which persons are extreme) and listed.
func Analyse(m *respmatrix.Matrix, opt Options) (*Result, error) {
	progress := opt.Progress
	if progress == nil {
		progress = func(string) {}
	}
	progress("summarising responses")
	res := &Result{ExcludedItems: []Exclusion{}, PersonsTotal: m.NumPersons()}
	st, err := estimable(m, res)
	if err != nil {
		return nil, err
	}
	progress("calibrating items")
	cal, err := Fit(st, FitOptions{})
	if err != nil {
		return nil, err
	}
	res.Stats, res.Calibration = st, cal
	res.ConditionalLogLik, res.Iterations, res.Parameters = cal.LogLik, cal.Iterations, len(st.Cols)-1
	res.Patterns = len(st.Patterns)
	progress("item fit")
	fit := Itemfit(st, cal.Difficulty)
	correct, presented := st.ItemCounts(true)
	for i, c := range st.Cols {
		res.Items = append(res.Items, Item{ID: m.Items[c], Difficulty: cal.Difficulty[i], SE: cal.SE[i],
			Correct: int(correct[i]), Presented: int(presented[i]), Fit: fit[i]})
	}
	progress("person abilities")
	res.RawScores = ScoreTable(cal.Difficulty)
	res.persons(m, st, cal.Difficulty, opt.NoPersons)
	if !opt.NoLRTest {
		progress("Andersen LR test")
		if lr, err := AndersenLR(m, st); err != nil {
			res.LRTestError = err.Error()
		} else {
			res.LRTest = lr
		}
	}
	return res, nil
}

// estimable summarises m on the items that CML can estimate, recording the
// items it excludes in res.
func estimable(m *respmatrix.Matrix, res *Result) (*Stats, error) {
	st := Summarise(m, nil)
	for {
		correct, presented := st.ItemCounts(true)
		var keep []int
		for i, c := range st.Cols {
			reason := ""
			switch {
			case presented[i] == 0:
				reason = ReasonNotPresented
			case correct[i] == 0:
				reason = ReasonAllWrong
			case correct[i] == presented[i]:
				reason = ReasonAllCorrect
			}
			if reason == "" {
				keep = append(keep, c)
			} else {
				res.ExcludedItems = append(res.ExcludedItems, Exclusion{ID: m.Items[c], Reason: reason})
			}
		}
		if len(keep) < 2 {
			if n := informativeCount(st); n == 0 {
				return nil, ErrNoInformativePersons
			}
			return nil, fmt.Errorf("%w (%d of %d items excluded)", ErrTooFewItems, len(res.ExcludedItems), m.NumItems())
		}
		if len(keep) == len(st.Cols) {
			return st, nil
		}
		st = Summarise(m, keep)
	}
}

func informativeCount(st *Stats) float64 {
	var n float64
	for _, pt := range st.Patterns {
		for r, g := range pt.Groups {
			if g != nil && informative(r, len(pt.Items)) {
				n += g.N
			}
		}
	}
	return n
}

// persons fills the person counts, the raw-score table counts, the
// separation reliability and (unless skipped) the per-person estimates.
// Estimates are computed once per pattern and raw score.
func (res *Result) persons(m *respmatrix.Matrix, st *Stats, beta []float64, skip bool) {
	type est struct {
		mle, wle Ability
		ok       bool
	}
	cache := make([][]*est, len(st.Patterns))
	get := func(g, r int) *est {
		if cache[g] == nil {
			cache[g] = make([]*est, len(st.Patterns[g].Groups))
		}
		if e := cache[g][r]; e != nil {
			return e
		}
		pt := st.Patterns[g]
		b := make([]float64, len(pt.Items))
		for j, it := range pt.Items {
			b[j] = beta[it]
		}
		e := &est{wle: WLE(b, r)}
		e.mle, e.ok = MLE(b, r)
		cache[g][r] = e
		return e
	}
	var thetas, se2 []float64
	for p := range m.NumPersons() {
		g, r := int(st.PersonPattern[p]), int(st.PersonScore[p])
		per := Person{ID: m.Persons[p], Raw: r, Status: "no_responses"}
		if g < 0 {
			res.PersonsNoResponse++
		} else {
			items := len(st.Patterns[g].Items)
			if items == len(st.Cols) {
				res.RawScores[r].N++
			}
			e := get(g, r)
			per.Presented, per.WLE, per.WLESE, per.Status = items, &e.wle.Theta, &e.wle.SE, "extreme"
			if e.ok {
				per.Theta, per.SE, per.Status = &e.mle.Theta, &e.mle.SE, "ok"
				res.PersonsUsed++
				thetas = append(thetas, e.mle.Theta)
				se2 = append(se2, e.mle.SE*e.mle.SE)
			} else {
				res.PersonsExtreme++
			}
		}
		if !skip {
			res.Persons = append(res.Persons, per)
		}
	}
	res.SeparationReliability = separation(thetas, se2)
}

// separation returns (var(θ) − mean(SE²)) / var(θ), var with n − 1
// (eRm's SepRel, after Wright and Masters 1982), or nil when undefined.
func separation(theta, se2 []float64) *float64 {
	n := float64(len(theta))
	if n < 2 {
		return nil
	}
	var mean, mse float64
	for i := range theta {
		mean += theta[i] / n
		mse += se2[i] / n
	}
	var v float64
	for _, t := range theta {
		v += (t - mean) * (t - mean)
	}
	v /= n - 1
	if v == 0 || math.IsNaN(v) {
		return nil
	}
	rel := (v - mse) / v
	return &rel
}
