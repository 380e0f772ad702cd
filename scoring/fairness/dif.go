package fairness

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// Item is the DIF analysis of one item: Mantel-Haenszel (fields inline) and
// logistic regression.
type Item struct {
	ID string `json:"id"`
	MH
	// Logistic is nil when the fits failed (LogisticError says why) or
	// were not asked for.
	Logistic      *Logistic `json:"logistic"`
	LogisticError string    `json:"logistic_error,omitempty"`
}

// Excluded names an item left out of the DIF analysis and why.
type Excluded struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// ReasonMHUndefined marks an item whose Mantel-Haenszel statistics are
// undefined: no score stratum holds both groups with both right and wrong
// answers (an item everyone, or no one, got right; groups that never share a
// score).
const ReasonMHUndefined = "mh_undefined"

// Report is the result of DIF; JSON names are in docs/psychometrics.md.
type Report struct {
	NReference int        `json:"n_reference"` // persons in the reference group
	NFocal     int        `json:"n_focal"`
	Items      []Item     `json:"items"`
	Excluded   []Excluded `json:"excluded_items"`
}

// Options tune DIF.
type Options struct {
	SkipLogistic bool                  // Mantel-Haenszel only
	Progress     func(done, total int) // called after each item when not nil
}

// DIF analyses every item of m for differential functioning between the
// persons member codes Reference and Focal (see Membership), matching on the
// total score as described in the package comment.
func DIF(m *respmatrix.Matrix, member []int8, opt Options) *Report {
	if len(member) != m.NumPersons() {
		panic("fairness: membership length mismatch")
	}
	totals := make([]int, m.NumPersons())
	for p := range totals {
		for _, c := range m.Row(p) {
			if c == 1 {
				totals[p]++
			}
		}
	}
	r := &Report{Items: []Item{}, Excluded: []Excluded{}}
	for _, g := range member {
		switch g {
		case Reference:
			r.NReference++
		case Focal:
			r.NFocal++
		}
	}
	// Items are independent: analyse them on every core, then report in
	// item order.
	k := m.NumItems()
	items := make([]Item, k)
	oks := make([]bool, k)
	next := make(chan int)
	var done atomic.Int64
	var mu sync.Mutex // serialises Progress calls
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), k) {
		wg.Go(func() {
			for i := range next {
				items[i], oks[i] = difItem(m, i, member, totals, opt)
				if opt.Progress != nil {
					mu.Lock()
					opt.Progress(int(done.Add(1)), k)
					mu.Unlock()
				}
			}
		})
	}
	for i := range k {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range k {
		if oks[i] {
			r.Items = append(r.Items, items[i])
		} else {
			r.Excluded = append(r.Excluded, Excluded{ID: m.Items[i], Reason: ReasonMHUndefined})
		}
	}
	return r
}

func difItem(m *respmatrix.Matrix, i int, member []int8, totals []int, opt Options) (Item, bool) {
	strata := make([]stratum, m.NumItems()+1)
	var y, tot, foc []float64
	for p, g := range member {
		c := m.At(p, i)
		if g == Neither || c == respmatrix.Missing {
			continue
		}
		s := &strata[totals[p]]
		switch {
		case g == Reference && c == 1:
			s.a++
		case g == Reference:
			s.b++
		case c == 1:
			s.c++
		default:
			s.d++
		}
		if !opt.SkipLogistic {
			y = append(y, float64(c))
			tot = append(tot, float64(totals[p]))
			foc = append(foc, float64(g))
		}
	}
	mh, ok := mantelHaenszel(strata)
	if !ok {
		return Item{}, false
	}
	it := Item{ID: m.Items[i], MH: mh}
	if !opt.SkipLogistic {
		lr, err := logisticDIF(y, tot, foc)
		if err != nil {
			it.LogisticError = err.Error()
		} else {
			it.Logistic = &lr
		}
	}
	return it, true
}
