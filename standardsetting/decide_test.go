package standardsetting

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const rulesJSON = `{"standard": "practitioner", "elements": [
  {"element": "knowledge", "cut": 12},
  {"element": "practice", "rule": "n-of-m", "min_stations": 2, "total_cut": 29,
   "stations": [{"station": "s1", "cut": 10}, {"station": "s2", "cut": 10}, {"station": "s3", "cut": 10}]}
]}`

func TestDecide(t *testing.T) {
	rs, err := ReadRules("rules.json", strings.NewReader(rulesJSON))
	if err != nil {
		t.Fatal(err)
	}
	scores := `candidate,element,score
met,knowledge,12
met,s1,10
met,s2,9
met,s3,11
lowtotal,knowledge,20
lowtotal,s1,10
lowtotal,s2,10
lowtotal,s3,8
oneStation,knowledge,11
oneStation,s1,20
oneStation,s2,9
oneStation,s3,9
absentKnowledge,s1,12
absentKnowledge,s2,12
absentKnowledge,s3,12
`
	es, err := ReadElementScores("scores.csv", strings.NewReader(scores))
	if err != nil {
		t.Fatal(err)
	}
	ds := Decide(rs, es)
	tests := []struct {
		candidate, outcome string
		resit              []string
		practice           string
	}{
		// 2 of 3 stations and total 30 >= 29: practice passed; knowledge 12 >= 12.
		{"met", Met, nil, Pass},
		// Stations 2 of 3 but total 28 < 29: practice failed, knowledge passed.
		{"lowtotal", PartiallyMet, []string{"practice"}, Fail},
		// One station only (total 38): practice failed by the N-of-M rule; knowledge 11 < 12.
		{"oneStation", NotMet, nil, Fail},
		// No knowledge score: absent, so only practice is passed.
		{"absentKnowledge", PartiallyMet, []string{"knowledge"}, Pass},
	}
	if len(ds) != len(tests) {
		t.Fatalf("%d decisions, want %d", len(ds), len(tests))
	}
	for i, tc := range tests {
		d := ds[i]
		if d.Candidate != tc.candidate || d.Outcome != tc.outcome || !slices.Equal(d.Resit, tc.resit) || d.Elements[1].Result != tc.practice {
			t.Errorf("%s: %s resit %v practice %s; want %s resit %v practice %s",
				d.Candidate, d.Outcome, d.Resit, d.Elements[1].Result, tc.outcome, tc.resit, tc.practice)
		}
	}
	if ds[3].Elements[0].Result != Absent {
		t.Errorf("absent knowledge recorded as %q", ds[3].Elements[0].Result)
	}
	s := Summarise(ds)
	if s.Outcomes[Met] != 1 || s.Outcomes[PartiallyMet] != 2 || s.Outcomes[NotMet] != 1 || s.ElementPass["practice"] != 2 {
		t.Errorf("summary %+v", s)
	}
}

func TestDecideRules(t *testing.T) {
	station := func(rule string, min int, total string) string {
		return `{"elements":[{"element":"p","rule":"` + rule + `","min_stations":` + string(rune('0'+min)) + total +
			`,"stations":[{"station":"a","cut":5},{"station":"b","cut":5}]}]}`
	}
	scores := "candidate,element,score\nx,a,9\nx,b,4\n" // total 13, one station passed
	tests := []struct {
		name, rules, want string
	}{
		{"conjunctive", station("conjunctive", 0, ""), NotMet},
		{"compensatory", station("compensatory", 0, `,"total_cut":10`), Met},
		{"compensatory too low", station("compensatory", 0, `,"total_cut":14`), NotMet},
		{"1 of 2", station("n-of-m", 1, ""), Met},
		{"2 of 2", station("n-of-m", 2, ""), NotMet},
	}
	es, _ := ReadElementScores("s.csv", strings.NewReader(scores))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := ReadRules("r.json", strings.NewReader(tc.rules))
			if err != nil {
				t.Fatal(err)
			}
			if got := Decide(rs, es)[0].Outcome; got != tc.want {
				t.Errorf("outcome %s, want %s", got, tc.want)
			}
		})
	}
	bad := []string{
		`{"elements":[]}`,
		`{"elements":[{"element":"k"}]}`,
		`{"elements":[{"element":"k","cut":3},{"element":"k","cut":4}]}`,
		`{"elements":[{"element":"p","rule":"compensatory","stations":[{"station":"a","cut":5}]}]}`,
		`{"elements":[{"element":"p","rule":"n-of-m","min_stations":3,"stations":[{"station":"a","cut":5}]}]}`,
		`{"elements":[{"element":"p","rule":"best","stations":[{"station":"a","cut":5}]}]}`,
		`{"elements":[{"element":"k","cut":3,"grade":"A"}]}`,
	}
	for _, b := range bad {
		if _, err := ReadRules("r.json", strings.NewReader(b)); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: err = %v, want ErrConfig", b, err)
		}
	}
}
