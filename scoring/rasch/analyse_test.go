package rasch

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/accredit/accredit/scoring/internal/testref"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// simulate draws Rasch responses for persons with θ ~ N(0, 1) and items
// with difficulties evenly spread over [−2, 2]; each cell is missing with
// probability missing (in blocks of items so that patterns repeat).
func simulate(seed uint64, persons, items int, missing float64) *respmatrix.Matrix {
	rng := rand.New(rand.NewPCG(seed, 1))
	ids, names := make([]string, persons), make([]string, items)
	for i := range names {
		names[i] = "i" + strconv.Itoa(i+1)
	}
	cells := make([]int8, persons*items)
	for p := range persons {
		ids[p] = "p" + strconv.Itoa(p+1)
		theta := rng.NormFloat64()
		skip := -1
		if rng.Float64() < missing*4 {
			skip = rng.IntN(4) // a block of a quarter of the items not presented
		}
		for i := range items {
			b := -2 + 4*float64(i)/float64(max(items-1, 1))
			switch {
			case skip >= 0 && i*4/items == skip:
				cells[p*items+i] = respmatrix.Missing
			case rng.Float64() < 1/(1+math.Exp(b-theta)):
				cells[p*items+i] = 1
			}
		}
	}
	return respmatrix.New(ids, names, cells)
}

// Expected: separation reliability 0.8373 from testdata/01_eRm_itemfit.txt
// (eRm 1.0.2 SepRel on eRm's raschdat1).
func TestAnalyseRaschdat1(t *testing.T) {
	m := testref.Matrix(t, "testdata/00_raschdat1.csv")
	res, err := Analyse(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.SeparationReliability == nil || !scalar.EqualWithinAbs(*res.SeparationReliability, 0.8373, 1e-3) {
		t.Errorf("separation reliability %v, eRm 0.8373", res.SeparationReliability)
	}
	if len(res.Items) != 30 || res.PersonsUsed != 100 || len(res.ExcludedItems) != 0 || res.Parameters != 29 {
		t.Errorf("items %d persons %d excluded %v", len(res.Items), res.PersonsUsed, res.ExcludedItems)
	}
	if res.LRTest == nil || !scalar.EqualWithinAbs(res.LRTest.LR, 32.54154162, 1e-4) {
		t.Errorf("LR test %+v %s", res.LRTest, res.LRTestError)
	}
}

// Exclusions: an item everyone answered right, a person with no responses
// and persons with extreme scores are reported, never NaN.
func TestAnalyseExclusions(t *testing.T) {
	base := simulate(3, 300, 8, 0)
	k := base.NumItems() + 1
	items := append(append([]string{}, base.Items...), "easy")
	persons := append(append([]string{}, base.Persons...), "absent")
	var cells []int8
	for p := range base.NumPersons() {
		cells = append(cells, base.Row(p)...)
		cells = append(cells, 1) // "easy": everyone right
	}
	for range k {
		cells = append(cells, respmatrix.Missing)
	}
	m := respmatrix.New(persons, items, cells)
	res, err := Analyse(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ExcludedItems) != 1 || res.ExcludedItems[0] != (Exclusion{"easy", ReasonAllCorrect}) {
		t.Errorf("excluded %v", res.ExcludedItems)
	}
	if res.PersonsNoResponse != 1 || res.PersonsExtreme == 0 {
		t.Errorf("no response %d extreme %d", res.PersonsNoResponse, res.PersonsExtreme)
	}
	if res.PersonsUsed+res.PersonsExtreme+res.PersonsNoResponse != m.NumPersons() {
		t.Error("person counts do not add up")
	}
	last := res.Persons[len(res.Persons)-1]
	if last.Status != "no_responses" || last.Theta != nil || last.WLE != nil {
		t.Errorf("absent person %+v", last)
	}
	out, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err) // json refuses NaN and Inf
	}
	if strings.Contains(string(out), "NaN") {
		t.Error("NaN in JSON")
	}
}

func TestAnalyseErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		persons int
		cells   []int8
	}{
		{"all extreme", 3, []int8{1, 1, 0, 0, 1, 1}},
		{"one item left", 3, []int8{1, 1, 0, 1, 1, 1, 1, 1, 0}},
		{"nobody answered", 2, []int8{-1, -1, -1, -1}},
	} {
		n := c.persons
		k := len(c.cells) / n
		persons, items := make([]string, n), make([]string, k)
		for i := range persons {
			persons[i] = strconv.Itoa(i)
		}
		for i := range items {
			items[i] = "i" + strconv.Itoa(i)
		}
		if _, err := Analyse(respmatrix.New(persons, items, c.cells), Options{}); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// With items missing by design, the CML estimates still satisfy the
// likelihood equations and the analytic information equals the numerical
// Hessian of ln L_c: this checks the per-pattern ESFs and joint
// probabilities independently of any reference program.
func TestMissingPatternsInformation(t *testing.T) {
	m := simulate(7, 400, 12, 0.1)
	st := Summarise(m, nil)
	if len(st.Patterns) < 3 {
		t.Fatalf("only %d patterns", len(st.Patterns))
	}
	cal, err := Fit(st, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := st.ItemCounts(true)
	ev, err := evaluate(st, cal.Difficulty, s)
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range ev.grad {
		if math.Abs(g) > 1e-6 {
			t.Errorf("gradient %d = %g at the estimate", i, g)
		}
	}
	const h = 1e-4
	k := len(cal.Difficulty)
	ll := func(b []float64) float64 {
		v, err := LogLik(st, b)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	b := append([]float64{}, cal.Difficulty...)
	for i := range k {
		for j := range k {
			at := func(di, dj float64) float64 {
				x := append([]float64{}, b...)
				x[i] += di
				x[j] += dj
				return ll(x)
			}
			num := (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h)
			if !scalar.EqualWithinAbsOrRel(-num, ev.info.At(i, j), 1e-3, 1e-3) {
				t.Errorf("information[%d,%d] = %.5f, numerical %.5f", i, j, ev.info.At(i, j), -num)
			}
		}
	}
	// SEs are the sum-zero pseudo-inverse of the information.
	var pinv mat.Dense
	var svd mat.SVD
	svd.Factorize(ev.info, mat.SVDFull)
	rank := svd.Rank(1e-10)
	if rank != k-1 {
		t.Fatalf("rank %d", rank)
	}
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	sv := svd.Values(nil)
	d := mat.NewDiagDense(k, nil)
	for i := range rank {
		d.SetDiag(i, 1/sv[i])
	}
	pinv.Product(&v, d, u.T())
	for i := range k {
		if !scalar.EqualWithinAbsOrRel(cal.SE[i], math.Sqrt(pinv.At(i, i)), 1e-9, 1e-7) {
			t.Errorf("se %d: %v, pseudo-inverse %v", i, cal.SE[i], math.Sqrt(pinv.At(i, i)))
		}
	}
	// Estimates are near the generating difficulties (−2..2, centred at 0).
	for i, b := range cal.Difficulty {
		want := -2 + 4*float64(i)/float64(k-1)
		if math.Abs(b-want) > 4*cal.SE[i] {
			t.Errorf("item %d: %.3f, generated %.3f (se %.3f)", i, b, want, cal.SE[i])
		}
	}
}
