package scoring

import (
	"encoding/csv"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/accredit/accredit/engine/content"
)

// Result is the score of one knowledge-test attempt. Each item scores what
// content.Item.Points gives: by default 1 when a single-best-answer item's
// chosen option is the key, or a multiple-response item's chosen set equals
// the key set exactly, and 0 otherwise; an item with partial credit
// (content.Scoring) scores a share of its maximum. Raw sums the item scores.
type Result struct {
	Raw      float64              `json:"raw"`      // sum of item scores
	Max      float64              `json:"max"`      // sum of the presented items' maximum scores
	Answered int                  `json:"answered"` // items with any option chosen
	Domains  map[string]Subscore  `json:"domains"`  // by domain id
	Items    map[string]ItemScore `json:"items"`    // by item id
}

// Subscore is a raw score within one domain.
type Subscore struct {
	Raw float64 `json:"raw"`
	Max float64 `json:"max"`
}

// ItemScore is one item's score: 1 or 0, or a share of the item's maximum
// for an item with partial credit.
type ItemScore float64

// Correct reports whether chosen is exactly the key of it.
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
	r := Result{Domains: map[string]Subscore{}, Items: make(map[string]ItemScore, len(items))}
	for _, it := range items {
		d := r.Domains[it.Domain]
		top := it.MaxPoints()
		r.Max += top
		d.Max += top
		chosen := answers[it.ID]
		if len(chosen) > 0 {
			r.Answered++
		}
		s := it.Points(chosen)
		r.Raw += s
		d.Raw += s
		r.Items[it.ID] = ItemScore(s)
		r.Domains[it.Domain] = d
	}
	return r
}

// Dichotomous reports whether an item scores only 0 or 1 (no partial
// credit): the analyses that model right and wrong (Rasch, item
// discrimination, distractors) leave the others out.
func Dichotomous(it *content.Item) bool {
	return it.Scoring == nil || len(it.Scoring.Map) == 0 && it.Scoring.Points == 1
}

// FormatScore writes an item's score as a response-matrix cell: 1 or 0 for
// a dichotomous item, and for an item with partial credit always with a
// decimal point (0.5, 2.0, 0.0), which respmatrix reads as a partial score
// and leaves out of the analyses of right and wrong.
func FormatScore(it *content.Item, s ItemScore) string {
	v := strconv.FormatFloat(float64(s), 'f', -1, 64)
	if !Dichotomous(it) && !strings.Contains(v, ".") {
		v += ".0"
	}
	return v
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
			default:
				rec = append(rec, strconv.FormatFloat(float64(s), 'g', -1, 64))
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
