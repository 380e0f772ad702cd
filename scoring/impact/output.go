package impact

import (
	"errors"
	"fmt"
	"slices"

	"github.com/accredit/accredit/scoring/fairness"
)

func (b *builder) cell(item int, keys []string) Cell {
	c := b.items[item]
	out := Cell{Keys: keys, Suppressed: c.suppressed}
	if c.suppressed {
		return out
	}
	out.N, out.Passed = c.n, c.x
	out.Rate = float64(c.x) / float64(c.n)
	out.Lo, out.Hi = Wilson(c.x, c.n, Z95)
	return out
}

func (b *builder) table(t *tab) Table {
	out := Table{Name: t.name, Dims: t.dims, Measure: MeasureMet, Cells: make([]Cell, len(t.keys))}
	if t.dims[0] == ByElement {
		out.Measure = MeasurePassed
	}
	for j, k := range t.keys {
		keys := make([]string, len(t.dims))
		for a, d := range t.dims {
			keys[a] = b.dicts[d].labels[k[a]]
		}
		out.Cells[j] = b.cell(t.items[j], keys)
	}
	return out
}

func (b *builder) report() (*Report, error) {
	r := &Report{MinCount: b.min, Overall: b.cell(b.overall, nil)}
	for _, k := range b.one[ByCohort].keys {
		r.Windows = append(r.Windows, b.dicts[ByCohort].labels[k[0]])
	}
	for _, d := range dims {
		r.Tables = append(r.Tables, b.table(b.one[d]))
	}
	for _, t := range b.cross {
		r.Tables = append(r.Tables, b.table(t))
	}
	for i, f := range fields {
		fi, err := b.impact(f, b.fields[i], b.fdicts[i])
		if err != nil {
			return nil, err
		}
		r.Impact = append(r.Impact, fi)
	}
	r.Trends = trends(r)
	return r, nil
}

// impact compares the published groups of one field with fairness.
// AdverseImpact. Suppressed groups take no part: their rate could otherwise
// be worked out from a ratio or a p. The not-stated group is shown but not
// compared.
func (b *builder) impact(f Field, t *tab, d *dict) (FieldImpact, error) {
	out := FieldImpact{Field: f}
	stated := 0
	for j, k := range t.keys {
		g := GroupImpact{Group: d.labels[k[0]], Cell: b.cell(t.items[j], nil)}
		out.Groups = append(out.Groups, g)
		if g.Group != "" {
			stated += g.N
		}
	}
	labels := make([]string, 0, stated)
	pass := make([]bool, 0, stated)
	for _, g := range out.Groups {
		if g.Group == "" || g.Suppressed {
			continue
		}
		for p := range g.N {
			labels = append(labels, g.Group)
			pass = append(pass, p < g.Passed)
		}
	}
	ref := b.opt.Reference[f]
	if ref != "" && !slices.ContainsFunc(out.Groups, func(g GroupImpact) bool { return g.Group == ref && !g.Suppressed }) {
		out.Note = fmt.Sprintf("reference group %q has no published count", ref)
		return out, nil
	}
	im, err := fairness.AdverseImpact(labels, pass, ref)
	switch {
	case errors.Is(err, fairness.ErrTooFewGroups):
		out.Note = fmt.Sprintf("fewer than two stated groups with at least %d decisions", b.min)
		return out, nil
	case err != nil:
		return out, fmt.Errorf("impact: %s: %w", f, err)
	}
	out.Reference = im.Comparison
	var refRate float64
	for _, g := range im.Groups {
		if g.Group == im.Comparison {
			refRate = g.PassRate
		}
	}
	for _, g := range im.Groups {
		i := slices.IndexFunc(out.Groups, func(o GroupImpact) bool { return o.Group == g.Group })
		o := &out.Groups[i]
		if g.Group == im.Comparison {
			continue
		}
		o.FisherP = g.FisherP
		if refRate > 0 {
			ratio := g.PassRate / refRate
			o.ImpactRatio = &ratio
			o.FourFifths = ratio < fairness.FourFifths
		}
	}
	return out, nil
}

// trends reads the overall trend from the cohort table and one trend per
// crossing with ByCohort second.
func trends(r *Report) []Trend {
	pos := map[string]int{}
	for i, w := range r.Windows {
		pos[w] = i
	}
	series := func(key string, cells []Cell, keyAt int) Series {
		s := Series{Key: key, Points: make([]Cell, len(r.Windows))}
		for i, w := range r.Windows {
			s.Points[i] = Cell{Keys: []string{w}}
		}
		for _, c := range cells {
			c.Keys = []string{c.Keys[keyAt]}
			s.Points[pos[c.Keys[0]]] = c
		}
		return s
	}
	out := []Trend{{Series: []Series{series("", r.Table(string(ByCohort)).Cells, 0)}}}
	for _, t := range r.Tables {
		if len(t.Dims) != 2 || t.Dims[1] != ByCohort || t.Dims[0] == ByElement {
			continue
		}
		tr := Trend{By: t.Dims[0]}
		for start := 0; start < len(t.Cells); {
			end := start
			for end < len(t.Cells) && t.Cells[end].Keys[0] == t.Cells[start].Keys[0] {
				end++
			}
			tr.Series = append(tr.Series, series(t.Cells[start].Keys[0], t.Cells[start:end], 1))
			start = end
		}
		out = append(out, tr)
	}
	return out
}
