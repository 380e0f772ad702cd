package respmatrix

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReadRaschdat1(t *testing.T) {
	// 00_raschdat1.csv: eRm's raschdat1 as written by R's write.csv (quoted headers).
	m, err := ReadFile("testdata/00_raschdat1.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.NumPersons() != 100 || m.NumItems() != 30 {
		t.Fatalf("got %d x %d, want 100 x 30", m.NumPersons(), m.NumItems())
	}
	if m.Items[0] != "I1" || m.Items[29] != "I30" || m.Persons[0] != "1" || m.Persons[99] != "100" {
		t.Errorf("labels: items %q..%q persons %q..%q", m.Items[0], m.Items[29], m.Persons[0], m.Persons[99])
	}
	// Row 1 of the file: only I8 is 1.
	for i, c := range m.Row(0) {
		want := int8(0)
		if i == 7 {
			want = 1
		}
		if c != want {
			t.Errorf("row 1 item %d = %d, want %d", i+1, c, want)
		}
	}
}

func TestReadLayouts(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		opt     Options
		persons []string
		items   []string
		cells   []int8
		groups  map[string][]string
	}{
		{
			name: "plain", in: "a,b\n1,0\n0,1\n",
			persons: []string{"1", "2"}, items: []string{"a", "b"}, cells: []int8{1, 0, 0, 1},
		},
		{
			name: "crlf quoted missing", in: "\"person\",\"a\",\"b\"\r\np1,1,\r\np2,NA,0\r\n",
			persons: []string{"p1", "p2"}, items: []string{"a", "b"}, cells: []int8{1, Missing, Missing, 0},
		},
		{
			name: "group column and spaces", in: "\ufeffperson, a ,band,b\np1, 1 ,old,0\np2,0,young, 1\n",
			opt:     Options{GroupColumns: []string{"band"}},
			persons: []string{"p1", "p2"}, items: []string{"a", "b"}, cells: []int8{1, 0, 0, 1},
			groups: map[string][]string{"band": {"old", "young"}},
		},
		{
			name: "no trailing newline, trailing CR", in: "a\n1\n0\r",
			persons: []string{"1", "2"}, items: []string{"a"}, cells: []int8{1, 0},
		},
		{
			name: "header only", in: "a,b\n",
			items: []string{"a", "b"}, cells: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Read(strings.NewReader(tc.in), "t.csv", tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.Persons, tc.persons) || !slices.Equal(m.Items, tc.items) {
				t.Errorf("persons %q items %q", m.Persons, m.Items)
			}
			var cells []int8
			for p := range m.NumPersons() {
				cells = append(cells, m.Row(p)...)
			}
			if !slices.Equal(cells, tc.cells) {
				t.Errorf("cells %v, want %v", cells, tc.cells)
			}
			for g, want := range tc.groups {
				if !slices.Equal(m.Groups[g], want) {
					t.Errorf("group %s = %q, want %q", g, m.Groups[g], want)
				}
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  Options
		err  error
		line int
		col  string
	}{
		{"empty", "", Options{}, ErrEmpty, 0, ""},
		{"bad cell", "a,b\n1,0\n0,2\n", Options{}, ErrCell, 3, "b"},
		{"ragged", "a,b\n1,0\n1\n", Options{}, ErrRagged, 3, ""},
		{"duplicate item", "a,a\n1,0\n", Options{}, ErrDuplicateColumn, 1, "a"},
		{"unnamed column", "a,\n1,0\n", Options{}, ErrHeader, 1, ""},
		{"no items", "person\np1\n", Options{}, ErrNoItems, 1, ""},
		{"missing group", "a,b\n1,0\n", Options{GroupColumns: []string{"band"}}, ErrGroupColumn, 1, "band"},
		{"duplicate person", "person,a\np1,1\np1,0\n", Options{}, ErrDuplicatePerson, 3, "person"},
		{"empty person", "person,a\np1,1\n,0\n", Options{}, ErrHeader, 3, "person"},
		{"person not first", "a,person\n1,p1\n", Options{}, ErrHeader, 1, "person"},
		{"bare quote", "a,b\n1,0\n\"1,0\n", Options{}, ErrSyntax, 3, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "t.csv", tc.opt)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err %T is not a *ParseError", err)
			}
			if pe.File != "t.csv" || pe.Line != tc.line || pe.Column != tc.col {
				t.Errorf("located at %s:%d %q, want t.csv:%d %q (%v)", pe.File, pe.Line, pe.Column, tc.line, tc.col, err)
			}
		})
	}
}

func TestJoinGroups(t *testing.T) {
	m, err := Read(strings.NewReader("person,a\np1,1\np2,0\n"), "r.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	cand := "age_band,person,employer\n40_plus,p2,Leeds\nunder_40,p1,Bury\nunder_40,p3,Wigan\n"
	j, err := JoinGroups(m, strings.NewReader(cand), "c.csv", []string{"age_band", "employer"})
	if err != nil {
		t.Fatal(err)
	}
	if got := j.Groups["age_band"]; !slices.Equal(got, []string{"under_40", "40_plus"}) {
		t.Errorf("age_band = %q", got)
	}
	if got := j.Groups["employer"]; !slices.Equal(got, []string{"Bury", "Leeds"}) {
		t.Errorf("employer = %q", got)
	}
	if m.Groups != nil {
		t.Error("JoinGroups modified its input")
	}

	errs := []struct {
		name, in string
		err      error
	}{
		{"unknown person", "person,age_band\np1,x\n", ErrUnknownPerson},
		{"no person column", "id,age_band\np1,x\n", ErrNoPersonColumn},
		{"no group column", "person,band\np1,x\n", ErrGroupColumn},
		{"duplicate", "person,age_band\np1,x\np1,y\np2,z\n", ErrDuplicatePerson},
		{"ragged", "person,age_band\np1\n", ErrRagged},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := JoinGroups(m, strings.NewReader(tc.in), "c.csv", []string{"age_band"})
			if !errors.Is(err, tc.err) {
				t.Errorf("err = %v, want %v", err, tc.err)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add("a,b\n1,0\n0,1\n", false)
	f.Add("\"person\",\"a\",\"g\"\r\np1,1,x\r\np2,,y\r\n", true)
	f.Add("a\n2\n", false)
	f.Add("a,b\n1,0.5\n0,2.0\n", false)
	f.Add("person,a,a\n", false)
	f.Fuzz(func(t *testing.T, in string, group bool) {
		var opt Options
		if group {
			opt.GroupColumns = []string{"g"}
		}
		m, err := Read(strings.NewReader(in), "f.csv", opt)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f.csv" {
				t.Fatalf("error %v is not a located *ParseError", err)
			}
			return
		}
		if len(m.Items) == 0 {
			t.Fatal("matrix with no items")
		}
		for p := range m.NumPersons() {
			for _, c := range m.Row(p) {
				if c != 0 && c != 1 && c != Missing {
					t.Fatalf("cell %d", c)
				}
			}
		}
		for _, g := range opt.GroupColumns {
			if len(m.Groups[g]) != m.NumPersons() {
				t.Fatalf("group %s has %d labels for %d persons", g, len(m.Groups[g]), m.NumPersons())
			}
		}
	})
}
