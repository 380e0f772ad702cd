package qti

import (
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Response processing is read into the statements below and run on every
// response a candidate could give, so that templates, their inline
// expansion and the common hand-written shapes are scored alike.

// value is the result of an expression: null, a number, a truth value or a
// set of identifiers.
type value struct {
	kind byte // 0 null, 'f' number, 'b' boolean, 'i' identifiers
	f    float64
	b    bool
	ids  []string
}

// scorer holds what processing reads: the declarations and the chosen
// response.
type scorer struct {
	respID   string // the interaction's response identifier
	correct  []string
	mapping  *Mapping
	outcomes map[string]float64 // defaults of the declared numeric outcomes
	rp       *node              // the statements; nil means match_correct
	template string             // match_correct or map_response when rp is nil
}

// Elements allowed in response processing; anything else refuses the item.
var (
	rpStatements = []string{"responseCondition", "responseIf", "responseElseIf", "responseElse", "setOutcomeValue", "exitResponse"}
	rpOperators  = []string{"baseValue", "variable", "correct", "match", "isNull", "mapResponse", "sum", "subtract",
		"product", "and", "or", "not", "gt", "gte", "lt", "lte", "equal", "member", "containerSize", "multiple", "null"}
)

// templateName recognises the two templates in every address form: the
// QTI 3.0 and 2.x URIs, with or without ".xml", and relative paths such as
// "rptemplates/match_correct.xml". It returns "" for any other.
func templateName(uri string) string {
	u := strings.TrimSpace(uri)
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".xml")
	name := path.Base(strings.ReplaceAll(u, "\\", "/"))
	switch strings.ToLower(name) {
	case "match_correct":
		return "match_correct"
	case "map_response":
		return "map_response"
	}
	return ""
}

// checkRP refuses processing the scorer cannot run.
func checkRP(rp *node) *refusal {
	var bad *refusal
	var walk func(*node)
	walk = func(n *node) {
		for _, c := range n.Children {
			if bad != nil {
				return
			}
			switch {
			case c.Name == "customOperator":
				bad = refuse(ReasonCustomOperator, "custom operator %s in response processing", c.attr("class"))
			case !slices.Contains(rpStatements, c.Name) && !slices.Contains(rpOperators, c.Name):
				bad = refuse(ReasonUnsupportedProcessing, "response processing uses %s, which the importer does not evaluate", c.Name)
			default:
				walk(c)
			}
		}
	}
	walk(rp)
	return bad
}

// score runs processing for one response and returns SCORE.
func (s *scorer) score(resp []string) float64 {
	out := map[string]float64{}
	for k, v := range s.outcomes {
		out[k] = v
	}
	r := &run{s: s, resp: resp, out: out}
	switch {
	case s.rp != nil:
		r.block(s.rp.Children)
	case s.template == "map_response":
		if len(resp) > 0 {
			out["SCORE"] = s.mapResponse(resp)
		} else {
			out["SCORE"] = 0
		}
	default:
		out["SCORE"] = 0
		if sameSet(resp, s.correct) && len(s.correct) > 0 {
			out["SCORE"] = 1
		}
	}
	return out["SCORE"]
}

// mapResponse sums the mapped values of the chosen choices, each counted
// once, clamped to the mapping's bounds.
func (s *scorer) mapResponse(resp []string) float64 {
	m := s.mapping
	if m == nil {
		return 0
	}
	sum := 0.0
	for _, id := range resp {
		v := m.Default
		for _, e := range m.Entries {
			if e.Key == id {
				v = e.Value
				break
			}
		}
		sum += v
	}
	if m.LowerBound != nil {
		sum = math.Max(sum, *m.LowerBound)
	}
	if m.UpperBound != nil {
		sum = math.Min(sum, *m.UpperBound)
	}
	return sum
}

// run is one execution of processing.
type run struct {
	s    *scorer
	resp []string
	out  map[string]float64
	exit bool
}

func (r *run) block(stmts []*node) {
	for _, st := range stmts {
		if r.exit {
			return
		}
		switch st.Name {
		case "responseCondition":
			r.condition(st)
		case "setOutcomeValue":
			if len(st.Children) > 0 {
				if v := r.eval(st.Children[0]); v.kind == 'f' {
					r.out[st.attr("identifier")] = v.f
				} else if v.kind == 0 {
					r.out[st.attr("identifier")] = 0
				}
			}
		case "exitResponse":
			r.exit = true
		}
	}
}

func (r *run) condition(c *node) {
	for _, br := range c.Children {
		switch br.Name {
		case "responseIf", "responseElseIf":
			if len(br.Children) == 0 {
				continue
			}
			if v := r.eval(br.Children[0]); v.kind == 'b' && v.b {
				r.block(br.Children[1:])
				return
			}
		case "responseElse":
			r.block(br.Children)
			return
		}
	}
}

func (r *run) args(n *node) []value {
	vs := make([]value, len(n.Children))
	for i, c := range n.Children {
		vs[i] = r.eval(c)
	}
	return vs
}

func (r *run) eval(n *node) value {
	switch n.Name {
	case "baseValue":
		return baseValue(n.attr("baseType"), n.text())
	case "null":
		return value{}
	case "variable":
		return r.variable(n.attr("identifier"))
	case "correct":
		return ids(r.s.correct)
	case "mapResponse":
		if len(r.resp) == 0 {
			return value{}
		}
		return value{kind: 'f', f: r.s.mapResponse(r.resp)}
	case "multiple":
		var all []string
		for _, v := range r.args(n) {
			all = append(all, v.ids...)
		}
		return ids(all)
	case "containerSize":
		a := r.args(n)
		if len(a) != 1 {
			return value{}
		}
		return value{kind: 'f', f: float64(len(a[0].ids))}
	case "isNull":
		a := r.args(n)
		return boolean(len(a) == 1 && (a[0].kind == 0 || (a[0].kind == 'i' && len(a[0].ids) == 0)))
	}
	return r.operator(n.Name, r.args(n))
}

func (r *run) variable(id string) value {
	if id == r.s.respID {
		if len(r.resp) == 0 {
			return value{}
		}
		return ids(r.resp)
	}
	if v, ok := r.out[id]; ok {
		return value{kind: 'f', f: v}
	}
	return value{}
}

// operator evaluates the operators whose arguments are already values.
func (r *run) operator(name string, a []value) value {
	for _, v := range a {
		if v.kind == 0 && name != "and" && name != "or" {
			return value{}
		}
	}
	switch name {
	case "match":
		if len(a) != 2 {
			return value{}
		}
		if a[0].kind == 'i' {
			return boolean(sameSet(a[0].ids, a[1].ids))
		}
		return boolean(a[0].kind == a[1].kind && a[0].f == a[1].f && a[0].b == a[1].b)
	case "member":
		return boolean(len(a) == 2 && len(a[0].ids) == 1 && slices.Contains(a[1].ids, a[0].ids[0]))
	case "sum", "product", "subtract":
		return arith(name, a)
	case "and", "or":
		t := name == "and"
		for _, v := range a {
			if name == "and" {
				t = t && v.b
			} else {
				t = t || v.b
			}
		}
		return boolean(t)
	case "not":
		return boolean(len(a) == 1 && !a[0].b)
	case "gt", "gte", "lt", "lte", "equal":
		if len(a) != 2 {
			return value{}
		}
		return compare(name, a[0].f, a[1].f)
	}
	return value{}
}

func arith(name string, a []value) value {
	if len(a) == 0 {
		return value{}
	}
	acc := a[0].f
	for _, v := range a[1:] {
		switch name {
		case "sum":
			acc += v.f
		case "product":
			acc *= v.f
		case "subtract":
			acc -= v.f
		}
	}
	return value{kind: 'f', f: acc}
}

func compare(name string, x, y float64) value {
	switch name {
	case "gt":
		return boolean(x > y)
	case "gte":
		return boolean(x >= y)
	case "lt":
		return boolean(x < y)
	case "lte":
		return boolean(x <= y)
	}
	return boolean(x == y)
}

func baseValue(baseType, text string) value {
	switch baseType {
	case "identifier":
		return ids([]string{text})
	case "boolean":
		return boolean(text == "true" || text == "1")
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return value{}
	}
	return value{kind: 'f', f: f}
}

func ids(s []string) value       { return value{kind: 'i', ids: s} }
func boolean(b bool) value       { return value{kind: 'b', b: b} }
func sameSet(a, b []string) bool { return len(a) == len(b) && subset(a, b) && subset(b, a) }

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
