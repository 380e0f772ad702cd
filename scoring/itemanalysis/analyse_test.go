package itemanalysis

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"

	"github.com/accredit/accredit/scoring/internal/testref"
	"github.com/accredit/accredit/scoring/respmatrix"
)

const tol = 1e-8

func near(a, b float64) bool { return scalar.EqualWithinAbsOrRel(a, b, tol, tol) }

func check(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil || !near(*got, want) {
		t.Errorf("%s = %v, want %.15g", what, deref(got), want)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRaschdat1MatchesPsych(t *testing.T) {
	m, err := respmatrix.ReadFile("testdata/00_raschdat1.csv", respmatrix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyse(m)
	if err != nil {
		t.Fatal(err)
	}
	// Expected per item: 02_raschdat1_item_analysis.csv (psych 2.2.9
	// alpha()'s raw.r, r.drop, alpha.drop; base R cor and colMeans).
	ref := testref.Rows(t, "testdata/02_raschdat1_item_analysis.csv")
	if len(r.Items) != len(ref) {
		t.Fatalf("%d items, want %d", len(r.Items), len(ref))
	}
	for j, row := range ref {
		it := r.Items[j]
		if it.ID != row["item"] {
			t.Fatalf("item %d is %s, want %s", j, it.ID, row["item"])
		}
		f := it.Facility
		check(t, it.ID+" facility", &f, testref.Num(t, row["facility_p"]))
		check(t, it.ID+" point_biserial", it.PointBiserial, testref.Num(t, row["point_biserial"]))
		check(t, it.ID+" point_biserial vs psych raw.r", it.PointBiserial, testref.Num(t, row["psych_raw_r"]))
		check(t, it.ID+" corrected_item_total", it.CorrectedItemTotal, testref.Num(t, row["corrected_item_total"]))
		check(t, it.ID+" corrected vs psych r.drop", it.CorrectedItemTotal, testref.Num(t, row["psych_r_drop"]))
		check(t, it.ID+" alpha_if_deleted", it.AlphaIfDeleted, testref.Num(t, row["alpha_if_deleted"]))
		check(t, it.ID+" D", it.UpperLowerD, testref.Num(t, row["D_upper_lower_27"]))
	}
	// Expected test statistics: 02_raschdat1_reliability.txt (same script; psych raw_alpha).
	refNum := testref.Labelled(t, "testdata/02_raschdat1_reliability.txt")
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"mean", r.MeanTotal, refNum("mean")},
		{"sd", r.SDTotal, refNum("sd(sample)")},
		{"alpha", r.Alpha, refNum("psych raw_alpha")},
		{"kr20", r.KR20, refNum("KR20(pop var)")},
		{"kr21", r.KR21, refNum("KR21")},
		{"sem", r.SEM, refNum("SEM=sd*sqrt(1-alpha)")},
	} {
		// The text file holds 10 decimals, so compare to 1e-9 absolute.
		if !scalar.EqualWithinAbs(c.got, c.want, 1e-9) {
			t.Errorf("%s = %.12g, want %.10f", c.name, c.got, c.want)
		}
	}
	if r.Persons != 100 || r.NumItems != 30 || len(r.ExcludedItems) != 0 || len(r.ExcludedPersons) != 0 {
		t.Errorf("persons %d items %d excluded %v %v", r.Persons, r.NumItems, r.ExcludedItems, r.ExcludedPersons)
	}
	// Expected CSEM: 02_csem_lord_k30.csv (same script).
	for _, row := range testref.Rows(t, "testdata/02_csem_lord_k30.csv") {
		x := int(testref.Num(t, row["raw"]))
		if got := r.CSEM[x]; got.Raw != x || !near(got.CSEM, testref.Num(t, row["csem_lord"])) {
			t.Errorf("csem at %d = %+v, want %s", x, got, row["csem_lord"])
		}
	}
}

func TestIQItemsDistractorsMatchR(t *testing.T) {
	c, err := respmatrix.ReadChoicesFile("testdata/00_iqitems.csv", respmatrix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	key, err := respmatrix.ReadKeyFile("testdata/iqitems_key.csv")
	if err != nil {
		t.Fatal(err)
	}
	r, err := AnalyseChoices(c, key)
	if err != nil {
		t.Fatal(err)
	}
	type opt struct{ item, option string }
	got := map[opt]OptionStats{}
	for _, it := range r.Distractors {
		for _, o := range it.Options {
			got[opt{it.ID, o.Option}] = o
		}
	}
	// Expected: 02_iqitems_distractors.csv (psych 2.2.9 score.multiple.choice
	// for the scores; base R mean and cor for the options).
	ref := testref.Rows(t, "testdata/02_iqitems_distractors.csv")
	if len(got) != len(ref) {
		t.Errorf("%d options, want %d", len(got), len(ref))
	}
	for _, row := range ref {
		o, ok := got[opt{row["item"], row["option"]}]
		if !ok {
			t.Errorf("missing %s option %s", row["item"], row["option"])
			continue
		}
		what := row["item"] + " option " + row["option"]
		share, mean := o.Share, o.MeanTotal
		check(t, what+" share", &share, testref.Num(t, row["prop"]))
		check(t, what+" mean total", &mean, testref.Num(t, row["mean_total_choosers"]))
		check(t, what+" pbis", o.PointBiserial, testref.Num(t, row["option_pbis"]))
		if o.IsKey != (row["option"] == row["key"]) {
			t.Errorf("%s is_key = %v", what, o.IsKey)
		}
	}
}

func TestDistractorFlag(t *testing.T) {
	// q1's distractor B is chosen by the two strongest persons.
	in := "q1,q2,q3,q4\nB,1,1,1\nB,1,1,1\nA,1,1,0\nA,0,0,1\nC,0,0,0\nA,1,0,0\n"
	c, err := respmatrix.ReadChoices(strings.NewReader(in), "mc.csv", respmatrix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	key := map[string]string{"q1": "A", "q2": "1", "q3": "1", "q4": "1"}
	r, err := AnalyseChoices(c, key)
	if err != nil {
		t.Fatal(err)
	}
	if !hasFlag(r.Items[0], FlagDistractorOutscoresKey) {
		t.Errorf("q1 flags %v", r.Items[0].Flags)
	}
	if hasFlag(r.Items[1], FlagDistractorOutscoresKey) {
		t.Errorf("q2 flags %v", r.Items[1].Flags)
	}
	if !hasFlag(r.Items[0], FlagNegativeDiscrimination) {
		t.Errorf("q1 should discriminate negatively: %+v", r.Items[0])
	}
}

func hasFlag(it Item, f string) bool {
	for _, g := range it.Flags {
		if g == f {
			return true
		}
	}
	return false
}

func TestExclusions(t *testing.T) {
	in := "person,easy,a,b,c,never,hard\n" +
		"p1,1,1,1,0,,0\n" +
		"p2,1,0,1,1,,0\n" +
		"p3,1,,,,,\n" + // only the excluded item answered: excluded person
		"p4,1,1,0,0,,0\n" +
		"p5,,0,0,1,,0\n"
	m, err := respmatrix.Read(strings.NewReader(in), "x.csv", respmatrix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyse(m)
	if err != nil {
		t.Fatal(err)
	}
	want := []ExcludedItem{
		{ID: "easy", N: 4, Reason: ReasonAllCorrect},
		{ID: "never", N: 0, Reason: ReasonNotPresented},
		{ID: "hard", N: 4, Reason: ReasonAllIncorrect},
	}
	if len(r.ExcludedItems) != len(want) {
		t.Fatalf("excluded %+v", r.ExcludedItems)
	}
	for i := range want {
		if r.ExcludedItems[i] != want[i] {
			t.Errorf("excluded[%d] = %+v, want %+v", i, r.ExcludedItems[i], want[i])
		}
	}
	if len(r.ExcludedPersons) != 1 || r.ExcludedPersons[0] != "p3" || r.Persons != 4 || r.NumItems != 3 {
		t.Errorf("persons %d excluded %v", r.Persons, r.ExcludedPersons)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "NaN") {
		t.Errorf("JSON holds NaN: %s", b)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, in string
		err      error
	}{
		{"one item", "a,b\n1,1\n0,1\n", ErrTooFewItems},
		{"all constant", "a,b\n1,0\n,\n", ErrTooFewItems},
		{"one person left", "a,b,c\n1,0,\n0,1,\n,,1\n", ErrNoVariance},
		{"no variance", "a,b\n1,0\n0,1\n", ErrNoVariance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := respmatrix.Read(strings.NewReader(tc.in), "e.csv", respmatrix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Analyse(m); !errors.Is(err, tc.err) {
				t.Errorf("err = %v, want %v", err, tc.err)
			}
		})
	}
}

// TestMissingCellsAgainstGonum checks the integer-moment correlations and
// the missing-cell rules against gonum's weighted Pearson correlation on
// random data with missing cells.
func TestMissingCellsAgainstGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 11))
	const n, k = 400, 12
	cells := make([]int8, n*k)
	theta := make([]float64, n)
	for p := range n {
		theta[p] = rng.NormFloat64()
		for i := range k {
			switch {
			case rng.Float64() < 0.15:
				cells[p*k+i] = respmatrix.Missing
			case rng.Float64() < 1/(1+math.Exp(-(theta[p]-float64(i-k/2)/3))):
				cells[p*k+i] = 1
			}
		}
	}
	persons := make([]string, n)
	items := make([]string, k)
	for i := range items {
		items[i] = "i" + strconv.Itoa(i)
	}
	m := respmatrix.New(persons, items, cells)
	r, err := Analyse(m)
	if err != nil {
		t.Fatal(err)
	}
	tot := make([]float64, n)
	for p := range n {
		for i := range k {
			if c := m.At(p, i); c == 1 {
				tot[p]++
			}
		}
	}
	for i := range k {
		x := make([]float64, n)
		w := make([]float64, n)
		rest := make([]float64, n)
		for p := range n {
			if c := m.At(p, i); c != respmatrix.Missing {
				x[p], w[p] = float64(c), 1
			}
			rest[p] = tot[p] - x[p]
		}
		check(t, items[i]+" pbis", r.Items[i].PointBiserial, stat.Correlation(x, tot, w))
		check(t, items[i]+" citc", r.Items[i].CorrectedItemTotal, stat.Correlation(x, rest, w))
		f := r.Items[i].Facility
		check(t, items[i]+" facility", &f, stat.Mean(x, w))
	}
	if r.MissingCells == 0 {
		t.Error("no missing cells counted")
	}
}
