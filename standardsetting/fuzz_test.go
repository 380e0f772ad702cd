package standardsetting

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// seed adds the named testdata files and a few malformed inputs.
func seed(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "\n", ",a,b\nx,1,2\n", "\"unterminated\n", ",i1,i2\nA,0.5,NA\nB,1e309,0\n", "\ufeffjudge,page\nJ,1\nK,2\n"} {
		f.Add([]byte(s))
	}
}

// wantLocated checks that a read error is an *InputError naming the file.
func wantLocated(t *testing.T, err error) {
	var ie *InputError
	if !errors.As(err, &ie) || ie.File != "f.csv" {
		t.Fatalf("error without location: %v", err)
	}
}

// fuzzRead fuzzes read from the seed files: what it refuses must be
// located, and what it reads, b, must pass check.
func fuzzRead[T any](f *testing.F, read func(file string, r io.Reader) (T, error), check func(t *testing.T, b []byte, v T), files ...string) {
	seed(f, files...)
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := read("f.csv", bytes.NewReader(b))
		if err != nil {
			wantLocated(t, err)
			return
		}
		check(t, b, v)
	})
}

func FuzzReadRatings(f *testing.F) {
	read := func(file string, r io.Reader) (*Ratings, error) { return ReadRatings(file, r, Probability) }
	fuzzRead(f, read, func(t *testing.T, _ []byte, r *Ratings) {
		res := Angoff(r, nil)
		if _, err := json.Marshal(res); err != nil || math.IsNaN(res.Cut) || res.Cut < 0 || res.Cut > float64(r.NumItems()) {
			t.Fatalf("cut %v (%v)", res.Cut, err)
		}
	}, "angoff_panelA.csv", "angoff_panelB.csv")
}

func FuzzReadNedelsky(f *testing.F) {
	read := func(file string, r io.Reader) (*Ratings, error) { return ReadNedelsky(file, r, 5) }
	fuzzRead(f, read, func(t *testing.T, b []byte, m *Ratings) {
		if res := Nedelsky(m); math.IsNaN(res.Cut) || math.IsNaN(res.SE) {
			t.Fatalf("NaN from %q", b)
		}
	}, "nedelsky_remaining_options.csv")
}

func FuzzReadCandidates(f *testing.F) {
	fuzzRead(f, ReadCandidates, func(t *testing.T, _ []byte, c *Candidates) {
		if len(c.IDs) != len(c.Scores) {
			t.Fatal("ids and scores differ in length")
		}
		for _, g := range c.GroupNames {
			if len(c.Groups[g]) != len(c.Scores) {
				t.Fatalf("group %q has %d values", g, len(c.Groups[g]))
			}
		}
	}, "scores.csv")
}

func FuzzReadOSCE(f *testing.F) {
	fuzzRead(f, ReadOSCE, func(t *testing.T, _ []byte, o *OSCE) {
		for _, s := range o.Stations {
			if br, err := BorderlineRegression("f.csv", s, 2, 0); err == nil {
				if _, err := json.Marshal(br); err != nil {
					t.Fatalf("station %q: %v", s.ID, err)
				}
			} else {
				wantLocated(t, err)
			}
			if _, err := ContrastingGroups("f.csv", s, 3, 0); err != nil {
				wantLocated(t, err)
			}
		}
	}, "osce.csv")
}

func FuzzReadJudgements(f *testing.F) {
	seed(f, "hofstee_case1.csv", "beuk.csv", "bookmark_oib.csv", "bookmark_judges.csv", "ebel_items.csv", "ebel_grid.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, read := range []reader{
			errOnly(ReadHofstee), errOnly(ReadBeuk), errOnly(ReadBooklet), readBookmarks,
			errOnly(ReadEbelItems), errOnly(ReadEbelGrid), errOnly(ReadElementScores), readResponsesErr,
		} {
			if err := read("f.csv", bytes.NewReader(b)); err != nil {
				wantLocated(t, err)
			}
		}
	})
}
