package css

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	tcss "github.com/tdewolff/parse/v2/css"
)

// What a property's value may hold.
type allow uint8

const (
	aIdent  allow = 1 << iota // keywords (any plain identifier)
	aLength                   // lengths, percentages and 0
	aNumber                   // plain numbers
	aColor                    // #hex, rgb(), rgba(), hsl(), hsla()
	aGrid                     // fr, repeat(), minmax() and "/"
)

const (
	box    = aIdent | aLength
	border = aIdent | aLength | aColor
)

// properties is the allow-list: text and box properties only. Font size,
// line height and fonts are left to the page (its larger-text mode).
var properties = map[string]allow{
	"color": aIdent | aColor, "background-color": aIdent | aColor,
	"font-weight": aIdent | aNumber, "font-style": aIdent,
	"text-decoration": border, "text-decoration-line": aIdent, "text-decoration-style": aIdent,
	"text-decoration-color": aIdent | aColor,
	"text-align":            aIdent, "vertical-align": box, "white-space": aIdent, "list-style-type": aIdent,
	"margin": box, "margin-top": box, "margin-right": box, "margin-bottom": box, "margin-left": box,
	"padding": box, "padding-top": box, "padding-right": box, "padding-bottom": box, "padding-left": box,
	"border": border, "border-top": border, "border-right": border, "border-bottom": border, "border-left": border,
	"border-width": box, "border-style": aIdent, "border-color": aIdent | aColor,
	"border-top-width": box, "border-right-width": box, "border-bottom-width": box, "border-left-width": box,
	"border-top-style": aIdent, "border-right-style": aIdent, "border-bottom-style": aIdent, "border-left-style": aIdent,
	"border-top-color": aIdent | aColor, "border-right-color": aIdent | aColor,
	"border-bottom-color": aIdent | aColor, "border-left-color": aIdent | aColor,
	"border-radius": aLength, "border-collapse": aIdent, "border-spacing": aLength,
	"width": box, "height": box, "max-width": box, "min-width": box, "max-height": box, "min-height": box,
	"display":        aIdent,
	"flex-direction": aIdent, "flex-wrap": aIdent, "flex-flow": aIdent, "flex": box | aNumber,
	"flex-grow": aNumber, "flex-shrink": aNumber, "flex-basis": box,
	"justify-content": aIdent, "justify-items": aIdent, "justify-self": aIdent,
	"align-items": aIdent, "align-content": aIdent, "align-self": aIdent,
	"gap": aLength, "row-gap": aLength, "column-gap": aLength,
	"grid-template-columns": box | aGrid, "grid-template-rows": box | aGrid,
	"grid-column": aIdent | aNumber | aGrid, "grid-row": aIdent | aNumber | aGrid,
}

// displays are the display values kept: no none (an item hides nothing
// the page shows), no contents.
var displays = map[string]bool{
	"block": true, "inline": true, "inline-block": true, "list-item": true,
	"flex": true, "inline-flex": true, "grid": true, "inline-grid": true,
	"table": true, "inline-table": true, "table-row": true, "table-cell": true, "table-column": true,
	"table-row-group": true, "table-header-group": true, "table-footer-group": true,
	"table-column-group": true, "table-caption": true,
}

// denied say why the properties named in the rules are dropped.
var denied = map[string]string{
	"position":     "an item may not place content over the page",
	"z-index":      "an item may not place content over the page",
	"content":      "an item may not add text the body does not hold",
	"behavior":     "it would run code",
	"-moz-binding": "it would run code",
	"font-size":    "the page's larger-text mode sets the size",
	"background":   "the shorthand can load an image; use background-color",
}

// units are the length units kept: px and those relative to the text or
// the containing box, each with a bound on its number.
var units = map[string]float64{"px": 2000, "em": 100, "rem": 100, "ex": 200, "ch": 200, "%": 100}

var hexColor = regexp.MustCompile(`^#([0-9A-Fa-f]{3,4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$`)

// keyword is a plain keyword: no escape, nothing but letters, digits and -.
var keyword = regexp.MustCompile(`^-?[A-Za-z][A-Za-z0-9-]*$`)

// checkDecl says why a declaration is dropped, or "".
func checkDecl(name string, value []token) string {
	if strings.HasPrefix(name, "--") {
		return fmt.Sprintf("custom property %s dropped: custom properties are not kept", name)
	}
	a, ok := properties[name]
	if !ok {
		if why := denied[name]; why != "" {
			return fmt.Sprintf("%s dropped: %s", name, why)
		}
		return fmt.Sprintf("%s dropped: not an allowed property", name)
	}
	if len(value) == 0 {
		return fmt.Sprintf("%s dropped: no value", name)
	}
	if len(value) > 64 {
		return fmt.Sprintf("%s dropped: a value of more than 64 tokens", name)
	}
	if msg := checkValue(name, a, value, false); msg != "" {
		return fmt.Sprintf("%s dropped: %s", name, msg)
	}
	return ""
}

// checkValue checks each token of a value (or of a function's arguments,
// inFunc) against what the property allows.
func checkValue(name string, a allow, value []token, inFunc bool) string {
	for i := 0; i < len(value); i++ {
		t := value[i]
		switch t.t {
		case tcss.WhitespaceToken, tcss.CommaToken:
		case tcss.IdentToken:
			v := strings.ToLower(t.v)
			switch {
			case !keyword.MatchString(t.v):
				return fmt.Sprintf("%q is not a plain keyword", clip(t.v))
			case v == "expression":
				return "expression() would run code"
			case a&aIdent == 0 && !inFunc && !globalKeyword[v]:
				return fmt.Sprintf("keyword %s is not allowed here", v)
			case name == "display" && !displays[v] && !globalKeyword[v]:
				return fmt.Sprintf("display %s is not kept", v)
			}
		case tcss.NumberToken:
			n, err := strconv.ParseFloat(t.v, 64)
			switch {
			case err != nil || n < 0 || n > 10000:
				return fmt.Sprintf("number %s: want 0 to 10000", t.v)
			case a&(aNumber|aGrid) == 0 && !inFunc && n != 0:
				return fmt.Sprintf("number %s without a unit", t.v)
			}
		case tcss.PercentageToken, tcss.DimensionToken:
			if msg := checkLength(a, t.v, inFunc); msg != "" {
				return msg
			}
		case tcss.HashToken:
			if a&aColor == 0 || !hexColor.MatchString(t.v) {
				return fmt.Sprintf("%s is not a colour allowed here", clip(t.v))
			}
		case tcss.DelimToken:
			if t.v != "/" || a&aGrid == 0 && !inFunc {
				return fmt.Sprintf("%q is not allowed in a value", clip(t.v))
			}
		case tcss.FunctionToken:
			j, msg := checkFunction(name, a, value, i)
			if msg != "" {
				return msg
			}
			i = j
		case tcss.URLToken:
			return "url() is not kept: an item's stylesheet loads nothing"
		case tcss.StringToken:
			return "strings are not kept"
		default:
			return fmt.Sprintf("%q is not allowed in a value", clip(t.v))
		}
	}
	return ""
}

// globalKeyword are the CSS-wide keywords, allowed for every property.
var globalKeyword = map[string]bool{"inherit": true, "initial": true, "unset": true, "revert": true}

// checkLength checks a percentage or a dimension: a kept unit, a number
// from 0 to the unit's bound.
func checkLength(a allow, v string, inFunc bool) string {
	num, unit := splitUnit(v)
	n, err := strconv.ParseFloat(num, 64)
	limit, ok := units[strings.ToLower(unit)]
	if !ok && (a&aGrid != 0 || inFunc) && strings.EqualFold(unit, "fr") {
		limit, ok = 100, true
	}
	if !ok && inFunc && strings.EqualFold(unit, "deg") {
		limit, ok = 360, true
	}
	switch {
	case a&aLength == 0 && !inFunc:
		return fmt.Sprintf("length %s is not allowed here", clip(v))
	case !ok:
		return fmt.Sprintf("unit %s is not kept (px, em, rem, ex, ch, %%)", clip(unit))
	case err != nil || n < 0 || n > limit:
		return fmt.Sprintf("%s: want 0 to %g%s", clip(v), limit, unit)
	}
	return ""
}

// splitUnit splits a percentage or dimension token into number and unit.
func splitUnit(v string) (string, string) {
	i := len(v)
	for i > 0 {
		c := v[i-1]
		if c >= '0' && c <= '9' || c == '.' {
			break
		}
		i--
	}
	return v[:i], v[i:]
}

// functions are the functions kept, with what their arguments may hold.
var functions = map[string]allow{
	"rgb(": aColor, "rgba(": aColor, "hsl(": aColor, "hsla(": aColor,
	"repeat(": aGrid, "minmax(": aGrid,
}

// checkFunction checks the function starting at value[i] and returns the
// index of its closing parenthesis.
func checkFunction(name string, a allow, value []token, i int) (int, string) {
	fn := strings.ToLower(value[i].v)
	need, ok := functions[fn]
	switch {
	case fn == "url(" || fn == "src(" || fn == "image(" || fn == "image-set(" || fn == "cross-fade(" || fn == "element(" || fn == "-webkit-image-set(":
		return 0, fmt.Sprintf("%s) is not kept: an item's stylesheet loads nothing", fn)
	case fn == "expression(":
		return 0, "expression() would run code"
	case !ok:
		return 0, fmt.Sprintf("function %s) is not kept", clip(fn))
	case a&need == 0:
		return 0, fmt.Sprintf("function %s) is not allowed here", fn)
	}
	for j := i + 1; j < len(value); j++ {
		switch value[j].t {
		case tcss.RightParenthesisToken:
			inner := aNumber | aLength | aIdent
			if need == aGrid {
				inner |= aGrid
			}
			return j, checkValue(name, inner, value[i+1:j], true)
		case tcss.FunctionToken, tcss.LeftParenthesisToken, tcss.LeftBracketToken, tcss.LeftBraceToken:
			if need == aGrid && value[j].t == tcss.FunctionToken && strings.EqualFold(value[j].v, "minmax(") {
				k, msg := checkFunction(name, a, value, j)
				if msg != "" {
					return 0, msg
				}
				j = k
				continue
			}
			return 0, fmt.Sprintf("%s) may not hold %q", fn, clip(value[j].v))
		}
	}
	return 0, fmt.Sprintf("%s) is not closed", fn)
}

// writeValue writes a value's tokens back: one space for any white space,
// none before a comma and one after.
func writeValue(value []token) string {
	var b strings.Builder
	space := false
	for _, t := range value {
		switch t.t {
		case tcss.WhitespaceToken:
			space = true
			continue
		case tcss.CommaToken:
			b.WriteString(",")
			space = true
			continue
		case tcss.RightParenthesisToken:
			space = false
		}
		if space && b.Len() > 0 && !strings.HasSuffix(b.String(), "(") {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(t.v)
	}
	return b.String()
}

// String writes the sheet as plain CSS, one rule a line: the form content
// stores. Sanitize of it gives the same sheet without a warning.
func (s *Sheet) String() string { return s.write("", "") }

// Scoped writes the sheet with each selector under scope (a selector of
// the element that holds the item's rich text) and each class name with
// prefix, the prefix the page gives the item's own class names.
func (s *Sheet) Scoped(scope, prefix string) string { return s.write(scope, prefix) }

func (s *Sheet) write(scope, prefix string) string {
	var b strings.Builder
	for _, r := range s.Rules {
		b.WriteString(writeSelectors(r.Selectors, scope, prefix))
		b.WriteString(" {")
		for _, d := range r.Decls {
			b.WriteString(" " + d.Prop + ": " + d.Value + ";")
		}
		b.WriteString(" }\n")
	}
	return b.String()
}
