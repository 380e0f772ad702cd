package css

import (
	"errors"
	"strings"
	"testing"
)

const scope = `.rich[data-styles~="s.css"]`

// sanitized sanitises in, failing the test if it is refused, and returns
// the sheet's text without surrounding space, with the warnings.
func sanitized(t testing.TB, in string) (string, []Warning) {
	t.Helper()
	s, warns, err := Sanitize([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(s.String()), warns
}

func TestSanitizeKeeps(t *testing.T) {
	tests := []struct {
		name, in, out string
	}{
		{"class", `.qti-underline { text-decoration: underline }`, `.qti-underline { text-decoration: underline; }`},
		{"type and class", `P.Lead{color:#C00;font-weight:700}`, `p.Lead { color: #C00; font-weight: 700; }`},
		{"combinators", `table>tr  td + td ~ td{padding:0 .5em}`, `table > tr td + td ~ td { padding: 0 .5em; }`},
		{"list", `h2, h3 ,li:first-child{margin:0}`, `h2, h3, li:first-child { margin: 0; }`},
		{"colour functions", `td{border:1px solid rgb(0,0,0);background-color:hsla(0 10% 20% / 50%)}`,
			`td { border: 1px solid rgb(0, 0, 0); background-color: hsla(0 10% 20% / 50%); }`},
		{"flex", `.row{display:flex;justify-content:space-between;gap:1em;flex:1 1 0}`,
			`.row { display: flex; justify-content: space-between; gap: 1em; flex: 1 1 0; }`},
		{"grid", `.g{display:grid;grid-template-columns:repeat(2, minmax(10px, 1fr));grid-column:1 / 3}`,
			`.g { display: grid; grid-template-columns: repeat(2, minmax(10px, 1fr)); grid-column: 1 / 3; }`},
		{"sizes", `img{max-width:100%;width:20em;height:auto}`, `img { max-width: 100%; width: 20em; height: auto; }`},
		{"comments and CDO", `<!-- /* note */ .a{color:red} -->`, `.a { color: red; }`},
		{"important removed", `.a{color:red !important}`, `.a { color: red; }`},
		{"global keyword", `.a{border-radius:inherit}`, `.a { border-radius: inherit; }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := sanitized(t, tt.in); got != tt.out {
				t.Errorf("got  %s\nwant %s", got, tt.out)
			}
		})
	}
}

// TestSanitizeDrops gives each construct that is dropped, the warning that
// names it and what is left.
func TestSanitizeDrops(t *testing.T) {
	tests := []struct {
		name, in, warn, out string
	}{
		{"url", `.a{background-color:red;border:url(x.png)}`, "url() is not kept", `.a { background-color: red; }`},
		{"url function quoted", `.a{color:red;list-style-type:url("x.png")}`, "url() is not kept", `.a { color: red; }`},
		{"image-set", `.a{color:red;background-color:image-set("x.png" 1x)}`, "image-set() is not kept", `.a { color: red; }`},
		{"background shorthand", `.a{color:red;background:red url(x.png)}`, "background dropped", `.a { color: red; }`},
		{"import", `@import url(x.css); .a{color:red}`, "@import dropped", `.a { color: red; }`},
		{"font-face", `@font-face{font-family:x;src:url(x.woff)} .a{color:red}`, "@font-face dropped", `.a { color: red; }`},
		{"media", `@media print{.a{color:red}} .b{color:blue}`, "@media dropped", `.b { color: blue; }`},
		{"other at-rule", `@keyframes k{from{color:red}} .b{color:blue}`, "@keyframes dropped", `.b { color: blue; }`},
		{"expression", `.a{color:red;width:expression(alert(1))}`, "expression() would run code", `.a { color: red; }`},
		{"position", `.a{color:red;position:fixed}`, "position dropped", `.a { color: red; }`},
		{"z-index", `.a{color:red;z-index:99}`, "z-index dropped", `.a { color: red; }`},
		{"content", `.a{color:red;content:"x"}`, "content dropped", `.a { color: red; }`},
		{"behavior", `.a{color:red;behavior:url(x.htc)}`, "behavior dropped", `.a { color: red; }`},
		{"moz-binding", `.a{color:red;-moz-binding:url(x.xml#b)}`, "-moz-binding dropped", `.a { color: red; }`},
		{"important", `.a{color:red!important}`, "!important removed from color", `.a { color: red; }`},
		{"font-size", `.a{color:red;font-size:8px}`, "font-size dropped", `.a { color: red; }`},
		{"custom property", `.a{color:red;--x:1}`, "custom property --x dropped", `.a { color: red; }`},
		{"display none", `.a{color:red;display:none}`, "display none is not kept", `.a { color: red; }`},
		{"negative margin", `.a{color:red;margin-top:-500px}`, "margin-top dropped", `.a { color: red; }`},
		{"huge width", `.a{color:red;width:99999px}`, "want 0 to 2000px", `.a { color: red; }`},
		{"viewport unit", `.a{color:red;width:100vw}`, "unit vw is not kept", `.a { color: red; }`},
		{"escape in keyword", `.a{color:red;display:bl\ock}`, "not a plain keyword", `.a { color: red; }`},
		{"string", `.a{color:red;list-style-type:"x"}`, "strings are not kept", `.a { color: red; }`},
		{"calc", `.a{color:red;width:calc(100% - 1px)}`, "function calc() is not kept", `.a { color: red; }`},
		{"universal", `*, .a{color:red}`, "universal selector", `.a { color: red; }`},
		{"has", `div:has(p), .a{color:red}`, "functional pseudo-classes", `.a { color: red; }`},
		{"not", `p:not(.x), .a{color:red}`, "functional pseudo-classes", `.a { color: red; }`},
		{"attribute", `a[href^="http"], .a{color:red}`, "attribute selectors", `.a { color: red; }`},
		{"id", `#x, .a{color:red}`, "id selectors", `.a { color: red; }`},
		{"body", `body, .a{color:red}`, "body is the page", `.a { color: red; }`},
		{"hover", `p:hover, .a{color:red}`, "only :first-child", `.a { color: red; }`},
		{"pseudo-element", `p::before, .a{color:red}`, "only :first-child", `.a { color: red; }`},
		{"leading combinator", `> p, .a{color:red}`, "starts with a combinator", `.a { color: red; }`},
		{"escaped class", `.\61 , .a{color:red}`, "not a plain class name", `.a { color: red; }`},
		{"nesting", `.a{color:red; .b{color:blue}}`, "nested rule dropped", `.a { color: red; }`},
		{"no declaration left", `.a{position:fixed} .b{color:red}`, "no declaration kept", `.b { color: red; }`},
		{"no block", `.b{color:red} .a`, "text without a block", `.b { color: red; }`},
		{"garbage declaration", `.a{color:red; 12px; :x}`, "not a declaration", `.a { color: red; }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns := sanitized(t, tt.in)
			if got != tt.out {
				t.Errorf("got  %s\nwant %s", got, tt.out)
			}
			var all []string
			for _, w := range warns {
				all = append(all, w.String())
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.warn) {
				t.Errorf("warnings %q do not say %q", all, tt.warn)
			}
		})
	}
}

func TestSanitizeWarningLines(t *testing.T) {
	_, warns, err := Sanitize([]byte(".a {\n  color: red;\n  position: fixed;\n}\n/* a\ncomment */\n@import 'x.css';\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 2 || warns[0].String() != "line 3: position dropped: an item may not place content over the page" ||
		!strings.HasPrefix(warns[1].String(), "line 7: @import dropped") {
		t.Errorf("warnings %v", warns)
	}
}

func TestSanitizeRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		err      error
		msg      string
	}{
		{"too large", ".a{color:red}" + strings.Repeat(" ", MaxBytes), ErrTooLarge, "at most 65536"},
		{"not UTF-8", ".a{color:\xff}", ErrEncoding, ""},
		{"NUL", ".a{color:red}\x00", ErrEncoding, ""},
		{"unclosed block", ".a{color:red;\n.b{color:blue}", ErrMalformed, "line 1: { opened here is not closed"},
		{"unclosed function", ".a{color:rgb(1,2,3}", ErrMalformed, "rgb( opened here is not closed"},
		{"unclosed string", ".a{content:\"abc\n}", ErrMalformed, "string not closed"},
		{"unclosed comment", ".a{color:red} /* and", ErrMalformed, "comment not closed"},
		{"unclosed url", ".a{color:red;background:url(a b)}", ErrMalformed, "url( not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := Sanitize([]byte(tt.in))
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) || s != nil {
				t.Errorf("got %v, %v; want %v with %q", s, err, tt.err, tt.msg)
			}
		})
	}
}

func TestSanitizeBounds(t *testing.T) {
	var b strings.Builder
	for range MaxRules + 5 {
		b.WriteString(".a{color:red}")
	}
	s, warns, err := Sanitize([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rules) != MaxRules {
		t.Errorf("%d rules kept, want %d", len(s.Rules), MaxRules)
	}
	if len(warns) != 5 || !strings.Contains(warns[0].Msg, "more than 1000 rules") {
		t.Errorf("warnings %v", warns)
	}
	b.Reset()
	for range maxWarnings + 10 {
		b.WriteString("@x;")
	}
	_, warns, _ = Sanitize([]byte(b.String()))
	if len(warns) != maxWarnings+1 || warns[maxWarnings].Msg != "and 10 more dropped" {
		t.Errorf("%d warnings, last %v", len(warns), warns[len(warns)-1])
	}
}

func TestScoped(t *testing.T) {
	s, _, err := Sanitize([]byte(`.qti-underline, p.lead > span:first-child, td { color: red }`))
	if err != nil {
		t.Fatal(err)
	}
	want := scope + ` .rc-qti-underline, ` + scope + ` p.rc-lead > span:first-child, ` + scope + ` td { color: red; }` + "\n"
	if got := s.Scoped(scope, "rc-"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestStringStable: the text String writes sanitises to itself, with no
// warning (content stores it; the loader checks it again).
func TestStringStable(t *testing.T) {
	s, _, err := Sanitize([]byte(`p.a>span,td+td{margin:0 1em;border:1px solid rgb(0,0,0) ;color:red!important} @media print{p{color:red}}`))
	if err != nil {
		t.Fatal(err)
	}
	text := s.String()
	again, warns, err := Sanitize([]byte(text))
	if err != nil || len(warns) > 0 || again.String() != text {
		t.Errorf("again: %v %v\n%s\nwant\n%s", err, warns, again, text)
	}
}
