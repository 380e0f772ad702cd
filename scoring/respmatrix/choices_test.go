package respmatrix

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReadChoicesIQItems(t *testing.T) {
	// 00_iqitems.csv: psychTools::iqitems as R's write.csv writes it (NA = no response).
	c, err := ReadChoicesFile("testdata/00_iqitems.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.NumPersons() != 1525 || c.NumItems() != 16 {
		t.Fatalf("got %d x %d, want 1525 x 16", c.NumPersons(), c.NumItems())
	}
	if got := c.Options(0); !slices.Equal(got, []string{"0", "1", "2", "3", "4", "5", "6"}) {
		t.Errorf("reason.4 options %q", got)
	}
	key, err := ReadKeyFile("testdata/iqitems_key.csv")
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Score(key)
	if err != nil {
		t.Fatal(err)
	}
	// First data row: 3,3,6,3,5,3,5,2,4,3,4,4,5,6,5,5 against keys 4,4,4,6,6,3,4,4,5,2,2,4,3,2,6,7.
	want := []int8{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}
	if !slices.Equal(m.Row(0), want) {
		t.Errorf("row 1 scored %v, want %v", m.Row(0), want)
	}
	// Missing stays missing: the row "NA,4,NA,..." has reason.4 missing.
	missing := 0
	for p := range m.NumPersons() {
		if m.At(p, 0) == Missing {
			missing++
		}
	}
	if missing != 1525-1523 { // psych's n for reason.4 is 1523 (02_iqitems_item_stats.csv)
		t.Errorf("reason.4 missing %d, want 2", missing)
	}
}

func TestChoicesOrderAndKeyErrors(t *testing.T) {
	c, err := ReadChoices(strings.NewReader("q\nB\n10\n2\nA\n\n"), "c.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Options(0); !slices.Equal(got, []string{"2", "10", "A", "B"}) {
		t.Errorf("options %q", got)
	}
	if c.At(0, 0) != 3 || c.At(1, 0) != 1 {
		t.Errorf("cells not renumbered: %d %d", c.At(0, 0), c.At(1, 0))
	}
	if _, err := c.Score(map[string]string{}); !errors.Is(err, ErrKey) {
		t.Errorf("unkeyed item: err = %v", err)
	}
	m, err := c.Score(map[string]string{"q": "Z"}) // key never chosen: everyone wrong
	if err != nil || m.At(0, 0) != 0 {
		t.Errorf("key never chosen: %v %v", m, err)
	}
	for _, in := range []string{"", "a,b\nq,1\n", "item,key\nq,\n", "item,key\nq,1\nq,2\n"} {
		if _, err := ReadKey(strings.NewReader(in), "k.csv"); err == nil {
			t.Errorf("ReadKey(%q) accepted", in)
		}
	}
}
