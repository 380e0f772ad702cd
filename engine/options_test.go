package engine

import (
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// TestFixedOptionsKeepTheirPlace: with shuffle_options, a fixed option
// (QTI's fixed choice, such as "none of these" last) is in its own place in
// every candidate's order while the others move.
func TestFixedOptionsKeepTheirPlace(t *testing.T) {
	it := &content.Item{ID: "q", Type: content.SingleBest, Stem: "s", Key: []string{"a"}, Options: []content.Option{
		{ID: "a", Text: "a"}, {ID: "top", Text: "t", Fixed: true}, {ID: "b", Text: "b"}, {ID: "c", Text: "c"},
		{ID: "d", Text: "d"}, {ID: "none", Text: "None of these", Fixed: true},
	}}
	lib := &content.Library{Items: map[string]*content.Item{"q": it}}
	f := &content.Form{ID: "f", ShuffleOptions: true, TimeLimit: content.Duration(time.Hour),
		Sections: []content.Section{{ID: "s", Title: "S", Items: []string{"q"}}}}
	fi := newFormIndex(lib, f)
	orders := map[string]bool{}
	for seed := range uint64(200) {
		var ids string
		for _, k := range newLayout(fi, seed).optOrder[0] {
			ids += it.Options[k].ID + " "
		}
		if v := newLayout(fi, seed).view(lib, &Attempt{}); v.Sections[0].Items[0].Options[1].ID != "top" ||
			v.Sections[0].Items[0].Options[5].ID != "none" {
			t.Fatalf("seed %d: order %s moves a fixed option", seed, ids)
		}
		orders[ids] = true
	}
	if len(orders) < 20 { // 4! = 24 orders of the free options
		t.Fatalf("%d distinct orders in 200 seeds; the free options do not shuffle", len(orders))
	}
}

func TestCheckOptionsRange(t *testing.T) {
	it := &content.Item{ID: "q", Type: content.MultipleResponse, Key: []string{"a", "b"}, MinSelect: 2, MaxSelect: 3,
		Options: []content.Option{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}}
	for _, tc := range []struct {
		chosen []string
		ok     bool
	}{
		{[]string{"a"}, true}, // below the range: accepted while building, scores 0
		{[]string{"a", "b", "c"}, true},
		{[]string{"a", "b", "c", "d"}, false},
	} {
		if err := checkOptions(it, tc.chosen); (err == nil) != tc.ok {
			t.Errorf("checkOptions(%v) = %v, want accepted %v", tc.chosen, err, tc.ok)
		}
	}
	if v := itemView(it); v.Select != 3 || v.MinSelect == nil || *v.MinSelect != 2 {
		t.Errorf("view select %d min %v, want 3 and 2", v.Select, v.MinSelect)
	}
}
