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

// key scores every response and keeps the item only when exactly one
// response scores 1 and every other 0, which is what content represents.
func (q *qtiItem) key(s *scorer, fr *FileReport) *refusal {
	id := q.item.ID
	var key []string
	best := math.Inf(-1)
	rs := q.responses()
	if cost := len(rs) * (1 + size(s.rp)); cost > maxEvalCost {
		return refuse(ReasonUnrepresentable, "item %s: checking its processing on all %d responses is too much work", id, len(rs))
	}
	for _, r := range rs {
		v := s.score(r)
		best = math.Max(best, v)
		switch {
		case len(r) == 0 && math.Abs(v) > eps:
			return refuse(ReasonUnrepresentable, "item %s scores %g when not answered; content scores that 0", id, v)
		case math.Abs(v) <= eps:
		case math.Abs(v-1) > eps:
			return refuse(ReasonUnrepresentable, "item %s scores %g for %s; content scores an item 1 for its key and 0 otherwise", id, v, braces(r))
		case key != nil:
			return refuse(ReasonUnrepresentable, "item %s scores 1 for both %s and %s; content scores one response 1 (its key) and every other 0", id, braces(key), braces(r))
		default:
			key = r
		}
	}
	q.report.MaxScore = math.Max(best, 0)
	if key == nil {
		return refuse(ReasonNoKey, "item %s: no response scores above 0", id)
	}
	if len(s.correct) > 0 && !sameSet(key, s.correct) {
		fr.warn("the response that scores 1 is %s, not the correct response %s", braces(key), braces(s.correct))
	} else if len(s.correct) > 0 {
		key = s.correct
	}
	return q.fit(key, fr)
}

// fit sets the content type, key and select.
func (q *qtiItem) fit(key []string, fr *FileReport) *refusal {
	r, it := &q.report, &q.item
	it.Key = key
	if len(key) == 1 {
		it.Type = content.SingleBest
		if r.Cardinality == "multiple" {
			fr.warn("multiple cardinality with one keyed choice: delivered as single choice; every other response scores 0 either way")
		}
		return nil
	}
	if len(key) >= len(r.Choices) {
		return refuse(ReasonUnrepresentable, "item %s keys all %d choices; a content item keys fewer than its options", it.ID, len(key))
	}
	it.Type, it.Select = content.MultipleResponse, len(key)
	if r.MaxChoices != len(key) {
		hi := "any number"
		if r.MaxChoices > 0 {
			hi = strconv.Itoa(r.MaxChoices)
		}
		fr.warn("delivered as choose up to %d (the source allows up to %s); responses of other sizes score 0 either way", len(key), hi)
	}
	if r.MinChoices > 1 {
		fr.warn("minimum of %d choices not enforced: a candidate may choose fewer, which scores 0 either way", r.MinChoices)
	}
	return nil
}

func braces(ids []string) string { return "{" + strings.Join(ids, ",") + "}" }
