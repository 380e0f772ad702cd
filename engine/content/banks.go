package content

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// where is the place an id was first defined, for duplicate messages.
type where struct{ file, path string }

// define checks id at file/path.id and records it as the first definition of
// a kind of thing; it reports false if the id is bad or already taken.
func (l *loader) define(defs map[string]where, kind, id, file, path string) bool {
	idPath := join(path, "id")
	if msg := checkID(id); msg != "" {
		l.errs.Add(ErrInvalid, file, idPath, "%s", msg)
		return false
	}
	if w, dup := defs[id]; dup {
		l.errs.Add(ErrDuplicate, file, idPath, "%s id %q is already used in %s at %s", kind, id, w.file, w.path)
		return false
	}
	defs[id] = where{file, idPath}
	return true
}

// require reports a missing text field.
func (l *loader) require(value, file, path string) {
	if strings.TrimSpace(value) == "" {
		l.errs.Add(ErrInvalid, file, path, "missing")
	}
}

// join appends a field name to a path.
func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// checkBanks indexes domains and cases from every bank first, since items may
// use those defined in another file, then checks the items.
func (l *loader) checkBanks() {
	domains, cases, items := map[string]where{}, map[string]where{}, map[string]where{}
	for fi := range l.banks {
		f := &l.banks[fi]
		for i := range f.Value.Domains {
			d, p := &f.Value.Domains[i], fmt.Sprintf("domains[%d]", i)
			if l.define(domains, "domain", d.ID, f.Name, p) {
				l.lib.Domains[d.ID] = d
			}
			l.require(d.Title, f.Name, join(p, "title"))
		}
		for i := range f.Value.Cases {
			c, p := &f.Value.Cases[i], fmt.Sprintf("cases[%d]", i)
			if l.define(cases, "case", c.ID, f.Name, p) {
				l.lib.Cases[c.ID] = c
			}
			l.require(c.Title, f.Name, join(p, "title"))
			l.require(c.Text, f.Name, join(p, "text"))
			l.checkRich("case:"+c.ID, c.HTML, f.Name, join(p, "html"))
			l.checkStyles("case:"+c.ID, c.Stylesheets, f.Name, p)
		}
	}
	for fi := range l.banks {
		f := &l.banks[fi]
		for i := range f.Value.Items {
			it, p := &f.Value.Items[i], fmt.Sprintf("items[%d]", i)
			if l.define(items, "item", it.ID, f.Name, p) {
				l.lib.Items[it.ID] = it
			}
			l.checkItem(f.Name, p, it)
		}
	}
}

func (l *loader) checkItem(file, p string, it *Item) {
	l.require(it.Stem, file, join(p, "stem"))
	if !validStatus(it.Status) {
		l.errs.Add(ErrInvalid, file, join(p, "status"), "%q is not draft, live or retired", it.Status)
	}
	switch {
	case it.Domain == "":
		l.errs.Add(ErrInvalid, file, join(p, "domain"), "missing")
	case l.lib.Domains[it.Domain] == nil:
		l.errs.Add(ErrReference, file, join(p, "domain"), "domain %q is not defined in any item bank", it.Domain)
	}
	if it.Case != "" && l.lib.Cases[it.Case] == nil {
		l.errs.Add(ErrReference, file, join(p, "case"), "case %q is not defined in any item bank", it.Case)
	}
	l.checkRich("item:"+it.ID, it.StemHTML, file, join(p, "stem_html"))
	l.checkStyles("item:"+it.ID, it.Stylesheets, file, p)
	l.checkOptions(file, p, it)
	l.checkKey(file, p, it)
	l.checkScoring(file, p, it)
}

func (l *loader) checkOptions(file, p string, it *Item) {
	if len(it.Options) < 2 {
		l.errs.Add(ErrInvalid, file, join(p, "options"), "want at least 2 options, got %d", len(it.Options))
	}
	seen := map[string]where{}
	for j, o := range it.Options {
		op := fmt.Sprintf("%s.options[%d]", p, j)
		l.define(seen, "option", o.ID, file, op)
		l.require(o.Text, file, join(op, "text"))
		l.checkRich("item:"+it.ID, o.HTML, file, join(op, "html"))
	}
}

func (l *loader) checkKey(file, p string, it *Item) {
	kp, sp := join(p, "key"), join(p, "select")
	for j, k := range it.Key {
		switch {
		case !slices.ContainsFunc(it.Options, func(o Option) bool { return o.ID == k }):
			l.errs.Add(ErrReference, file, fmt.Sprintf("%s[%d]", kp, j), "%q is not an option of item %q", k, it.ID)
		case slices.Index(it.Key, k) < j:
			l.errs.Add(ErrDuplicate, file, fmt.Sprintf("%s[%d]", kp, j), "option %q is keyed twice", k)
		}
	}
	switch it.Type {
	case SingleBest:
		if len(it.Key) != 1 {
			l.errs.Add(ErrInvalid, file, kp, "a single-best-answer item has exactly 1 key, got %d", len(it.Key))
		}
		if it.Select != 0 && it.Select != 1 {
			l.errs.Add(ErrInvalid, file, sp, "a single-best-answer item selects 1 option, got %d", it.Select)
		}
		if it.MinSelect != 0 || it.MaxSelect != 0 {
			l.errs.Add(ErrInvalid, file, join(p, "max_select"), "a single-best-answer item has no range of options to choose")
		}
	case MultipleResponse:
		if it.MinSelect != 0 || it.MaxSelect != 0 {
			l.checkRange(file, p, it)
			return
		}
		if len(it.Key) < 2 || len(it.Key) >= len(it.Options) {
			l.errs.Add(ErrInvalid, file, kp, "a multiple-response item has at least 2 keys and fewer keys than options, got %d keys and %d options", len(it.Key), len(it.Options))
		}
		if it.Select != len(it.Key) {
			l.errs.Add(ErrInvalid, file, sp, "a multiple-response item asks for as many options as it has keys: select is %d, keys %d", it.Select, len(it.Key))
		}
	default:
		l.errs.Add(ErrInvalid, file, join(p, "type"), "%q is not %q or %q", it.Type, SingleBest, MultipleResponse)
	}
}

// checkRange checks a multiple-response item that gives a range of options
// to choose: 0 <= min_select <= max_select <= options, and a key within it.
func (l *loader) checkRange(file, p string, it *Item) {
	switch {
	case it.Select != 0:
		l.errs.Add(ErrInvalid, file, join(p, "select"), "give select or min_select and max_select, not both")
	case it.MaxSelect < 1 || it.MaxSelect > len(it.Options):
		l.errs.Add(ErrInvalid, file, join(p, "max_select"), "want 1 to %d (the options), got %d", len(it.Options), it.MaxSelect)
	case it.MinSelect < 0 || it.MinSelect > it.MaxSelect:
		l.errs.Add(ErrInvalid, file, join(p, "min_select"), "want 0 to max_select (%d), got %d", it.MaxSelect, it.MinSelect)
	case len(it.Key) < max(it.MinSelect, 1) || len(it.Key) > it.MaxSelect:
		l.errs.Add(ErrInvalid, file, join(p, "key"), "the key has %d options, outside the range %d to %d", len(it.Key), it.MinSelect, it.MaxSelect)
	case len(it.Key) >= len(it.Options) && (it.Scoring == nil || len(it.Scoring.Map) == 0):
		l.errs.Add(ErrInvalid, file, join(p, "key"), "the key holds every option; an item scored by its key needs a wrong option")
	}
}

// checkScoring checks partial credit: mapped options exist, the bounds are
// in order, no answer scores below 0, the best scores above 0, and the key
// is an answer that scores the most.
func (l *loader) checkScoring(file, p string, it *Item) {
	sc := it.Scoring
	if sc == nil {
		return
	}
	sp := join(p, "scoring")
	if len(sc.Map) == 0 {
		if sc.Points <= 0 || sc.Default != 0 || sc.LowerBound != nil || sc.UpperBound != nil {
			l.errs.Add(ErrInvalid, file, sp, "without a map, scoring gives the key's points (more than 0) and nothing else")
		}
		return
	}
	if sc.Points != 0 {
		l.errs.Add(ErrInvalid, file, join(sp, "points"), "with a map, the key scores what the map gives; leave points out")
	}
	seen := map[string]where{}
	for j, m := range sc.Map {
		mp := fmt.Sprintf("%s.map[%d]", sp, j)
		if !slices.ContainsFunc(it.Options, func(o Option) bool { return o.ID == m.Option }) {
			l.errs.Add(ErrReference, file, join(mp, "option"), "%q is not an option of item %q", m.Option, it.ID)
		} else if w, dup := seen[m.Option]; dup {
			l.errs.Add(ErrDuplicate, file, join(mp, "option"), "option %q is mapped already at %s", m.Option, w.path)
		}
		seen[m.Option] = where{file, mp}
	}
	if sc.LowerBound != nil && sc.UpperBound != nil && *sc.LowerBound > *sc.UpperBound {
		l.errs.Add(ErrInvalid, file, join(sp, "lower_bound"), "%g is above the upper bound %g", *sc.LowerBound, *sc.UpperBound)
		return
	}
	best, key := it.MaxPoints(), it.Points(it.Key)
	switch {
	case it.MinPoints() < 0:
		l.errs.Add(ErrInvalid, file, sp, "an answer can score %g; the lowest score is 0 (set lower_bound)", it.MinPoints())
	case best <= 0:
		l.errs.Add(ErrInvalid, file, sp, "no answer scores above 0")
	case math.Abs(key-best) > 1e-9:
		l.errs.Add(ErrInvalid, file, join(p, "key"), "the key scores %g but an answer can score %g; the key is an answer that scores the most", key, best)
	}
}
