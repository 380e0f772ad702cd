package impact

import (
	"cmp"
	"slices"
	"strings"
)

// aggregate counts every cell of every table and monitoring field.
func (b *builder) aggregate() {
	b.intern()
	b.items = append(b.items, counts{})
	b.overall = 0
	for i := range b.rows {
		b.items[0].n++
		if b.rows[i].Outcome == Met {
			b.items[0].x++
		}
	}
	b.one = map[Dim]*tab{}
	for _, d := range dims {
		b.one[d] = b.oneWay(d)
	}
	for _, c := range b.crossing {
		b.cross = append(b.cross, b.twoWay(c))
	}
	for _, f := range fields {
		b.field(f)
	}
}

func (b *builder) intern() {
	b.dicts = map[Dim]*dict{}
	for _, d := range dims {
		b.dicts[d] = &dict{ids: map[string]int32{}}
	}
	b.vals = make([][5]int32, len(b.rows))
	b.elemAt = make([]int, len(b.rows)+1)
	el := b.dicts[ByElement]
	for i := range b.rows {
		r := &b.rows[i]
		for j, s := range [5]string{r.Employer, r.endorser(), string(r.Phase), r.Cohort, string(r.Status)} {
			b.vals[i][j] = b.dicts[valueDims[j]].id(s)
		}
		for e, passed := range r.Elements {
			b.elems = append(b.elems, el.id(e))
			b.elemPass = append(b.elemPass, passed)
		}
		b.elemAt[i+1] = len(b.elems)
	}
	b.order = map[Dim][]int{}
	for _, d := range dims {
		labels := b.dicts[d].labels
		var key func(string) int
		switch {
		case d == ByPhase:
			key = func(s string) int { return rank(phases, s) }
		case d == ByStatus:
			key = func(s string) int { return rank(statuses, s) }
		case d == ByCohort && b.opt.Windows != nil:
			key = func(s string) int { return rank(b.opt.Windows, s) }
		}
		b.order[d] = ranks(labels, key)
	}
}

// ranks gives each label its place in sorted order: by key when key is not
// nil, else by label.
func ranks(labels []string, key func(string) int) []int {
	idx := make([]int, len(labels))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, c int) int {
		if key != nil {
			return cmp.Compare(key(labels[a]), key(labels[c]))
		}
		return strings.Compare(labels[a], labels[c])
	})
	out := make([]int, len(labels))
	for r, i := range idx {
		out[i] = r
	}
	return out
}

// value is row i's label id in dimension d (not ByElement).
func (b *builder) value(i int, d Dim) int32 {
	switch d {
	case ByEmployer:
		return b.vals[i][0]
	case ByEndorser:
		return b.vals[i][1]
	case ByPhase:
		return b.vals[i][2]
	case ByCohort:
		return b.vals[i][3]
	case ByStatus:
		return b.vals[i][4]
	}
	panic("impact: no single value for dimension " + string(d))
}

// each calls f for every observation of row i in a table over dims: once
// with the row's outcome, or once per element with its result.
func (b *builder) each(i int, dims []Dim, f func(k [2]int32, pass bool)) {
	var k [2]int32
	start := 0
	if dims[0] == ByElement {
		start = 1
	}
	for j := start; j < len(dims); j++ {
		k[j] = b.value(i, dims[j])
	}
	if start == 0 {
		f(k, b.rows[i].Outcome == Met)
		return
	}
	for j := b.elemAt[i]; j < b.elemAt[i+1]; j++ {
		k[0] = b.elems[j]
		f(k, b.elemPass[j])
	}
}

func (b *builder) oneWay(d Dim) *tab {
	c := make([]counts, len(b.dicts[d].labels))
	dims := []Dim{d}
	for i := range b.rows {
		b.each(i, dims, func(k [2]int32, pass bool) {
			c[k[0]].n++
			if pass {
				c[k[0]].x++
			}
		})
	}
	t := &tab{name: string(d), dims: dims}
	for id := range c {
		t.keys = append(t.keys, [2]int32{int32(id)})
	}
	b.finish(t, func(k [2]int32) counts { return c[k[0]] })
	return t
}

// denseLimit is the largest crossing counted in an array rather than a map.
const denseLimit = 1 << 20

func (b *builder) twoWay(c [2]Dim) *tab {
	dims := c[:]
	t := &tab{name: string(c[0]) + "_by_" + string(c[1]), dims: dims}
	width := len(b.dicts[c[1]].labels)
	if len(b.dicts[c[0]].labels)*width > denseLimit {
		return b.twoWaySparse(t)
	}
	cells := make([]counts, len(b.dicts[c[0]].labels)*width)
	for i := range b.rows {
		b.each(i, dims, func(k [2]int32, pass bool) {
			cc := &cells[int(k[0])*width+int(k[1])]
			if cc.n == 0 {
				t.keys = append(t.keys, k)
			}
			cc.n++
			if pass {
				cc.x++
			}
		})
	}
	b.finish(t, func(k [2]int32) counts { return cells[int(k[0])*width+int(k[1])] })
	return t
}

func (b *builder) twoWaySparse(t *tab) *tab {
	m := map[[2]int32]*counts{}
	for i := range b.rows {
		b.each(i, t.dims, func(k [2]int32, pass bool) {
			cc := m[k]
			if cc == nil {
				cc = &counts{}
				m[k] = cc
				t.keys = append(t.keys, k)
			}
			cc.n++
			if pass {
				cc.x++
			}
		})
	}
	b.finish(t, func(k [2]int32) counts { return *m[k] })
	return t
}

// finish sorts t's cells by key and gives each its counts.
func (b *builder) finish(t *tab, get func([2]int32) counts) {
	slices.SortFunc(t.keys, func(p, q [2]int32) int {
		for j, d := range t.dims {
			if c := cmp.Compare(b.order[d][p[j]], b.order[d][q[j]]); c != 0 {
				return c
			}
		}
		return 0
	})
	for _, k := range t.keys {
		t.items = append(t.items, len(b.items))
		b.items = append(b.items, get(k))
	}
}

// field tabulates met by one monitoring field; label id 0 is not stated.
func (b *builder) field(f Field) {
	d := &dict{ids: map[string]int32{}}
	d.id("")
	var c []counts
	for i := range b.rows {
		id := d.id(strings.TrimSpace(b.rows[i].Monitoring.get(f)))
		for int(id) >= len(c) {
			c = append(c, counts{})
		}
		c[id].n++
		if b.rows[i].Outcome == Met {
			c[id].x++
		}
	}
	for len(c) < len(d.labels) {
		c = append(c, counts{})
	}
	t := &tab{name: string(f)}
	for id := range c {
		if c[id].n > 0 {
			t.keys = append(t.keys, [2]int32{int32(id)})
		}
	}
	slices.SortFunc(t.keys, func(p, q [2]int32) int { return strings.Compare(d.labels[p[0]], d.labels[q[0]]) })
	for _, k := range t.keys {
		t.items = append(t.items, len(b.items))
		b.items = append(b.items, c[k[0]])
	}
	b.fields = append(b.fields, t)
	b.fdicts = append(b.fdicts, d)
}
