package web

import (
	"slices"
	"testing"
)

// TestSmallGroups: a group of fewer than MinGroup candidates is listed
// without its size and left out of the adverse-impact labels; not stated
// ("") is never a group.
func TestSmallGroups(t *testing.T) {
	var labels []string
	for range MinGroup {
		labels = append(labels, "35-44")
	}
	labels = append(labels, "", "", "55 and over")
	for range MinGroup - 1 {
		labels = append(labels, "under 25")
	}
	got := countGroups(labels)
	want := []groupCount{{Group: "35-44", N: MinGroup}, {Group: "55 and over", Small: true}, {Group: "under 25", Small: true}}
	if !slices.Equal(got, want) {
		t.Fatalf("countGroups: %+v, want %+v", got, want)
	}
	kept, small := suppressSmall(labels)
	if !slices.Equal(small, []string{"55 and over", "under 25"}) {
		t.Errorf("suppressed %v", small)
	}
	for i, l := range kept {
		if want := map[string]string{"35-44": "35-44"}[labels[i]]; l != want {
			t.Fatalf("label %d: %q kept as %q, want %q", i, labels[i], l, want)
		}
	}
}
