package agreement

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	in := "\ufeffScore, Target ,rater,note\n3,t1,a,x\n4.5,t1,b,\n"
	got, err := ReadCSV(strings.NewReader(in), "r.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []Rating{{"t1", "a", 3}, {"t1", "b", 4.5}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		column   string
		text     string
	}{
		{"empty", "", 1, "", "empty file"},
		{"no score column", "target,rater\nt,r\n", 1, "", `no column "score"`},
		{"duplicate column", "target,rater,score,score\n", 1, "", "twice"},
		{"header only", "target,rater,score\n", 2, "", "no ratings"},
		{"bad score", "target,rater,score\nt1,a,3\nt1,b,three\n", 3, "score", `"three"`},
		{"NaN score", "target,rater,score\nt1,a,NaN\n", 2, "score", "finite"},
		{"empty score", "target,rater,score\nt1,a,\n", 2, "score", "finite"},
		{"empty target", "target,rater,score\n,a,1\n", 2, "target", "empty target"},
		{"empty rater", "target,rater,score\nt,,1\n", 2, "rater", "empty rater"},
		{"short row", "target,rater,score\nt,a\n", 2, "", "2 fields"},
		{"duplicate rating", "target,rater,score\nt,a,1\nt,b,1\nt,a,2\n", 4, "rater", "line 2"},
		{"bad quote", "target,rater,score\nt,\"a,1\n", 2, "", "quote"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tc.in), "r.csv")
			var ce *CSVError
			if !errors.As(err, &ce) || !errors.Is(err, ErrBadCSV) {
				t.Fatalf("err = %v, want a *CSVError", err)
			}
			if ce.File != "r.csv" || ce.Line != tc.line || (tc.column != "" && ce.Column != tc.column) {
				t.Errorf("err at %s line %d column %q, want line %d column %q (%v)",
					ce.File, ce.Line, ce.Column, tc.line, tc.column, err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q lacks %q", err, tc.text)
			}
		})
	}
}

// FuzzReadCSV checks that no input panics the reader or the analysis, that
// accepted ratings are well formed, and that a report never holds NaN.
func FuzzReadCSV(f *testing.F) {
	f.Add("target,rater,score\nt1,a,1\nt1,b,2\nt2,a,3\nt2,b,5\n")
	f.Add("target,rater,score\nt1,a,1\nt1,b,1\nt2,a,1\nt2,b,1\n")
	f.Add("rater,score,target\n\"x\"\"y\",1e308,t\n")
	f.Add("target,rater,score\nt1,a,-0\n")
	f.Fuzz(func(t *testing.T, in string) {
		rs, err := ReadCSV(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, ErrBadCSV) {
				t.Fatalf("error %v is not ErrBadCSV", err)
			}
			return
		}
		for _, r := range rs {
			if r.Target == "" || r.Rater == "" || math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
				t.Fatalf("bad rating accepted: %+v", r)
			}
		}
		rep, err := Analyse(rs, 0.05)
		if err == nil {
			if rep.checkFinite() != nil {
				t.Fatal("report holds NaN or Inf")
			}
		}
	})
}
