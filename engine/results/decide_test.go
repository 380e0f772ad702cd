package results

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine/programme"
)

func TestDecide(t *testing.T) {
	bps := testBlueprints()
	prac := bps[0]
	noFast := prac
	noFast.Decision.FastTrack = false
	knowOnly := prac
	knowOnly.Decision = programme.Decision{Knowledge: true}
	std := *resolved(standardP(""))
	std.Version = 3
	minStations := std
	minStations.RolePlay = map[string]RolePlayCut{"circuit-p": {Cut: Cut{Cut: 50}, MinStations: 2, StationCut: 15}}

	know := func(form string, score float64) *KnowledgeScore {
		return &KnowledgeScore{Sitting: "k1", Form: form, Score: score, Max: 60}
	}
	rp := func(score float64, failed ...string) *RolePlayScore {
		return &RolePlayScore{Circuit: "circuit-p", Score: score, Max: 100, FailedStations: failed}
	}
	stations := func(scores ...float64) *RolePlayScore {
		r := &RolePlayScore{Circuit: "circuit-p", Max: 100}
		for i, s := range scores {
			r.Score += s
			r.Stations = append(r.Stations, StationScore{Station: string(rune('A' + i)), Score: s, Max: 25})
		}
		return r
	}
	unsettled := &MissingError{Element: RolePlay, Code: CodeUnsettled, Message: "not settled at S1, S3", Stations: []string{"S1", "S3"}}
	voided := &MissingError{Element: Knowledge, Code: CodeVoided, Message: "voided"}
	c := practitioner("p1", "bury", t0)

	cases := []struct {
		name    string
		bp      programme.Blueprint
		std     *Standard
		ev      Evidenced
		want    Outcome
		resit   []Element
		passed  []bool // per element in Elements
		missing []Code
	}{
		{"both passed", prac, &std, Evidenced{Knowledge: know("form-p", 40), RolePlay: rp(70)}, Met, nil, []bool{true, true}, nil},
		{"knowledge exactly at the cut", prac, &std, Evidenced{Knowledge: know("form-p", 36), RolePlay: rp(60)}, Met, nil, []bool{true, true}, nil},
		{"knowledge one below", prac, &std, Evidenced{Knowledge: know("form-p", 35), RolePlay: rp(70)}, PartiallyMet, []Element{Knowledge}, []bool{false, true}, nil},
		{"role-play failed on a must-pass", prac, &std, Evidenced{Knowledge: know("form-p", 50), RolePlay: rp(90, "S2")}, PartiallyMet, []Element{RolePlay}, []bool{true, false}, nil},
		{"both failed", prac, &std, Evidenced{Knowledge: know("form-p", 10), RolePlay: rp(20)}, NotMet, nil, []bool{false, false}, nil},
		{"one failed, no fast track", noFast, &std, Evidenced{Knowledge: know("form-p", 10), RolePlay: rp(70)}, NotMet, nil, []bool{false, true}, nil},
		{"knowledge-only status", knowOnly, &std, Evidenced{Knowledge: know("form-p", 10)}, NotMet, nil, []bool{false}, nil},
		{"the other form's cut", prac, &std, Evidenced{Knowledge: know("form-p2", 36), RolePlay: rp(70)}, Met, nil, []bool{true, true}, nil},
		{"min stations met", prac, &minStations, Evidenced{Knowledge: know("form-p", 40), RolePlay: stations(15, 15, 10, 20)}, Met, nil, []bool{true, true}, nil},
		{"min stations not met", prac, &minStations, Evidenced{Knowledge: know("form-p", 40), RolePlay: stations(25, 14, 10, 14)}, PartiallyMet, []Element{RolePlay}, []bool{true, false}, nil},
		{"sheet unsettled", prac, &std, Evidenced{Knowledge: know("form-p", 40), RolePlayMissing: unsettled}, Incomplete, nil, []bool{true}, []Code{CodeUnsettled}},
		{"voided and unsettled", prac, &std, Evidenced{KnowledgeMissing: voided, RolePlayMissing: unsettled}, Incomplete, nil, nil, []Code{CodeVoided, CodeUnsettled}},
		{"nothing booked", prac, &std, Evidenced{}, Incomplete, nil, nil, []Code{CodeAbsent, CodeAbsent}},
		{"no standard", prac, nil, Evidenced{Knowledge: know("form-p", 40), RolePlay: rp(70)}, Incomplete, nil, nil, []Code{CodeNoStandard, CodeNoStandard}},
		{"form without a cut", prac, &std, Evidenced{Knowledge: know("form-x", 60), RolePlay: rp(70)}, Incomplete, nil, []bool{true}, []Code{CodeNoStandard}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(c, tc.bp, tc.std, tc.ev, FeedbackRules{})
			if d.Outcome != tc.want || !slices.Equal(d.Resit, tc.resit) {
				t.Fatalf("outcome %s resit %v, want %s %v (%+v)", d.Outcome, d.Resit, tc.want, tc.resit, d)
			}
			var passed []bool
			for _, e := range d.Elements {
				passed = append(passed, e.Passed)
				if !e.Passed && len(e.Why) == 0 {
					t.Errorf("%s failed with no reason", e.Element)
				}
			}
			if !slices.Equal(passed, tc.passed) {
				t.Errorf("passed %v, want %v", passed, tc.passed)
			}
			var missing []Code
			for _, m := range d.Missing {
				missing = append(missing, m.Code)
			}
			if !slices.Equal(missing, tc.missing) {
				t.Errorf("missing %v, want %v", missing, tc.missing)
			}
		})
	}
}

func TestDecideCutFromPanelAndSEM(t *testing.T) {
	// Panel 34 + k 1.5 * SEM 2.2 = 37.3: 37 fails, 38 passes.
	s := Standard{Knowledge: map[string]Cut{"form-p": {Panel: 34, K: 1.5, SEM: 2.2}}}
	c := s.Knowledge["form-p"]
	c.resolve()
	if c.Cut < 37.29 || c.Cut > 37.31 {
		t.Fatalf("cut %g, want 37.3", c.Cut)
	}
	s.Knowledge["form-p"] = c
	bp := programme.Blueprint{Status: programme.Practitioner, Decision: programme.Decision{Knowledge: true}}
	for score, want := range map[float64]Outcome{37: NotMet, 38: Met} {
		d := Decide(Candidate{Person: "p"}, bp, &s, Evidenced{Knowledge: &KnowledgeScore{Form: "form-p", Score: score}}, FeedbackRules{})
		if d.Outcome != want {
			t.Errorf("score %g: %s, want %s", score, d.Outcome, want)
		}
	}
}

func TestFeedbackByDomain(t *testing.T) {
	ev := Evidenced{
		Knowledge: &KnowledgeScore{Form: "form-p", Score: 30, Max: 40, Domains: map[string]DomainScore{
			"law": {Score: 18, Max: 20}, "ethics": {Score: 8, Max: 10}, "development": {Score: 4, Max: 10}}},
		RolePlay: &RolePlayScore{Circuit: "circuit-p", Score: 70, Max: 100, Domains: map[string]DomainScore{
			"ethics": {Score: 2, Max: 10}, "communication": {Score: 60, Max: 90}}},
	}
	std := Standard{Knowledge: map[string]Cut{"form-p": {Cut: 20}}, RolePlay: map[string]RolePlayCut{"circuit-p": {Cut: Cut{Cut: 50}}}}
	d := Decide(Candidate{Person: "p"}, testBlueprints()[0], &std, ev, FeedbackRules{Enabled: true, Strength: 80, Develop: 50})
	// law 90% strength; ethics (8+2)/20 = 50% neither; development 40%
	// develop; communication 66.7% neither.
	want := &Feedback{Strengths: []string{"law"}, Develop: []string{"development"}}
	if !reflect.DeepEqual(d.Feedback, want) {
		t.Fatalf("feedback %+v, want %+v", d.Feedback, want)
	}
	if d := Decide(Candidate{Person: "p"}, testBlueprints()[0], &std, ev, FeedbackRules{}); d.Feedback != nil {
		t.Fatalf("feedback without it configured: %+v", d.Feedback)
	}
	if err := (FeedbackRules{Enabled: true, Strength: 40, Develop: 60}).Validate(); err == nil {
		t.Fatal("develop above strength accepted")
	}
}

// TestCandidateOutcomeHoldsNoMark checks by reflection that the
// candidate-facing type has no score, cut, max or grade field, and that
// its JSON carries none of the decision's numbers.
func TestCandidateOutcomeHoldsNoMark(t *testing.T) {
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != reflect.TypeOf(Decision{}).PkgPath() {
			return
		}
		for f := range typ.Fields() {
			name := strings.ToLower(f.Name)
			for _, bad := range []string{"score", "cut", "max", "grade", "mark", "percent"} {
				if strings.Contains(name, bad) {
					t.Errorf("%s.%s: a candidate sees no %s", path, f.Name, bad)
				}
			}
			if f.Type.Kind() == reflect.Float64 || f.Type.Kind() == reflect.Map {
				t.Errorf("%s.%s: a number or map in the candidate's view", path, f.Name)
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	walk(reflect.TypeOf(CandidateOutcome{}), "CandidateOutcome")

	d := Decide(practitioner("p1", "bury", t0), testBlueprints()[0], resolved(standardP("")),
		Evidenced{Knowledge: &KnowledgeScore{Form: "form-p2", Score: 41, Max: 60}, RolePlay: &RolePlayScore{Circuit: "circuit-p", Score: 57.5, Max: 100}},
		FeedbackRules{})
	o := d.ForCandidate()
	if o.Outcome != PartiallyMet || !slices.Equal(o.Passed, []Element{Knowledge}) || !slices.Equal(o.NotPassed, []Element{RolePlay}) || !slices.Equal(o.Resit, []Element{RolePlay}) {
		t.Fatalf("candidate view %+v", o)
	}
}

// resolved is s with its cuts resolved, as Adopt stores them.
func resolved(s Standard) *Standard {
	for f, c := range s.Knowledge {
		c.resolve()
		s.Knowledge[f] = c
	}
	for id, c := range s.RolePlay {
		c.resolve()
		s.RolePlay[id] = c
	}
	return &s
}
