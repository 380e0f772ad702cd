package rpscore

import (
	"bytes"
	"errors"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/engine/roleplay"
)

func demo(t *testing.T) (*roleplay.Model, *roleplay.Rubric) {
	t.Helper()
	m, err := roleplay.Load(roleplay.Demo())
	if err != nil {
		t.Fatal(err)
	}
	return m, m.Rubrics["rb-home-visit"]
}

func eq(t *testing.T, name string, got, want float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
		t.Errorf("%s = %g, want %g", name, got, want)
	}
}

// marks on rb-home-visit: purpose, safety (weight 2, must pass at 2),
// engagement, information, next-steps, each 0..3; maximum 3+6+3+3+3 = 18.
func marks(purpose, safety, engagement, information, next float64) map[string]float64 {
	return map[string]float64{"purpose": purpose, "safety": safety, "engagement": engagement,
		"information": information, "next-steps": next}
}

func TestScore(t *testing.T) {
	_, r := demo(t)
	tests := []struct {
		name    string
		marks   map[string]float64
		score   float64
		domains map[string]float64
		failed  bool
	}{
		// 2 + 2*3 + 2 + 2 + 2 = 14
		{"weighted sum", marks(2, 3, 2, 2, 2), 14, map[string]float64{"kss1": 2, "kss4": 6, "kss5": 4, "kss6": 2}, false},
		// 3 + 2*1 + 3 + 3 + 3 = 14, but safety 1 < 2 fails the station
		{"must-pass failed", marks(3, 1, 3, 3, 3), 14, map[string]float64{"kss1": 3, "kss4": 2, "kss5": 6, "kss6": 3}, true},
		{"at threshold", marks(0, 2, 0, 0, 0), 4, map[string]float64{"kss1": 0, "kss4": 4, "kss5": 0, "kss6": 0}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Score(r, tc.marks)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "score", s.Score, tc.score)
			eq(t, "max", s.Max, 18)
			for d, v := range tc.domains {
				eq(t, d, s.Domains[d], v)
			}
			eq(t, "kss4 max", s.DomainMax["kss4"], 6)
			if s.Failed() != tc.failed {
				t.Errorf("failed = %v, want %v", s.Failed(), tc.failed)
			}
			if s.Passes(tc.score) == tc.failed || s.Passes(tc.score+0.5) {
				t.Errorf("Passes at the score = %v, above it = %v, with failed %v",
					s.Passes(tc.score), s.Passes(tc.score+0.5), tc.failed)
			}
		})
	}
}

func TestScoreErrors(t *testing.T) {
	_, r := demo(t)
	missing := marks(1, 2, 1, 1, 1)
	delete(missing, "information")
	unknown := marks(1, 2, 1, 1, 1)
	unknown["rapport"] = 1
	for _, tc := range []struct {
		name  string
		marks map[string]float64
		want  error
	}{
		{"missing", missing, ErrMissingMark},
		{"unknown", unknown, ErrUnknownCriterion},
		{"above scale", marks(4, 2, 1, 1, 1), ErrOutOfRange},
		{"below scale", marks(1, -1, 1, 1, 1), ErrOutOfRange},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Score(r, tc.marks); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestElementScore(t *testing.T) {
	_, r := demo(t)
	s1, _ := Score(r, marks(2, 3, 2, 2, 2)) // 14
	s2, _ := Score(r, marks(3, 1, 3, 3, 3)) // 14, must-pass failed
	e := ElementScore("C01", []StationResult{{"S1", s1, 3}, {"S9", s2, 2}})
	eq(t, "score", e.Score, 28)
	eq(t, "max", e.Max, 36)
	eq(t, "kss5", e.Domains["kss5"], 10)
	eq(t, "kss5 max", e.DomainMax["kss5"], 12)
	if len(e.FailedStations) != 1 || e.FailedStations[0] != "S9" {
		t.Errorf("failed stations = %v", e.FailedStations)
	}
}

func mk(assessor string, j float64, ms map[string]float64) Marking {
	return Marking{Candidate: "C01", Station: "S1", Assessor: assessor, Marks: ms, Judgement: j}
}

func TestResolve(t *testing.T) {
	m, r := demo(t)
	scale := m.Judgement
	a := mk("A", 3, marks(2, 3, 2, 2, 2))       // 14
	b := mk("B", 3, marks(1, 2, 2, 1, 2))       // 10
	near := mk("B", 4, marks(2, 3, 2, 1, 2))    // 13
	third13 := mk("T", 3, marks(1, 3, 2, 2, 2)) // 13: closer to A
	third12 := mk("T", 2, marks(0, 3, 2, 2, 2)) // 12: as close to A as to B
	lead := mk("L", 2, marks(1, 2, 1, 1, 1))    // 8
	cfg := func(res roleplay.Resolution) roleplay.DoubleMarking {
		return roleplay.DoubleMarking{Tolerance: 3, Resolution: res}
	}
	tests := []struct {
		name      string
		cfg       roleplay.DoubleMarking
		a, b      Marking
		extra     *Marking
		flagged   bool
		score     float64
		judgement float64
		basis     int
	}{
		{"within tolerance averages", cfg(roleplay.ResolveThirdMarker), a, near, nil, false, 13.5, 3.5, 2},
		{"flagged average", cfg(roleplay.ResolveAverage), a, b, nil, true, 12, 3, 2},
		{"flagged lead", cfg(roleplay.ResolveLead), a, b, &lead, true, 8, 2, 1},
		{"third marker with the closer", cfg(roleplay.ResolveThirdMarker), a, b, &third13, true, 13.5, 3, 2},
		{"third marker tie", cfg(roleplay.ResolveThirdMarker), a, b, &third12, true, 12, 8.0 / 3, 3},
		{"judgements two steps apart", cfg(roleplay.ResolveAverage), a, mk("B", 1, a.Marks), nil, true, 14, 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.cfg, scale, r, tc.a, tc.b, tc.extra)
			if err != nil {
				t.Fatal(err)
			}
			if got.Discrepancy.Flagged() != tc.flagged {
				t.Errorf("flagged = %v, want %v (%+v)", got.Discrepancy.Flagged(), tc.flagged, got.Discrepancy)
			}
			eq(t, "score", got.Score.Score, tc.score)
			eq(t, "judgement", got.Judgement, tc.judgement)
			if len(got.Basis) != tc.basis {
				t.Errorf("basis = %v", got.Basis)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	m, r := demo(t)
	a := mk("A", 3, marks(2, 3, 2, 2, 2))
	b := mk("B", 3, marks(1, 2, 2, 1, 2))
	lead := roleplay.DoubleMarking{Tolerance: 3, Resolution: roleplay.ResolveLead}
	if _, err := Resolve(lead, m.Judgement, r, a, b, nil); !errors.Is(err, ErrUnresolved) {
		t.Errorf("no lead marking: err = %v", err)
	}
	if _, err := Resolve(lead, m.Judgement, r, a, a, nil); !errors.Is(err, ErrMismatch) {
		t.Errorf("same assessor twice: err = %v", err)
	}
	other := b
	other.Candidate = "C02"
	if _, err := Resolve(lead, m.Judgement, r, a, other, nil); !errors.Is(err, ErrMismatch) {
		t.Errorf("different candidates: err = %v", err)
	}
	bad := b
	bad.Marks = marks(1, 2, 2, 1, 9)
	if _, err := Resolve(lead, m.Judgement, r, a, bad, nil); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("bad marks: err = %v", err)
	}
}

func TestExport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSheets(&buf, []SheetRow{{"C01", "S1", "ASR-LIAM", 14, 3}, {"C01", "S1", "ASR-NADIA", 10.5, 2}}); err != nil {
		t.Fatal(err)
	}
	want := "candidate,station,assessor,score,global\nC01,S1,ASR-LIAM,14,3\nC01,S1,ASR-NADIA,10.5,2\n"
	if buf.String() != want {
		t.Errorf("sheets:\n%s\nwant:\n%s", buf.String(), want)
	}
	buf.Reset()
	_, r := demo(t)
	res, err := Single(r, mk("A", 4, marks(2, 3, 2, 2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteStandardSetting(&buf, []Resolved{res}); err != nil {
		t.Fatal(err)
	}
	// Same columns as standardsetting/testdata/osce.csv, the OSCE file ReadOSCE reads.
	want = "candidate,station,checklist,global\nC01,S1,14,4\n"
	if buf.String() != want {
		t.Errorf("standard setting:\n%s\nwant:\n%s", buf.String(), want)
	}
}
