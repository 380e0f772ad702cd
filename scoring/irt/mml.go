package irt

import (
	"fmt"
	"math"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// Model selects the item response model.
type Model int

const (
	TwoPL Model = iota // item slopes a_i and locations b_i
	OnePL              // one common slope a, item locations b_i
)

func (m Model) String() string {
	if m == OnePL {
		return "1PL"
	}
	return "2PL"
}

// Options tune Fit; the zero value fits the 2PL with 41 nodes.
type Options struct {
	Model    Model
	Nodes    int                            // Gauss-Hermite nodes; 0 means 41
	MaxIter  int                            // EM cycles; 0 means 5000
	Tol      float64                        // stop when no parameter moves more than Tol; 0 means 1e-8
	NoSE     bool                           // skip standard errors
	Progress func(iter int, loglik float64) // after each EM cycle; may be nil
}

// Item holds one item's estimates.
type Item struct {
	ID       string   `json:"id"`
	A        float64  `json:"a"` // slope (discrimination)
	B        float64  `json:"b"` // location (difficulty)
	SEA      *float64 `json:"se_a"`
	SEB      *float64 `json:"se_b"`
	Facility float64  `json:"facility"` // proportion correct among persons presented
}

// Exclusion names an item left out and why ("all_correct", "all_wrong",
// "not_presented").
type Exclusion struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Result is an MML fit.
type Result struct {
	Model         string      `json:"model"`
	Items         []Item      `json:"items"`
	ExcludedItems []Exclusion `json:"excluded_items"`
	// LogLik is the marginal log-likelihood Σ_p n_p ln Σ_q w_q L_p(x_q).
	LogLik      float64 `json:"marginal_loglik"`
	Parameters  int     `json:"parameters"`
	AIC         float64 `json:"aic"`
	BIC         float64 `json:"bic"`
	Iterations  int     `json:"iterations"`
	Nodes       int     `json:"quadrature_nodes"`
	Persons     int     `json:"persons"`
	PersonsNone int     `json:"persons_no_responses"`
	Patterns    int     `json:"response_patterns"`
}

// Fit estimates the model on m by Bock-Aitkin EM. Each cycle computes, at
// each node x_q, the expected number of persons n_iq presented item i and
// the expected number correct r_iq, from the posterior weights
// w_q L_p(x_q) / Σ_q' w_q' L_p(x_q'); the M-step then maximises
// Σ_q r_iq ln P_i(x_q) + (n_iq − r_iq) ln(1 − P_i(x_q)) by Newton-Raphson in
// the slope-intercept form a θ + c (c = −a b), per item for the 2PL and
// jointly over the common slope for the 1PL.
func Fit(m *respmatrix.Matrix, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	res := &Result{Model: opt.Model.String(), ExcludedItems: []Exclusion{}, Nodes: opt.Nodes}
	cols, facility := estimable(m, res)
	if len(cols) < 2 {
		return nil, ErrTooFewItems
	}
	pt := collapse(m, cols)
	if len(pt.resp) == 0 {
		return nil, ErrNoPersons
	}
	res.Patterns, res.PersonsNone = len(pt.resp), pt.empty
	for _, c := range pt.count {
		res.Persons += int(c)
	}
	e := newEM(pt, opt, facility)
	if err := e.run(opt); err != nil {
		return nil, err
	}
	res.LogLik, res.Iterations = e.loglik, e.iter
	res.Parameters = 2 * len(cols)
	if opt.Model == OnePL {
		res.Parameters = len(cols) + 1
	}
	res.AIC = -2*res.LogLik + 2*float64(res.Parameters)
	res.BIC = -2*res.LogLik + math.Log(float64(res.Persons))*float64(res.Parameters)
	var se []float64
	if !opt.NoSE {
		se = e.standardErrors()
	}
	for j, c := range cols {
		it := Item{ID: m.Items[c], A: e.slope(j), B: -e.c[j] / e.slope(j), Facility: facility[j]}
		if se != nil {
			sa, sb := e.itemSE(se, j)
			it.SEA, it.SEB = sa, sb
		}
		res.Items = append(res.Items, it)
	}
	return res, nil
}

func (o Options) withDefaults() Options {
	if o.Nodes == 0 {
		o.Nodes = 41
	}
	if o.MaxIter == 0 {
		o.MaxIter = 5000
	}
	if o.Tol == 0 {
		o.Tol = 1e-8
	}
	return o
}

// estimable returns the columns to fit and their facilities, recording
// excluded items in res.
func estimable(m *respmatrix.Matrix, res *Result) (cols []int, facility []float64) {
	all := make([]int, m.NumItems())
	for i := range all {
		all[i] = i
	}
	correct, presented := collapse(m, all).itemCounts(len(all))
	for i := range all {
		reason := ""
		switch {
		case presented[i] == 0:
			reason = "not_presented"
		case correct[i] == 0:
			reason = "all_wrong"
		case correct[i] == presented[i]:
			reason = "all_correct"
		}
		if reason != "" {
			res.ExcludedItems = append(res.ExcludedItems, Exclusion{ID: m.Items[i], Reason: reason})
			continue
		}
		cols = append(cols, i)
		facility = append(facility, correct[i]/presented[i])
	}
	return cols, facility
}

func errNoConvergence(iter int, change float64) error {
	return fmt.Errorf("%w in %d cycles (last change %.3g)", ErrNoConvergence, iter, change)
}
