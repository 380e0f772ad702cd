package programme

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// dirState is a writer's copy of a directory stream (employers, staff or
// the people registry): the ids, and registration numbers, taken.
type dirState struct {
	ids  map[string]bool
	regs map[string]bool
}

func newDirState() *dirState { return &dirState{ids: map[string]bool{}, regs: map[string]bool{}} }

func (d *dirState) apply(r *record) error {
	switch r.Kind {
	case recEmployers:
		for _, e := range r.Employers {
			d.ids[e.ID] = true
		}
	case recStaff:
		for _, s := range r.Staff {
			d.ids[s.ID] = true
		}
	case recPeople:
		for _, p := range r.People {
			d.ids[p.ID] = true
			d.regs[normReg(p.Registration)] = true
		}
	default:
		return fmt.Errorf("unexpected %q record", r.Kind)
	}
	return nil
}

// normReg is the form in which registration numbers are compared.
func normReg(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }

// index is the node's read copy of the durable directory records, for
// lookups without a store round trip. Records only ever add entries, so
// hearing one twice is harmless.
type index struct {
	mu        sync.RWMutex // protects every field
	employers map[string]Employer
	staff     map[string]Staff
	people    map[string]Person
	byReg     map[string]string // normalised registration number to person id
	batches   map[string]bool   // registry batches stored: their monitoring counts
}

func newIndex() *index {
	return &index{
		employers: map[string]Employer{}, staff: map[string]Staff{},
		people: map[string]Person{}, byReg: map[string]string{}, batches: map[string]bool{},
	}
}

// add is a writer's durable hook.
func (x *index) add(r *record) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, e := range r.Employers {
		x.employers[e.ID] = e
	}
	for _, s := range r.Staff {
		x.staff[s.ID] = s
	}
	for _, p := range r.People {
		x.people[p.ID] = p
		x.byReg[normReg(p.Registration)] = p.ID
	}
	if r.Kind == recPeople {
		x.batches[r.Batch] = true
	}
}

func (x *index) employer(id string) (Employer, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	e, ok := x.employers[id]
	return e, ok
}

func (x *index) hasEmployer(id string) bool {
	_, ok := x.employer(id)
	return ok
}

func (x *index) person(id string) (Person, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	p, ok := x.people[id]
	return p, ok
}

func (x *index) staffMember(id string) (Staff, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s, ok := x.staff[id]
	return s, ok
}

// list returns the values of m for which keep is true, sorted by key.
func list[T any](x *index, m map[string]T, keep func(T) bool) []T {
	x.mu.RLock()
	defer x.mu.RUnlock()
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if keep == nil || keep(v) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}
