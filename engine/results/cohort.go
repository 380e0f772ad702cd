package results

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Window is a sitting window: the cohort of everyone whose Candidate.Start
// falls in [From, To). Outcomes are released window by window.
type Window struct {
	ID   string    `json:"id"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Holds reports whether t falls in the window.
func (w Window) Holds(t time.Time) bool { return !t.Before(w.From) && t.Before(w.To) }

// validateWindows checks that windows have ids, unique, and do not
// overlap.
func validateWindows(ws []Window) []string {
	var errs []string
	seen := map[string]bool{}
	sorted := slices.Clone(ws)
	slices.SortFunc(sorted, func(a, b Window) int { return a.From.Compare(b.From) })
	for i, w := range sorted {
		switch {
		case strings.TrimSpace(w.ID) == "" || strings.ContainsAny(w.ID, "/ "):
			errs = append(errs, fmt.Sprintf("window %q: want an id without spaces or slashes", w.ID))
		case seen[w.ID]:
			errs = append(errs, fmt.Sprintf("window %q is given twice", w.ID))
		case !w.From.Before(w.To):
			errs = append(errs, fmt.Sprintf("window %s: from must be before to", w.ID))
		case i > 0 && w.From.Before(sorted[i-1].To):
			errs = append(errs, fmt.Sprintf("windows %s and %s overlap", sorted[i-1].ID, w.ID))
		}
		seen[w.ID] = true
	}
	return errs
}

// windowOf returns the window holding t.
func windowOf(ws []Window, t time.Time) (Window, bool) {
	for _, w := range ws {
		if w.Holds(t) {
			return w, true
		}
	}
	return Window{}, false
}
