package fairness

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/scoring/internal/testref"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// verbal reads VerbalAggression resp2 with its focal column (1 = male) as the group.
func verbal(t *testing.T) (*respmatrix.Matrix, []int8) {
	t.Helper()
	m, err := respmatrix.ReadFile("testdata/00_verbal_resp2_gender.csv", respmatrix.Options{GroupColumns: []string{"focal"}})
	if err != nil {
		t.Fatal(err)
	}
	member, err := Membership(m.Groups["focal"], "0", "1")
	if err != nil {
		t.Fatal(err)
	}
	return m, member
}

func TestDIFMatchesReference(t *testing.T) {
	m, member := verbal(t)
	r := DIF(m, member, Options{})
	if r.NReference != 243 || r.NFocal != 73 || len(r.Excluded) != 0 {
		t.Fatalf("groups %d/%d excluded %v", r.NReference, r.NFocal, r.Excluded)
	}
	byID := map[string]Item{}
	for _, it := range r.Items {
		byID[it.ID] = it
	}
	// Expected: 04_MH_DIF_verbal.csv (Mantel and Haenszel's closed forms in
	// base R 4.2.2, beside stats::mantelhaen.test; data psychotools 0.7.2
	// VerbalAggression). Closed forms to 1e-8.
	mhRef := testref.Rows(t, "testdata/04_MH_DIF_verbal.csv")
	if len(mhRef) != 24 {
		t.Fatalf("%d reference rows", len(mhRef))
	}
	for _, row := range mhRef {
		it, ok := byID[row["item"]]
		if !ok {
			t.Fatalf("no result for %s", row["item"])
		}
		id := it.ID
		testref.NearColumns(t, id, row, 1e-8, map[string]float64{
			"alphaMH": it.AlphaMH, "deltaMH": it.DeltaMH, "se_deltaMH": it.SEDeltaMH,
			"MHchi2_cc": it.ChiSquare, "p_cc": it.P, "MHchi2_nocc": it.ChiSquareNoCC,
		})
		if it.ETSClass != row["ETS"] || it.SizeClass != row["ETS_size_only"] {
			t.Errorf("%s classes %s/%s, want %s/%s", id, it.ETSClass, it.SizeClass, row["ETS"], row["ETS_size_only"])
		}
		if "favours "+it.Favours != row["sign"] {
			t.Errorf("%s favours %s, want %s", id, it.Favours, row["sign"])
		}
	}
	// Expected: 04_LR_DIF_verbal.csv from the same script (R glm, binomial). Deviance-based
	// statistics to 1e-9. R's glm stops when the deviance changes by under 1e-8 relative,
	// so its coefficients are good to about 1e-8 only (S3DoShout differs by 6e-9 from the
	// maximum this code reaches): the group coefficient is compared to 1e-7.
	for _, row := range testref.Rows(t, "testdata/04_LR_DIF_verbal.csv") {
		it := byID[row["item"]]
		lr := it.Logistic
		if lr == nil {
			t.Fatalf("%s: no logistic fit: %s", it.ID, it.LogisticError)
		}
		id := it.ID
		testref.NearColumns(t, id, row, 1e-9, map[string]float64{
			"LR_uniform_1df": lr.LRUniform, "LR_nonuniform_1df": lr.LRNonUniform, "LR_both_2df": lr.LRBoth,
			"p_2df": lr.PBoth, "deltaR2_Nagelkerke": lr.DeltaR2,
		})
		testref.Near(t, id+" b_group", lr.GroupCoef, testref.Num(t, row["b_group"]), 1e-7)
		if lr.ZumboThomas != row["ZT"] || lr.JodoinGierl != row["JG"] {
			t.Errorf("%s classes %s/%s, want %s/%s", id, lr.ZumboThomas, lr.JodoinGierl, row["ZT"], row["JG"])
		}
	}
}

func TestMHCrossCheckMantelhaenTest(t *testing.T) {
	// 04_MH_crosscheck_item1.txt: stats::mantelhaen.test on item 1, an independent implementation.
	text, err := os.ReadFile("testdata/04_MH_crosscheck_item1.txt")
	if err != nil {
		t.Fatal(err)
	}
	mm := regexp.MustCompile(`common OR = ([0-9.]+)\s+chi2\(cc\) = ([0-9.]+)`).FindSubmatch(text)
	if mm == nil {
		t.Fatal("reference not parsed")
	}
	m, member := verbal(t)
	it := DIF(m, member, Options{SkipLogistic: true}).Items[0]
	// The text holds 10 significant digits.
	testref.Near(t, "alpha_mh", it.AlphaMH, testref.Num(t, string(mm[1])), 1e-9)
	testref.Near(t, "chi2", it.ChiSquare, testref.Num(t, string(mm[2])), 1e-9)
	if it.Logistic != nil {
		t.Error("logistic fitted though skipped")
	}
}

func TestETSClassRule(t *testing.T) {
	tests := []struct {
		name          string
		delta, se, p  float64
		ets, sizeOnly string
	}{
		{"small", -0.9, 0.1, 0.001, "A", "A"},
		{"not significant", 1.7, 0.2, 0.06, "A", "C"},
		{"moderate", 1.2, 0.2, 0.01, "B", "B"},
		{"large but not above 1", -1.6, 0.5, 0.01, "B", "C"},
		{"large", -1.6, 0.3, 0.001, "C", "C"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := etsClass(tc.delta, tc.se, tc.p); got != tc.ets {
				t.Errorf("ets %s, want %s", got, tc.ets)
			}
			if got := sizeClass(tc.delta); got != tc.sizeOnly {
				t.Errorf("size %s, want %s", got, tc.sizeOnly)
			}
		})
	}
}

func TestDIFExclusions(t *testing.T) {
	in := "easy,a,b,c,g\n1,1,0,1,r\n1,0,1,0,f\n1,1,1,0,r\n1,0,0,1,f\n1,1,0,0,r\n1,0,1,1,f\n1,1,1,1,x\n"
	m, err := respmatrix.Read(strings.NewReader(in), "d.csv", respmatrix.Options{GroupColumns: []string{"g"}})
	if err != nil {
		t.Fatal(err)
	}
	member, err := Membership(m.Groups["g"], "r", "f")
	if err != nil {
		t.Fatal(err)
	}
	r := DIF(m, member, Options{})
	if len(r.Excluded) == 0 || r.Excluded[0].ID != "easy" {
		t.Errorf("excluded %v", r.Excluded)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "NaN") || strings.Contains(string(b), "Inf") {
		t.Errorf("JSON %s", b)
	}
	if r.NReference != 3 || r.NFocal != 3 {
		t.Errorf("groups %d/%d", r.NReference, r.NFocal)
	}
}

func TestMembershipErrors(t *testing.T) {
	labels := []string{"a", "b", "a"}
	for _, tc := range []struct {
		ref, foc string
		err      error
	}{
		{"a", "a", ErrSameGroup},
		{"z", "b", ErrNoReference},
		{"a", "z", ErrNoFocal},
	} {
		if _, err := Membership(labels, tc.ref, tc.foc); !errors.Is(err, tc.err) {
			t.Errorf("Membership(%s, %s) err = %v, want %v", tc.ref, tc.foc, err, tc.err)
		}
	}
}

func TestAdverseImpactMatchesReference(t *testing.T) {
	// 04_adverse_impact.txt (base R 4.2.2): reference 120/200, focal 40/100;
	// impact ratio, pooled z and stats::fisher.test p.
	get := testref.Labelled(t, "testdata/04_adverse_impact.txt")
	var labels []string
	var pass []bool
	add := func(g string, passed, n int) {
		for i := range n {
			labels = append(labels, g)
			pass = append(pass, i < passed)
		}
	}
	add("reference", 120, 200)
	add("focal", 40, 100)
	add("", 1, 3)
	r, err := AdverseImpact(labels, pass, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Comparison != "reference" || r.Unlabelled != 3 || len(r.Groups) != 2 {
		t.Fatalf("%+v", r)
	}
	f := r.Groups[0] // sorted: focal first
	if f.Group != "focal" || f.N != 100 || f.Passed != 40 || !f.FourFifthsViolated {
		t.Errorf("focal %+v", f)
	}
	testref.Near(t, "impact ratio", *f.ImpactRatio, get("impact ratio"), 1e-9)
	testref.Near(t, "z", *f.Z, get("z(pooled 2-prop)"), 1e-9)
	testref.Near(t, "fisher p", *f.FisherP, get("Fisher exact p"), 1e-9)
	testref.Near(t, "p of z", *f.PZ, math.Erfc(math.Abs(*f.Z)/math.Sqrt2), 1e-12)
	if ref := r.Groups[1]; ref.Z != nil || ref.FisherP != nil || *ref.ImpactRatio != 1 || ref.FourFifthsViolated {
		t.Errorf("comparison group %+v", ref)
	}
}

func TestFisherExact(t *testing.T) {
	tests := []struct {
		a, b, c, d int
		want       float64
	}{
		// Fisher's tea-tasting table, R: fisher.test(matrix(c(3,1,1,3),2))$p.value = 0.4857142857
		// (Agresti 2002, Table 3.8): 34/70.
		{3, 1, 1, 3, 34.0 / 70},
		// Degenerate margins: one table only.
		{5, 0, 0, 0, 1},
		// Hypergeometric with tables {0,1,2}: P = 1/6, 4/6, 1/6; observed 0 → 1/6 + 1/6.
		{0, 2, 2, 0, 2.0 / 6},
	}
	for _, tc := range tests {
		if got := FisherExact(tc.a, tc.b, tc.c, tc.d); !scalar.EqualWithinAbsOrRel(got, tc.want, 1e-12, 1e-12) {
			t.Errorf("FisherExact(%d,%d,%d,%d) = %.15g, want %.15g", tc.a, tc.b, tc.c, tc.d, got, tc.want)
		}
	}
}

func TestAdverseImpactEdges(t *testing.T) {
	if _, err := AdverseImpact([]string{"a", "a"}, []bool{true, false}, ""); !errors.Is(err, ErrTooFewGroups) {
		t.Errorf("one group: %v", err)
	}
	r, err := AdverseImpact([]string{"a", "b"}, []bool{false, false}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Groups {
		if g.ImpactRatio != nil || g.Z != nil {
			t.Errorf("no passes: %+v", g)
		}
	}
	if _, err := AdverseImpact([]string{"a", "b"}, []bool{true, false}, "c"); err == nil {
		t.Error("unknown comparison group accepted")
	}
}
