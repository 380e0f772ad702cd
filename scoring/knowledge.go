package scoring

import (
	"encoding/csv"
	"io"
	"slices"
	"sort"

	"github.com/accredit/accredit/engine/content"
)

// Result is the score of one knowledge-test attempt. Items are scored 1 or 0:
// a single-best-answer item is correct when the chosen option is the key; a
// multiple-response item when the chosen set equals the key set exactly.
type Result struct {
	Raw      int                  `json:"raw"`      // items correct
	Max      int                  `json:"max"`      // items presented
	Answered int                  `json:"answered"` // items with any option chosen
	Domains  map[string]Subscore  `json:"domains"`  // by domain id
	Items    map[string]ItemScore `json:"items"`    // by item id
}

// Subscore is a raw score within one domain.
type Subscore struct {
	Raw int `json:"raw"`
	Max int `json:"max"`
}

// ItemScore is one item's outcome: 1 or 0.
type ItemScore int

// Correct reports whether chosen answers item it correctly.
func Correct(it *content.Item, chosen []string) bool {
	if len(chosen) != len(it.Key) {
		return false
	}
	a, b := slices.Clone(chosen), slices.Clone(it.Key)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

// Knowledge scores an attempt: items are those presented, answers maps item
// id to the chosen option ids (absent or empty: not answered, scored 0).
func Knowledge(items []*content.Item, answers map[string][]string) Result {
	r := Result{Max: len(items), Domains: map[string]Subscore{}, Items: make(map[string]ItemScore, len(items))}
	for _, it := range items {
		d := r.Domains[it.Domain]
		d.Max++
		chosen := answers[it.ID]
		if len(chosen) > 0 {
			r.Answered++
		}
		var s ItemScore
		if Correct(it, chosen) {
			s = 1
			r.Raw++
			d.Raw++
		}
		r.Items[it.ID] = s
		r.Domains[it.Domain] = d
	}
	return r
}

// MatrixRow is one person's scored items for WriteMatrix.
type MatrixRow struct {
	Person string
	Items  map[string]ItemScore // items presented to the person; absent = not presented
}

// WriteMatrix writes a response matrix as CSV: a header "person" and the item
// ids, then one row per person with 1, 0, or an empty cell where the item was
// not presented. It is the input format of `accredit analyse`.
func WriteMatrix(w io.Writer, itemIDs []string, rows []MatrixRow) error {
	cw := csv.NewWriter(w)
	rec := append([]string{"person"}, itemIDs...)
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, row := range rows {
		rec = rec[:0]
		rec = append(rec, row.Person)
		for _, id := range itemIDs {
			s, ok := row.Items[id]
			switch {
			case !ok:
				rec = append(rec, "")
			case s == 1:
				rec = append(rec, "1")
			default:
				rec = append(rec, "0")
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
