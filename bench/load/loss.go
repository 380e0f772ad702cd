package load

import "slices"

// Loss is the outcome of comparing acknowledged answers with what the
// server gives back.
type Loss struct {
	Checked   int      // acknowledged items compared
	Missing   []string // acknowledged items the server has no answer for
	Different []string // items whose answer is not the last one acknowledged
}

// Lost is the number of acknowledged answers missing or different.
func (l Loss) Lost() int { return len(l.Missing) + len(l.Different) }

// CompareAnswers compares acked, the last acknowledged options of each
// item, with got, the answers of the attempt message read back. The options
// of an answer are a set (docs/protocol.md), so order does not matter; an
// acknowledged empty answer (cleared) matches an absent one. Items are
// reported in sorted order.
func CompareAnswers(acked, got map[string][]string) Loss {
	var l Loss
	ids := make([]string, 0, len(acked))
	for id := range acked {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		want := acked[id]
		l.Checked++
		have, ok := got[id]
		switch {
		case !ok && len(want) > 0:
			l.Missing = append(l.Missing, id)
		case !sameSet(want, have):
			l.Different = append(l.Different, id)
		}
	}
	return l
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
