package standardsetting

import (
	"errors"
	"strings"
	"testing"
)

func TestReadRatingsBadInput(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
		row      int
		col      string
	}{
		{"above one", ",i1,i2\nA1,0.5,1.2\nA2,0.4,0.3\n", ErrRange, 2, "i2"},
		{"negative", ",i1,i2\nA1,0.5,0.2\nA2,-0.1,0.3\n", ErrRange, 3, "i1"},
		{"missing item", ",i1,i2\nA1,0.5,\nA2,0.4,0.3\n", ErrMissing, 2, "i2"},
		{"NA item", ",i1,i2\nA1,0.5,0.1\nA2,NA,0.3\n", ErrMissing, 3, "i1"},
		{"short row", ",i1,i2\nA1,0.5\nA2,0.4,0.3\n", ErrFormat, 2, ""},
		{"not a number", ",i1,i2\nA1,0.5,x\nA2,0.4,0.3\n", ErrFormat, 2, "i2"},
		{"NaN", ",i1,i2\nA1,0.5,0.2\nA2,0.4,Inf\n", ErrFormat, 3, "i2"},
		{"duplicate judge", ",i1,i2\nA1,0.5,0.2\nA1,0.4,0.3\n", ErrDuplicate, 3, ""},
		{"duplicate item", ",i1,i1\nA1,0.5,0.2\nA2,0.4,0.3\n", ErrDuplicate, 1, "i1"},
		{"one judge", ",i1,i2\nA1,0.5,0.2\n", ErrTooFew, 0, ""},
		{"empty", "", ErrFormat, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadRatings("panelA.csv", strings.NewReader(tc.in), Probability)
			var ie *InputError
			if !errors.Is(err, tc.want) || !errors.As(err, &ie) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if ie.File != "panelA.csv" || ie.Line != tc.row || (tc.col != "" && ie.Column != tc.col) {
				t.Errorf("located at %q row %d column %q, want row %d column %q", ie.File, ie.Line, ie.Column, tc.row, tc.col)
			}
		})
	}
}

func TestCheckItemsRounds(t *testing.T) {
	r1, _ := ReadRatings("r1.csv", strings.NewReader(",i1,i2\nA,0.5,0.2\nB,0.4,0.3\n"), Probability)
	r2, _ := ReadRatings("r2.csv", strings.NewReader(",i1,i2\nA,0.6,0.2\nB,0.4,0.4\n"), Probability)
	r3, _ := ReadRatings("r3.csv", strings.NewReader(",i1,i3\nA,0.6,0.2\nB,0.4,0.4\n"), Probability)
	if err := CheckItems([]*Panel{{Name: "A", Rounds: []*Ratings{r1, r2}}}); err != nil {
		t.Errorf("same items: %v", err)
	}
	err := CheckItems([]*Panel{{Name: "A", Rounds: []*Ratings{r1, r2}}, {Name: "B", Rounds: []*Ratings{r3}}})
	var ie *InputError
	if !errors.Is(err, ErrMismatch) || !errors.As(err, &ie) || ie.File != "r3.csv" || ie.Column != "i3" {
		t.Errorf("different items: err = %v", err)
	}
}

func TestReadOtherBadInput(t *testing.T) {
	tests := []struct {
		name     string
		read     reader
		file, in string
		want     error
	}{
		{"nedelsky zero options", readNedelsky, "n.csv", ",i1,i2\nN1,0,2\nN2,1,1\n", ErrRange},
		{"nedelsky fractional", readNedelsky, "n.csv", ",i1,i2\nN1,1.5,2\nN2,1,1\n", ErrRange},
		{"hofstee cmin above cmax", errOnly(ReadHofstee), "h.csv", "judge,Cmin,Cmax,Fmin,Fmax\nH1,60,50,5,10\nH2,30,50,5,10\n", ErrRange},
		{"beuk over 100", errOnly(ReadBeuk), "b.csv", "judge,k_pct,v_pass_pct\nK1,55,120\nK2,50,70\n", ErrRange},
		{"booklet out of order", errOnly(ReadBooklet), "o.csv", "page,item,b\n1,a,0.5\n2,b,0.1\n", ErrRange},
		{"booklet page skipped", errOnly(ReadBooklet), "o.csv", "page,item,b\n1,a,0.1\n3,b,0.5\n", ErrFormat},
		{"bookmark beyond booklet", readBookmarks, "j.csv", "judge,page\nJ1,3\nJ2,31\n", ErrRange},
		{"scores negative", errOnly(ReadCandidates), "s.csv", "candidate,score\n1,3\n2,-1\n", ErrRange},
		{"scores without score column", errOnly(ReadCandidates), "s.csv", "candidate,total\n1,3\n2,1\n", ErrFormat},
		{"grid out of range", errOnly(ReadEbelGrid), "g.csv", ",easy,hard\nessential,1.5,0.5\n", ErrRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read(tc.file, strings.NewReader(tc.in))
			var ie *InputError
			if !errors.Is(err, tc.want) || !errors.As(err, &ie) || ie.File == "" {
				t.Errorf("err = %v, want %v with a file name", err, tc.want)
			}
		})
	}
}

func TestReadCandidatesGroups(t *testing.T) {
	c, err := ReadCandidates("s.csv", strings.NewReader("candidate,score,employer,age_band\nc1,10,Leeds,30-39\nc2,14,Bury,50+\nc3,12,Leeds,50+\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.GroupNames) != 2 || c.GroupNames[0] != "employer" {
		t.Fatalf("groups %v", c.GroupNames)
	}
	gi := ImpactByGroup(c, []NamedCut{{"op", 12}})
	// employer Bury: 14 >= 12 passes; Leeds: 10 fails, 12 passes.
	want := map[string]float64{"employer/Bury": 1, "employer/Leeds": 0.5, "age_band/30-39": 0, "age_band/50+": 1}
	if len(gi) != len(want) {
		t.Fatalf("%d groups, want %d", len(gi), len(want))
	}
	for _, g := range gi {
		if w := want[g.Column+"/"+g.Group]; g.PassRates[0] != w {
			t.Errorf("%s/%s: %v, want %v", g.Column, g.Group, g.PassRates[0], w)
		}
	}
}
