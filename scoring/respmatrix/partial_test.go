package respmatrix

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestPartialColumnsLeftOut: the engine exports an item with partial
// credit as its scores with a decimal point (0.5, 2.0, 0.0); the matrix leaves that column out and
// names it, and keeps every other cell, omissions included.
func TestPartialColumnsLeftOut(t *testing.T) {
	in := "person,q1,p1,q2\nc1,1,0.5,9\nc2,0,2.0,1\nc3,,0.0,0\n"
	m, err := Read(strings.NewReader(in), "r.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Items, []string{"q1", "q2"}) || !slices.Equal(m.Partial, []string{"p1"}) {
		t.Fatalf("items %v, partial %v", m.Items, m.Partial)
	}
	want := [][]int8{{1, 0}, {0, 1}, {Missing, 0}}
	for p, row := range want {
		if !slices.Equal(m.Row(p), row) {
			t.Errorf("row %d = %v, want %v", p, m.Row(p), row)
		}
	}
	if !m.IsOmitted(0, 1) || m.Omissions(1) != 1 {
		t.Errorf("omission of c1 on q2 lost")
	}
	for _, bad := range []string{"person,q1\nc1,-1.0\n", "person,q1\nc1,x\n", "person,q1\nc1,2\n"} {
		if _, err := Read(strings.NewReader(bad), "r.csv", Options{}); !errors.Is(err, ErrCell) {
			t.Errorf("%q: err %v, want a cell error", bad, err)
		}
	}
	if _, err := Read(strings.NewReader("person,p1\nc1,0.5\n"), "r.csv", Options{}); !errors.Is(err, ErrNoItems) {
		t.Errorf("only partial columns: err %v", err)
	}
}
