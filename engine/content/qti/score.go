package qti

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/accredit/accredit/engine/content"
)

// scorer reads the correct response, the mapping, the outcome defaults and
// the response processing of an item.
func (q *qtiItem) scorer(root, decl *node, rid string, fr *FileReport) (*scorer, *refusal) {
	s := &scorer{respID: rid, outcomes: map[string]float64{}}
	s.correct = values(decl.child("correctResponse"), fr)
	q.report.Correct = s.correct
	if m := decl.child("mapping"); m != nil {
		mp, err := readMapping(m, fr)
		if err != nil {
			return nil, refuse(ReasonMalformedXML, "item %s: mapping: %v", q.item.ID, err)
		}
		s.mapping, q.report.Mapping = mp, mp
	}
	for _, od := range root.all("outcomeDeclaration") {
		if d := values(od.child("defaultValue"), fr); len(d) == 1 {
			if f, err := strconv.ParseFloat(d[0], 64); err == nil {
				s.outcomes[od.attr("identifier")] = f
			}
		}
	}
	rp := root.child("responseProcessing")
	tmpl := ""
	if rp != nil {
		tmpl = rp.attr("template")
		if tmpl == "" {
			tmpl = rp.attr("templateLocation")
		}
	}
	switch {
	case rp == nil && len(s.correct) == 0:
		return nil, refuse(ReasonNoKey, "item %s has no correct response and no response processing", q.item.ID)
	case rp == nil:
		fr.warn("no response processing: scored by match_correct against the correct response")
		s.template = "match_correct"
	case len(rp.Children) > 0:
		if rf := checkRP(rp); rf != nil {
			return nil, rf
		}
		if tmpl != "" {
			fr.warn("response processing has both a template and inline rules; the inline rules are used")
		}
		s.rp = rp
	case tmpl == "":
		return nil, refuse(ReasonNoKey, "item %s: response processing is empty", q.item.ID)
	default:
		s.template = templateName(tmpl)
		if s.template == "" {
			return nil, refuse(ReasonUnknownTemplate, "unknown response processing template %q", tmpl)
		}
	}
	if s.template == "match_correct" && len(s.correct) == 0 {
		return nil, refuse(ReasonNoKey, "item %s: match_correct without a correct response", q.item.ID)
	}
	if s.template == "map_response" && s.mapping == nil {
		return nil, refuse(ReasonNoKey, "item %s: map_response without a mapping", q.item.ID)
	}
	return s, nil
}

func readMapping(m *node, fr *FileReport) (*Mapping, error) {
	mp := &Mapping{}
	num := func(name string) (*float64, error) {
		t := m.attr(name)
		if t == "" {
			return nil, nil
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not a number", name, t)
		}
		return &f, nil
	}
	var err error
	if mp.LowerBound, err = num("lowerBound"); err != nil {
		return nil, err
	}
	if mp.UpperBound, err = num("upperBound"); err != nil {
		return nil, err
	}
	if d, err := num("defaultValue"); err != nil {
		return nil, err
	} else if d != nil {
		mp.Default = *d
	}
	for _, e := range m.all("mapEntry") {
		k := e.attr("mapKey")
		if k != e.Attrs["mapKey"] {
			fr.warn("trimmed white space around map key %q", k)
		}
		v, err := strconv.ParseFloat(e.attr("mappedValue"), 64)
		if err != nil {
			return nil, fmt.Errorf("mapped value %q of %q is not a number", e.attr("mappedValue"), k)
		}
		mp.Entries = append(mp.Entries, MapEntry{Key: k, Value: v})
	}
	return mp, nil
}

// responses lists every response the interaction accepts, the empty one
// first: one choice for single cardinality, every set of min to max
// choices for multiple.
func (q *qtiItem) responses() [][]string {
	ch := q.report.Choices
	out := [][]string{nil}
	if q.report.Cardinality == "single" {
		for _, c := range ch {
			out = append(out, []string{c})
		}
		return out
	}
	lo, hi := max(q.report.MinChoices, 1), q.report.MaxChoices
	if hi == 0 || hi > len(ch) {
		hi = len(ch)
	}
	for mask := 1; mask < 1<<len(ch); mask++ {
		var r []string
		for i, c := range ch {
			if mask&(1<<i) != 0 {
				r = append(r, c)
			}
		}
		if len(r) >= lo && len(r) <= hi {
			out = append(out, r)
		}
	}
	return out
}

const eps = 1e-9

// maxEvalCost bounds responses × processing elements evaluated for one item.
const maxEvalCost = 20_000_000

// size counts the elements below n.
func size(n *node) int {
	if n == nil {
		return 0
	}
	c := len(n.Children)
	for _, k := range n.Children {
		c += size(k)
	}
	return c
}

// key scores every response and finds the content scoring that gives the
// same score to each: 1 (or another number of points) for one response
// and 0 for every other, or a map of option values with bounds (partial
// credit). The key is the correct response when it scores the most,
// otherwise the first response that does.
func (q *qtiItem) key(s *scorer, fr *FileReport) *refusal {
	id := q.item.ID
	rs := q.responses()
	if cost := len(rs) * (1 + size(s.rp)); cost > maxEvalCost {
		return refuse(ReasonUnrepresentable, "item %s: checking its processing on all %d responses is too much work", id, len(rs))
	}
	scores := make([]float64, len(rs))
	best, tops := math.Inf(-1), 0
	for i, r := range rs {
		v := s.score(r)
		scores[i] = v
		switch {
		case len(r) == 0 && math.Abs(v) > eps:
			return refuse(ReasonUnrepresentable, "item %s scores %g when not answered; content scores that 0", id, v)
		case v < -eps:
			return refuse(ReasonUnrepresentable, "item %s scores %g for %s; content scores no answer below 0", id, v, braces(r))
		case v > best+eps:
			best, tops = v, 1
		case math.Abs(v-best) <= eps:
			tops++
		}
	}
	q.report.MaxScore = math.Max(best, 0)
	if best <= eps {
		return refuse(ReasonNoKey, "item %s: no response scores above 0", id)
	}
	var key []string
	for i, r := range rs {
		if math.Abs(scores[i]-best) <= eps && (key == nil || sameSet(r, s.correct)) {
			key = r
		}
	}
	if len(s.correct) > 0 && !sameSet(key, s.correct) {
		fr.warn("the response that scores the most is %s, not the correct response %s", braces(key), braces(s.correct))
	} else if len(s.correct) > 0 {
		key = s.correct
	}
	whole := q.allOrNothing(scores, best, tops)
	q.fit(key, whole)
	switch {
	case !whole:
		q.item.Scoring = q.partial(s)
	case len(key) >= len(q.report.Choices):
		return refuse(ReasonUnrepresentable, "item %s keys all %d choices; a content item keys fewer than its options", id, len(key))
	case math.Abs(best-1) > eps:
		q.item.Scoring = &content.Scoring{Points: best}
	}
	return q.verify(rs, scores)
}

// allOrNothing reports whether one response scores best and every other 0.
func (q *qtiItem) allOrNothing(scores []float64, best float64, tops int) bool {
	if tops != 1 {
		return false
	}
	for _, v := range scores {
		if math.Abs(v) > eps && math.Abs(v-best) > eps {
			return false
		}
	}
	return true
}

// partial is the map that gives partial credit: the item's own mapping,
// or for processing without one each choice's score on its own (additive
// processing such as a sum of conditions).
func (q *qtiItem) partial(s *scorer) *content.Scoring {
	sc := &content.Scoring{}
	if m := s.mapping; m != nil {
		sc.Default, sc.LowerBound, sc.UpperBound = m.Default, m.LowerBound, m.UpperBound
		for _, c := range q.report.Choices {
			v := m.Default
			for _, e := range m.Entries {
				if e.Key == c {
					v = e.Value
					break
				}
			}
			if v != m.Default {
				sc.Map = append(sc.Map, content.OptionValue{Option: c, Value: v})
			}
		}
	} else {
		for _, c := range q.report.Choices {
			if v := s.score([]string{c}); math.Abs(v) > eps {
				sc.Map = append(sc.Map, content.OptionValue{Option: c, Value: v})
			}
		}
	}
	if len(sc.Map) == 0 { // every choice is worth the default
		sc.Map = append(sc.Map, content.OptionValue{Option: q.report.Choices[0], Value: sc.Default})
	}
	return sc
}

// verify holds the content item to the item's own processing: every
// response scores the same under both, or the item is refused with the
// first response that differs.
func (q *qtiItem) verify(rs [][]string, scores []float64) *refusal {
	for i, r := range rs {
		if got := q.item.Points(r); math.Abs(got-scores[i]) > 1e-6 {
			return refuse(ReasonUnrepresentable, "item %s scores %g for %s, which content's scoring (the key, or a sum of option values within bounds) cannot give: it would score %g",
				q.item.ID, scores[i], braces(r), got)
		}
	}
	return nil
}

// fit sets the content type, key and choice range. An item scored by its
// key alone (whole) whose range ends at the key's size is delivered as
// "choose Select": every smaller answer scores 0 under either.
func (q *qtiItem) fit(key []string, whole bool) {
	r, it := &q.report, &q.item
	it.Key = key
	if r.Cardinality == "single" {
		it.Type = content.SingleBest
		return
	}
	lo, hi := r.MinChoices, r.MaxChoices
	if hi == 0 || hi > len(r.Choices) {
		hi = len(r.Choices)
	}
	switch {
	case hi == 1:
		it.Type = content.SingleBest
	case whole && hi == len(key) && len(key) >= 2:
		it.Type, it.Select = content.MultipleResponse, len(key)
	default:
		it.Type, it.MinSelect, it.MaxSelect = content.MultipleResponse, min(lo, hi), hi
	}
}

func braces(ids []string) string { return "{" + strings.Join(ids, ",") + "}" }
