package standardsetting

import (
	"errors"
	"strings"
	"testing"
)

func readOSCE(t *testing.T) *OSCE {
	t.Helper()
	return read(t, "osce.csv", ReadOSCE)
}

// Expected values: testdata/05_results.txt, "[Station s]" and "[OSCE exam]"
// lines, computed in base R 4.2.2 (lm and predict.lm).
func TestBorderlineReference(t *testing.T) {
	o := readOSCE(t)
	tests := []struct {
		station                                 string
		n                                       int
		mean, median, se                        float64
		a, b, r2, cut, seFit, residSD, passRate float64
	}{
		{"1", 29, 10.1379310345, 10, 0.3464248720, 5.1611961869, 2.2782301770, 0.5857844738, 9.7176565410, 0.2625629233, 2.4389448843, 0.7867},
		{"2", 24, 8.9583333333, 9, 0.4563527695, 4.3072336596, 2.6361795478, 0.7364871399, 9.5795927551, 0.2148154090, 1.9955989711, 0.7400},
		{"3", 24, 10.2083333333, 10, 0.4622690049, 4.7971607516, 2.4267223382, 0.6255593012, 9.6506054280, 0.2585484444, 2.3883571435, 0.7800},
	}
	if len(o.Stations) != 3 {
		t.Fatalf("%d stations, want 3", len(o.Stations))
	}
	var st []RegressionStation
	for k, tc := range tests {
		s := o.Stations[k]
		if s.ID != tc.station {
			t.Fatalf("station %q, want %q", s.ID, tc.station)
		}
		bg, err := BorderlineGroup("osce.csv", s, 2, 20)
		if err != nil {
			t.Fatal(err)
		}
		if bg.N != tc.n {
			t.Errorf("station %s: n %d, want %d", s.ID, bg.N, tc.n)
		}
		near(t, "BG mean", bg.Cut, tc.mean)
		near(t, "BG median", bg.Median, tc.median)
		near(t, "BG se", bg.SE, tc.se)
		br, err := BorderlineRegression("osce.csv", s, 2, 20)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "intercept", br.Intercept, tc.a)
		near(t, "slope", br.Slope, tc.b)
		near(t, "R2", br.R2, tc.r2)
		near(t, "cut", br.Cut, tc.cut)
		near(t, "se", br.SE, tc.seFit)
		near(t, "resid sd", br.ResidSD, tc.residSD)
		if d := br.PassRate - tc.passRate; d > 5e-5 || d < -5e-5 { // printed to 4 decimals
			t.Errorf("pass rate %v, want %v", br.PassRate, tc.passRate)
		}
		st = append(st, br)
	}
	exam := CombineStations(o, st, 20)
	near(t, "exam cut", exam.Cut, 28.9478547240)
	near(t, "exam se", exam.SE, 0.4265351647)
	near(t, "mean cut", exam.MeanCut, 9.6492849080)
	near(t, "mean se", exam.MeanSE, 0.1421783882)
	near(t, "exam pass", exam.PassRate, 0.78)
	if exam.N != 150 || exam.Excluded != 0 {
		t.Errorf("n %d excluded %d", exam.N, exam.Excluded)
	}
}

// Expected values: testdata/05_results.txt, "[Contrasting groups st1]"
// (glm(family = binomial) in R 4.2.2).
func TestContrastingGroupsReference(t *testing.T) {
	s := readOSCE(t).Stations[0]
	res, err := ContrastingGroups("osce.csv", s, 3, 20)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "cut", res.Cut, 10.0934068170)
	near(t, "b0", res.B0, -6.5438245817)
	near(t, "b1", res.B1, 0.6483266453)
	near(t, "min-error cut", res.MinErrorCut, 11)
	if res.Errors != 28 {
		t.Errorf("errors %d, want 28", res.Errors)
	}
	near(t, "mean competent", res.MeanCompetent, 13.8019801980)
	near(t, "mean not", res.MeanNotCompetent, 8.8775510204)
	near(t, "midpoint", res.Midpoint, 11.3397656092)
}

func TestOSCEBadInput(t *testing.T) {
	const head = "candidate,station,checklist,global\n"
	tests := []struct {
		name, in string
		want     error
		row      int
	}{
		{"duplicate", head + "1,1,10,2\n2,1,11,3\n1,1,9,2\n", ErrDuplicate, 4},
		{"fractional grade", head + "1,1,10,2.5\n", ErrRange, 2},
		{"negative checklist", head + "1,1,-1,2\n", ErrRange, 2},
		{"missing", head + "1,1,NA,2\n", ErrMissing, 2},
		{"no column", "candidate,station,score\n1,1,2\n", ErrFormat, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadOSCE("roleplay.csv", strings.NewReader(tc.in))
			var ie *InputError
			if !errors.Is(err, tc.want) || !errors.As(err, &ie) || ie.Line != tc.row || ie.File != "roleplay.csv" {
				t.Errorf("err = %v, want %v at row %d", err, tc.want, tc.row)
			}
		})
	}
	// A station where nobody is graded borderline: an error for the
	// borderline group, a stated fallback (with a warning) for regression.
	o, err := ReadOSCE("roleplay.csv", strings.NewReader(head+"1,A,5,1\n2,A,12,3\n3,A,15,4\n4,A,18,5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BorderlineGroup("roleplay.csv", o.Stations[0], 2, 20); !errors.Is(err, ErrNoBorderline) || !strings.Contains(err.Error(), `station "A"`) {
		t.Errorf("borderline group: err = %v", err)
	}
	br, err := BorderlineRegression("roleplay.csv", o.Stations[0], 2, 20)
	if err != nil || br.Warning == "" || br.Borderline != 0 {
		t.Errorf("regression without borderline candidates: %+v, %v", br, err)
	}
	if _, err := ContrastingGroups("roleplay.csv", o.Stations[0], 3, 20); !errors.Is(err, ErrSeparation) {
		t.Errorf("perfectly separated groups: err = %v, want ErrSeparation", err)
	}
}
