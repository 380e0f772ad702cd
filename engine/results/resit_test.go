package results

import (
	"errors"
	"slices"
	"testing"
	"time"
)

const day = 24 * time.Hour

func TestCheckResit(t *testing.T) {
	rules := testResit()
	rel := t0.AddDate(0, 3, 0)
	partial := Decision{Person: "p1", Outcome: PartiallyMet, Resit: []Element{RolePlay}}
	inSummer := func(q ResitQuery) ResitQuery { q.Window = summer.ID; return q }
	notMet := Decision{Person: "p1", Outcome: NotMet}
	cases := []struct {
		name string
		q    ResitQuery
		want []Code
	}{
		{"fast track after the interval", inSummer(ResitQuery{Element: RolePlay, Form: "circuit-p", Start: rel.Add(20 * day), Decision: partial, Released: rel}), nil},
		{"fast track: the passed element", inSummer(ResitQuery{Element: Knowledge, Form: "form-p2", Start: rel.Add(20 * day), Decision: partial, Released: rel}), []Code{CodeNoResit}},
		{"fast track too soon", inSummer(ResitQuery{Element: RolePlay, Start: rel.Add(13 * day), Decision: partial, Released: rel}), []Code{CodeTooSoon}},
		{"fast track too late", inSummer(ResitQuery{Element: RolePlay, Start: rel.Add(181 * day), Decision: partial, Released: rel}), []Code{CodeTooLate}},
		{"fast track used up", inSummer(ResitQuery{Element: RolePlay, Start: rel.Add(20 * day), Decision: partial, Released: rel, Resits: 2}), []Code{CodeTooMany}},
		{"not released", inSummer(ResitQuery{Element: RolePlay, Start: rel.Add(20 * day), Decision: partial}), []Code{CodeNotReleased}},
		{"open appeal", inSummer(ResitQuery{Element: RolePlay, Start: rel.Add(20 * day), Decision: partial, Released: rel, AppealOpen: true}), []Code{CodeAppealOpen}},
		{"not met, same form", inSummer(ResitQuery{Element: Knowledge, Form: "form-p", Start: rel.Add(100 * day), Decision: notMet, Released: rel, FormsSat: []string{"form-p"}}), []Code{CodeSameForm}},
		{"not met, other form", inSummer(ResitQuery{Element: Knowledge, Form: "form-p2", Start: rel.Add(100 * day), Decision: notMet, Released: rel, FormsSat: []string{"form-p"}}), nil},
		{"not met, too soon", inSummer(ResitQuery{Element: Knowledge, Form: "form-p2", Start: rel.Add(89 * day), Decision: notMet, Released: rel, Resits: 1}), []Code{CodeTooSoon, CodeTooMany}},
		{"met", inSummer(ResitQuery{Element: Knowledge, Start: rel.Add(100 * day), Decision: Decision{Outcome: Met}, Released: rel}), []Code{CodeNoResit}},
		{"incomplete books as new", ResitQuery{Element: Knowledge, Start: rel, Decision: Decision{Outcome: Incomplete,
			Missing: []Reason{{Code: CodeAbsent}, {Code: CodeVoided}}}}, nil},
		{"incomplete, a sheet unsettled", ResitQuery{Element: RolePlay, Start: rel, Decision: Decision{Outcome: Incomplete,
			Missing: []Reason{{Code: CodeAbsent}, {Code: CodeUnsettled}}}}, []Code{CodeNotReleased}},
		{"incomplete, no cut yet", ResitQuery{Element: RolePlay, Start: rel, Decision: Decision{Outcome: Incomplete,
			Missing: []Reason{{Code: CodeNoStandard}}}}, []Code{CodeNotReleased}},
		{"in no window", ResitQuery{Element: RolePlay, Start: rel.Add(20 * day), Decision: partial, Released: rel}, []Code{CodeNoResit}},
		{"in a released window", ResitQuery{Element: RolePlay, Start: rel.Add(20 * day), Decision: partial, Released: rel, Window: spring.ID, WindowReleased: true}, []Code{CodeReleased}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []Code
			for _, r := range CheckResit(rules, tc.q) {
				got = append(got, r.Code)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("codes %v, want %v", got, tc.want)
			}
		})
	}
	noResit := rules
	noResit.NotMet = ResitRule{}
	if rs := CheckResit(noResit, inSummer(ResitQuery{Element: Knowledge, Start: rel.Add(100 * day), Decision: notMet, Released: rel})); len(rs) != 1 || rs[0].Code != CodeNoResit {
		t.Fatalf("no re-sit after not met: %v", rs)
	}
	onlyRP := rules
	onlyRP.NotMet.Elements = []Element{RolePlay}
	if rs := CheckResit(onlyRP, inSummer(ResitQuery{Element: Knowledge, Form: "form-p2", Start: rel.Add(100 * day), Decision: notMet, Released: rel})); len(rs) != 1 || rs[0].Code != CodeNoResit {
		t.Fatalf("not met, knowledge not re-sittable: %v", rs)
	}
}

func TestResitRulesValidate(t *testing.T) {
	if err := testResit().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []ResitRules{
		{PartiallyMet: ResitRule{MinInterval: -day}},
		{NotMet: ResitRule{MinInterval: 10 * day, Within: 5 * day}},
		{NotMet: ResitRule{Elements: []Element{"essay"}}},
		{PartiallyMet: ResitRule{Elements: []Element{Knowledge}}},
		{AppealsWindow: -1},
		{NotMet: ResitRule{MaxResits: -1}},
	}
	for i, rr := range bad {
		if err := rr.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("case %d: %v, want ErrInvalidConfig", i, err)
		}
	}
}
