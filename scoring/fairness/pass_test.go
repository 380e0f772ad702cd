package fairness

import (
	"strings"
	"testing"

	"github.com/accredit/accredit/scoring/respmatrix"
)

func TestParsePass(t *testing.T) {
	got, err := ParsePass([]string{"a", "b", "c", "d"}, []string{"1", "FAIL", " yes", "0"})
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, false, true, false}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d = %v", i, got[i])
		}
	}
	_, err = ParsePass([]string{"a", "p9"}, []string{"1", "maybe"})
	if err == nil || !strings.Contains(err.Error(), `"p9"`) {
		t.Errorf("err = %v, want one naming p9", err)
	}
}

func TestAdverseImpactAtCut(t *testing.T) {
	in := "person,a,b,c,band\np1,1,1,0,old\np2,1,0,0,old\np3,,,,old\np4,1,1,1,young\np5,0,1,1,young\np6,1,1,0,\n"
	m, err := respmatrix.Read(strings.NewReader(in), "c.csv", respmatrix.Options{GroupColumns: []string{"band"}})
	if err != nil {
		t.Fatal(err)
	}
	im, err := AdverseImpactAtCut(m, m.Groups["band"], 2, "")
	if err != nil {
		t.Fatal(err)
	}
	if im.NoResponses != 1 || im.Unlabelled != 1 || im.Comparison != "young" {
		t.Fatalf("%+v", im)
	}
	old := im.Groups[0]
	if old.Group != "old" || old.N != 2 || old.Passed != 1 || *old.ImpactRatio != 0.5 || !old.FourFifthsViolated {
		t.Errorf("old %+v", old)
	}
}
