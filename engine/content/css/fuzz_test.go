package css

import (
	"errors"
	"strings"
	"testing"
)

// FuzzSanitize: Sanitize never panics, refuses only with its sentinel
// errors, and what it keeps loads nothing and reaches nothing outside the
// scope: no url(, no @, no backslash or quote, every selector under the
// scope, and the plain text sanitises to itself with no warning.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		`.qti-underline { text-decoration: underline }`,
		`p.a>span,td+td{margin:0 1em;border:1px solid rgb(0,0,0);color:red!important}`,
		`@import url(x.css); @media print { p { color: red } } .a { background: url("x.png") }`,
		`.a{width:expression(alert(1));behavior:url(x.htc);-moz-binding:url(x)}`,
		`.a{color:r\65 d} .\75rl{color:red} u\72l(x) {}`,
		`div:has(p), *, #x, [a], body, > p { color: red }`,
		`.a{.b{color:red}} .c{grid-template-columns:repeat(2, minmax(1px, 1fr))}`,
		`.a{color:rgb(1,2,3}`, `/* unclosed`, `.a{content:"x`, "<!-- .a{color:red} -->",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, warns, err := Sanitize(src)
		if err != nil {
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrEncoding) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not one of the sentinel errors", err)
			}
			return
		}
		if len(warns) > maxWarnings+1 {
			t.Errorf("%d warnings", len(warns))
		}
		out := s.Scoped(scope, "rc-")
		lower := strings.ToLower(s.String())
		for _, bad := range []string{"url(", "@", `\`, `"`, "'", "expression", "!", "image(", "image-set("} {
			if strings.Contains(lower, bad) {
				t.Fatalf("output holds %q:\n%s", bad, out)
			}
		}
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if line == "" {
				continue
			}
			sels, _, ok := strings.Cut(line, " {")
			if !ok || strings.Count(line, "{") != 1 || strings.Count(line, "}") != 1 || !strings.HasSuffix(line, " }") {
				t.Fatalf("rule %q is not one block", line)
			}
			for _, sel := range strings.Split(sels, ", ") {
				if !strings.HasPrefix(sel, scope+" ") || strings.ContainsAny(sel[len(scope):], "[]#*(),:") && !onlyPseudo(sel[len(scope):]) {
					t.Fatalf("selector %q is not under the scope", sel)
				}
			}
		}
		text := s.String()
		again, warns, err := Sanitize([]byte(text))
		if err != nil || len(warns) > 0 || again.String() != text {
			t.Fatalf("the kept sheet does not sanitise to itself: %v %v\n%s", err, warns, text)
		}
	})
}

// onlyPseudo says whether every colon in a selector starts a kept
// pseudo-class and it holds no other punctuation of concern.
func onlyPseudo(sel string) bool {
	if strings.ContainsAny(sel, "[]#*(),") {
		return false
	}
	parts := strings.Split(sel, ":")
	for _, p := range parts[1:] {
		name := p
		if i := strings.IndexAny(p, " .:"); i >= 0 {
			name = p[:i]
		}
		if !pseudoClasses[name] {
			return false
		}
	}
	return true
}
