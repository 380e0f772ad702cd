package respmatrix

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// slowRead parses with encoding/csv only, for comparison with readFast.
func slowRead(data []byte, opt Options) (*Matrix, error) {
	t, err := newTable(bytes.NewReader(data), "f", opt)
	if err != nil {
		return nil, err
	}
	rs := newRows(len(t.lay.groups))
	var cells []int8
	for {
		rec, line, err := t.next()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			return nil, err
		}
		if err := rs.add(t, rec, line); err != nil {
			return nil, err
		}
		for _, j := range t.lay.items {
			c, ok := parseCell(rec[j])
			if !ok {
				return nil, fmt.Errorf("cell %q", rec[j])
			}
			cells = append(cells, c)
		}
	}
	m := New(rs.persons, t.lay.itemNames(), cells)
	m.Groups = rs.groupMap(t.lay.groupName)
	return m, nil
}

func sameMatrix(a, b *Matrix) bool {
	return slices.Equal(a.Persons, b.Persons) && slices.Equal(a.Items, b.Items) &&
		slices.Equal(a.cells, b.cells) && reflect.DeepEqual(a.Groups, b.Groups) &&
		slices.Equal(a.omitted, b.omitted) && slices.Equal(a.omits, b.omits)
}

func TestFastMatchesCareful(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("person,\"I 1\",I2,I3,band\r\n")
	for p := range 500 {
		fmt.Fprintf(&b, "p%d", p)
		for range 3 {
			b.WriteString([]string{",1", ",0", ",", ", 1", ",NA", ",9"}[rng.IntN(6)])
		}
		fmt.Fprintf(&b, ",%s\r\n", []string{"a", "b"}[p%2])
	}
	data := []byte(b.String())
	opt := Options{GroupColumns: []string{"band"}}
	fast, ok := readFast(data, "f", opt)
	if !ok {
		t.Fatal("fast path refused a well-formed file")
	}
	slow, err := slowRead(data, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !sameMatrix(fast, slow) {
		t.Fatal("fast and careful paths disagree")
	}
	ref, err := os.ReadFile("testdata/00_raschdat1.csv") // quoted header, as R writes it
	if err != nil {
		t.Fatal(err)
	}
	rf, ok := readFast(ref, "r", Options{})
	rs, serr := slowRead(ref, Options{})
	if !ok || serr != nil || !sameMatrix(rf, rs) || rf.NumPersons() != 100 {
		t.Fatalf("reference file: fast ok %v, careful err %v", ok, serr)
	}
}

func TestFastGivesUp(t *testing.T) {
	for _, in := range []string{
		"person,I1\np1,\"1\"\n", // quoted cell
		"person,I1\np1,1,0\n",   // ragged
		"person,I1\np1,2\n",     // bad cell
		"person,I1\n,1\n",       // empty person
		"person,I1\np1,1\np1,0\n",
	} {
		if _, ok := readFast([]byte(in), "f", Options{}); ok {
			t.Errorf("fast path accepted %q", in)
		}
	}
}

// FuzzFastPath checks that whenever the fast path accepts a file, the
// careful path accepts it too and reads the same matrix.
func FuzzFastPath(f *testing.F) {
	f.Add([]byte("person,I1,I2\np1,1,0\np2,,1\n"))
	f.Add([]byte("I1,I2\r\n1,0\r\n\r\n0,NA\r\n"))
	f.Add([]byte("\"person\",\"a,b\",c\np, 1 ,0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := readFast(data, "f", Options{})
		if !ok {
			return
		}
		slow, err := slowRead(data, Options{})
		if err != nil {
			t.Fatalf("fast path accepted what the careful path refuses: %v", err)
		}
		if !sameMatrix(fast, slow) {
			t.Fatal("fast and careful paths disagree")
		}
	})
}
