package css

import (
	"regexp"
	"strings"

	tcss "github.com/tdewolff/parse/v2/css"
)

var (
	// className is a class name kept in a selector and in rich text.
	className = regexp.MustCompile(`^[A-Za-z_-][A-Za-z0-9_-]*$`)
	typeName  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)
)

// MaxClassName bounds the length of a class name.
const MaxClassName = 64

// ValidClassName reports whether n is a class name kept in a selector and
// in rich text: letters, digits, - and _, not a digit first, at most
// MaxClassName bytes.
func ValidClassName(n string) bool { return len(n) <= MaxClassName && className.MatchString(n) }

// pseudoClasses are the pseudo-classes kept: structural ones that look at
// siblings inside the item only.
var pseudoClasses = map[string]bool{
	"first-child": true, "last-child": true, "only-child": true,
	"first-of-type": true, "last-of-type": true, "only-of-type": true,
}

// outside are type selectors that name the page, not an item's body.
var outside = map[string]bool{"html": true, "body": true, "head": true}

// selectors reads a rule's prelude as a selector list, keeping each simple
// selector and warning about each other one.
func (s *sanitizer) selectors(prelude []token) []Selector {
	var out []Selector
	line := 1
	if len(prelude) > 0 {
		line = prelude[0].line
	}
	for _, part := range splitCommas(prelude) {
		part = trim(part)
		if len(part) == 0 {
			s.warn(line, "empty selector dropped")
			continue
		}
		sel, msg := parseSelector(part)
		switch {
		case msg != "":
			s.warn(part[0].line, "selector %q dropped: %s", clip(join(part)), msg)
		case len(out) == maxSelectors:
			s.warn(part[0].line, "selector %q dropped: more than %d selectors in a rule", clip(join(part)), maxSelectors)
		default:
			out = append(out, sel)
		}
	}
	return out
}

// splitCommas splits tokens at the commas outside any block.
func splitCommas(ts []token) [][]token {
	var parts [][]token
	depth, start := 0, 0
	for i, t := range ts {
		switch t.t {
		case tcss.LeftBracketToken, tcss.LeftParenthesisToken, tcss.FunctionToken, tcss.LeftBraceToken:
			depth++
		case tcss.RightBracketToken, tcss.RightParenthesisToken, tcss.RightBraceToken:
			depth = max(depth-1, 0)
		case tcss.CommaToken:
			if depth == 0 {
				parts = append(parts, ts[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, ts[start:])
}

// parseSelector reads one complex selector, or says why it is not kept.
func parseSelector(ts []token) (Selector, string) {
	var sel Selector
	var cur *Compound
	comb := "" // the combinator before the next compound
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		switch {
		case t.t == tcss.WhitespaceToken:
			if cur != nil && comb == "" {
				comb = " "
			}
			continue
		case t.t == tcss.DelimToken && (t.v == ">" || t.v == "+" || t.v == "~"):
			if cur == nil {
				return sel, "it starts with a combinator"
			}
			if comb != "" && comb != " " {
				return sel, "two combinators in a row"
			}
			comb = t.v
			continue
		}
		if cur == nil || comb != "" {
			if cur != nil {
				sel.Combinators = append(sel.Combinators, comb)
			}
			if len(sel.Compounds) == maxCompounds {
				return sel, "more than 8 compound selectors"
			}
			sel.Compounds = append(sel.Compounds, Compound{})
			cur = &sel.Compounds[len(sel.Compounds)-1]
			comb = ""
		}
		switch {
		case t.t == tcss.IdentToken:
			if cur.Type != "" || len(cur.Classes) > 0 || len(cur.Pseudo) > 0 {
				return sel, "a type selector must come first"
			}
			name := strings.ToLower(t.v)
			if !typeName.MatchString(name) {
				return sel, "not a plain element name"
			}
			if outside[name] {
				return sel, name + " is the page, not the item"
			}
			cur.Type = name
		case t.t == tcss.DelimToken && t.v == ".":
			if i+1 >= len(ts) || ts[i+1].t != tcss.IdentToken || !ValidClassName(ts[i+1].v) {
				return sel, "not a plain class name (letters, digits, - and _)"
			}
			i++
			cur.Classes = append(cur.Classes, ts[i].v)
		case t.t == tcss.ColonToken && i+1 < len(ts) && ts[i+1].t == tcss.FunctionToken:
			return sel, "functional pseudo-classes (:has, :not, :is, ...) are not kept"
		case t.t == tcss.ColonToken:
			if i+1 >= len(ts) || ts[i+1].t != tcss.IdentToken || !pseudoClasses[strings.ToLower(ts[i+1].v)] {
				return sel, "only :first-child, :last-child, :only-child and their -of-type forms are kept"
			}
			i++
			cur.Pseudo = append(cur.Pseudo, strings.ToLower(ts[i].v))
		case t.t == tcss.DelimToken && t.v == "*":
			return sel, "the universal selector * is not kept"
		case t.t == tcss.HashToken:
			return sel, "id selectors are not kept (bodies keep no id)"
		case t.t == tcss.LeftBracketToken:
			return sel, "attribute selectors are not kept"
		case t.t == tcss.FunctionToken:
			return sel, "functional pseudo-classes (:has, :not, :is, ...) are not kept"
		default:
			return sel, "not a simple selector"
		}
	}
	if comb != "" && comb != " " {
		return sel, "it ends with a combinator"
	}
	return sel, ""
}

// write writes a selector: classes gain prefix.
func (sel Selector) write(b *strings.Builder, prefix string) {
	for i, c := range sel.Compounds {
		if i > 0 {
			if comb := sel.Combinators[i-1]; comb == " " {
				b.WriteByte(' ')
			} else {
				b.WriteString(" " + comb + " ")
			}
		}
		b.WriteString(c.Type)
		for _, cl := range c.Classes {
			b.WriteString("." + prefix + cl)
		}
		for _, p := range c.Pseudo {
			b.WriteString(":" + p)
		}
	}
}

// writeSelectors writes a selector list, each selector under scope (when
// not empty) and its classes with prefix.
func writeSelectors(sels []Selector, scope, prefix string) string {
	var b strings.Builder
	for i, sel := range sels {
		if i > 0 {
			b.WriteString(", ")
		}
		if scope != "" {
			b.WriteString(scope + " ")
		}
		sel.write(&b, prefix)
	}
	return b.String()
}
