package respmatrix

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestOmittedVersusWrong reads a 9 (presented, left unanswered) as a 0 that
// remembers the omission, apart from a wrong answer and from an item not
// presented, on both the fast and the careful path.
func TestOmittedVersusWrong(t *testing.T) {
	tests := []struct {
		name, in string
		cells    []int8
		omitted  []bool
		omits    []int // per item
	}{
		{"fast", "person,a,b,c\np1,1,9,\np2,0,9,9\n",
			[]int8{1, 0, Missing, 0, 0, 0}, []bool{false, true, false, false, true, true}, []int{0, 2, 1}},
		{"careful (quoted, spaced)", "\"person\",\"a\",\"b\",\"c\"\np1, 1 ,9,NA\np2,0, 9 ,\"9\"\n",
			[]int8{1, 0, Missing, 0, 0, 0}, []bool{false, true, false, false, true, true}, []int{0, 2, 1}},
		{"no omissions", "a,b\n1,0\n", []int8{1, 0}, []bool{false, false}, []int{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Read(strings.NewReader(tc.in), "t.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			var cells []int8
			var omitted []bool
			for p := range m.NumPersons() {
				cells = append(cells, m.Row(p)...)
				for i := range m.NumItems() {
					omitted = append(omitted, m.IsOmitted(p, i))
				}
			}
			var omits []int
			for i := range m.NumItems() {
				omits = append(omits, m.Omissions(i))
			}
			if !slices.Equal(cells, tc.cells) || !slices.Equal(omitted, tc.omitted) || !slices.Equal(omits, tc.omits) {
				t.Errorf("cells %v omitted %v omissions %v, want %v %v %v", cells, omitted, omits, tc.cells, tc.omitted, tc.omits)
			}
		})
	}
	for _, bad := range []string{"a\n8\n", "a\n99\n", "a\nO\n"} {
		if _, err := Read(strings.NewReader(bad), "t.csv", Options{}); !errors.Is(err, ErrCell) {
			t.Errorf("Read(%q): err = %v, want ErrCell", bad, err)
		}
	}
}

func TestChoicesOmitted(t *testing.T) {
	c, err := ReadChoices(strings.NewReader("person,q1,q2\np1,a,a+d\np2,-,-\np3,b,\n"), "c.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Omissions(0) != 1 || c.Omissions(1) != 1 {
		t.Errorf("omissions %d %d, want 1 1", c.Omissions(0), c.Omissions(1))
	}
	m, err := c.Score(map[string]string{"q1": "a", "q2": "a+d"})
	if err != nil {
		t.Fatal(err)
	}
	want := []int8{1, 1, 0, 0, 0, Missing}
	var got []int8
	for p := range m.NumPersons() {
		got = append(got, m.Row(p)...)
	}
	if !slices.Equal(got, want) || !m.IsOmitted(1, 0) || !m.IsOmitted(1, 1) || m.IsOmitted(2, 0) {
		t.Errorf("scored %v, omitted p2 %v %v p3 %v", got, m.IsOmitted(1, 0), m.IsOmitted(1, 1), m.IsOmitted(2, 0))
	}
}

func TestCheckItems(t *testing.T) {
	bank := map[string]bool{"K-001": true, "K-002": true, "1a": true}
	known := func(id string) bool { return bank[id] }
	tests := []struct {
		name  string
		items []string
		want  []string // substrings of the error; nil: no error
		hint  bool     // the error says how to read the file in R
	}{
		{"all known", []string{"K-001", "1a"}, nil, false},
		{"renamed by R", []string{"K.001", "K-002"}, []string{"1 of 2 item columns not in the bank: K.001", "K.001 looks like R's name for K-001", "check.names = FALSE"}, true},
		{"X prefix", []string{"X1a"}, []string{"X1a looks like R's name for 1a"}, true},
		{"new items", []string{"Q9", "Q10"}, []string{"2 of 2 item columns not in the bank: Q9, Q10"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckItems("r.csv", tc.items, "the bank", known)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrUnknownItem) {
				t.Fatalf("err = %v, want ErrUnknownItem", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v: want %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "check.names") != tc.hint {
				t.Errorf("hint wrong: %v", err)
			}
		})
	}
	many := make([]string, 25)
	for i := range many {
		many[i] = "N" + strings.Repeat("x", i+1)
	}
	if err := CheckItems("r.csv", many, "the bank", known); err == nil || !strings.Contains(err.Error(), "and 5 more") {
		t.Errorf("25 unknown: %v", err)
	}
}

// FuzzOmitted checks that every omission Read reports is a 0 cell and that
// the per-item counts agree with the cells.
func FuzzOmitted(f *testing.F) {
	f.Add([]byte("person,a,b\np1,9,1\np2,0,9\n"))
	f.Add([]byte("a\r\n 9 \r\nNA\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data), "f", Options{})
		if err != nil {
			return
		}
		for i := range m.NumItems() {
			n := 0
			for p := range m.NumPersons() {
				if m.IsOmitted(p, i) {
					n++
					if m.At(p, i) != 0 {
						t.Fatalf("omitted cell (%d,%d) holds %d", p, i, m.At(p, i))
					}
				}
			}
			if n != m.Omissions(i) {
				t.Fatalf("item %d: %d omitted cells, Omissions %d", i, n, m.Omissions(i))
			}
		}
	})
}
