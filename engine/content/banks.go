package content

import (
	"fmt"
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
	l.checkOptions(file, p, it)
	l.checkKey(file, p, it)
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
	case MultipleResponse:
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
