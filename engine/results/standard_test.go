package results

import (
	"context"
	"testing"

	"github.com/accredit/accredit/engine/programme"
)

// TestCheckStandardPlaces: a cut is refused, with what the blueprint
// holds, where the blueprint has no such form or circuit or its decision
// no such element; a cut in its place is checked against its range.
func TestCheckStandardPlaces(t *testing.T) {
	bp := programme.Blueprint{Status: programme.Practitioner, Forms: []string{"form-p"}, Circuits: []string{"circuit-p"},
		Decision: programme.Decision{Knowledge: true, RolePlay: true}}
	noRolePlay := bp
	noRolePlay.Decision.RolePlay = false
	noKnowledge := bp
	noKnowledge.Decision.Knowledge = false
	cases := []struct {
		name string
		bp   programme.Blueprint
		s    Standard
		want []string
	}{
		{"in place", bp, Standard{Knowledge: map[string]Cut{"form-p": {Cut: 30}}, RolePlay: map[string]RolePlayCut{"circuit-p": {Cut: Cut{Cut: 50}}}}, nil},
		{"form elsewhere", bp, Standard{Knowledge: map[string]Cut{"form-s": {Cut: 30}}},
			[]string{`knowledge form "form-s" is not in the practitioner blueprint (forms [form-p])`}},
		{"circuit elsewhere", bp, Standard{RolePlay: map[string]RolePlayCut{"circuit-s": {Cut: Cut{Cut: 50}}}},
			[]string{`role-play circuit "circuit-s" is not in the practitioner blueprint (circuits [circuit-p])`}},
		{"no knowledge element", noKnowledge, Standard{Knowledge: map[string]Cut{"form-p": {Cut: 30}}},
			[]string{"the practitioner decision has no knowledge element"}},
		{"no role-play element", noRolePlay, Standard{RolePlay: map[string]RolePlayCut{"circuit-p": {Cut: Cut{Cut: 50}}}},
			[]string{"the practitioner decision has no role-play element"}},
		{"out of range", bp, Standard{Knowledge: map[string]Cut{"form-p": {Cut: 61}}},
			[]string{"knowledge form form-p: cut 61 outside the score range 0..60"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := checkStandard(context.Background(), &tc.s, tc.bp, newFakeEvidence())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				got = append(got, r.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("reasons %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("reason %d: %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}
