package css

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"
	tcss "github.com/tdewolff/parse/v2/css"
)

// Errors of Sanitize: a sheet that cannot be read at all.
var (
	// ErrTooLarge: the sheet is over MaxBytes.
	ErrTooLarge = errors.New("css: stylesheet too large")
	// ErrEncoding: the sheet is not UTF-8 text (or holds a NUL).
	ErrEncoding = errors.New("css: stylesheet is not UTF-8 text")
	// ErrMalformed: a block, string or url() is not closed.
	ErrMalformed = errors.New("css: malformed stylesheet")
)

// Bounds of one sheet. A sheet over MaxBytes is refused; rules and
// declarations beyond the others are dropped with a warning.
const (
	MaxBytes        = 64 << 10
	MaxRules        = 1000
	MaxDeclarations = 4000
	maxSelectors    = 32 // per rule
	maxCompounds    = 8  // per selector
	maxWarnings     = 50
)

// Sheet is a sanitised stylesheet.
type Sheet struct {
	Rules []Rule
}

// Rule is a style rule: its selectors and declarations, both non-empty.
type Rule struct {
	Selectors []Selector
	Decls     []Decl
}

// Selector is a complex selector: compounds joined by combinators.
// Combinators[i] joins Compounds[i] and Compounds[i+1]: " ", ">", "+" or "~".
type Selector struct {
	Compounds   []Compound
	Combinators []string
}

// Compound is a compound selector: an optional type, classes and
// pseudo-classes, at least one of them.
type Compound struct {
	Type    string // lower case, or ""
	Classes []string
	Pseudo  []string // lower case, without the colon
}

// Decl is a declaration: a property (lower case) and its value, written
// back from its tokens.
type Decl struct {
	Prop, Value string
}

// Warning is one thing Sanitize dropped, with its line in the sheet.
type Warning struct {
	Line int
	Msg  string
}

func (w Warning) String() string { return fmt.Sprintf("line %d: %s", w.Line, w.Msg) }

// token is one token of the sheet, comments left out.
type token struct {
	t    tcss.TokenType
	v    string
	line int
}

// Sanitize reads a stylesheet and keeps what is safe (see the package
// comment), saying what it dropped. It returns an error, wrapping one of
// the sentinel errors, only when the sheet cannot be read at all.
func Sanitize(src []byte) (*Sheet, []Warning, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, nil, err
	}
	s := &sanitizer{toks: toks}
	if err := s.sheet(); err != nil {
		return nil, nil, err
	}
	if s.more > 0 {
		s.warns = append(s.warns, Warning{s.warns[len(s.warns)-1].Line, fmt.Sprintf("and %d more dropped", s.more)})
	}
	return &Sheet{Rules: s.rules}, s.warns, nil
}

// tokenize reads the sheet's tokens (CSS Syntax Level 3, section 4),
// leaving comments out, and refuses what cannot be read.
func tokenize(src []byte) ([]token, error) {
	switch {
	case len(src) > MaxBytes:
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(src), MaxBytes)
	case !utf8.Valid(src) || bytes.IndexByte(src, 0) >= 0:
		return nil, ErrEncoding
	}
	lx := tcss.NewLexer(parse.NewInputBytes(src))
	var toks []token
	line := 1
	for {
		t, data := lx.Next()
		if t == tcss.ErrorToken {
			break
		}
		tok := token{t, string(data), line}
		line += bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\f"))
		switch t {
		case tcss.CommentToken:
			if !strings.HasSuffix(tok.v, "*/") || len(tok.v) < 4 {
				return nil, fmt.Errorf("%w: line %d: comment not closed", ErrMalformed, tok.line)
			}
			continue
		case tcss.BadStringToken:
			return nil, fmt.Errorf("%w: line %d: string not closed", ErrMalformed, tok.line)
		case tcss.BadURLToken:
			return nil, fmt.Errorf("%w: line %d: url( not closed", ErrMalformed, tok.line)
		case tcss.StringToken:
			if len(tok.v) < 2 || tok.v[len(tok.v)-1] != tok.v[0] {
				return nil, fmt.Errorf("%w: line %d: string not closed", ErrMalformed, tok.line)
			}
		}
		toks = append(toks, tok)
	}
	return toks, nil
}

// sanitizer walks the tokens as CSS Syntax Level 3's "consume a list of
// rules" (section 5.4.1) does, keeping what is safe.
type sanitizer struct {
	toks  []token
	pos   int
	rules []Rule
	decls int
	warns []Warning
	more  int // warnings beyond maxWarnings
}

func (s *sanitizer) warn(line int, format string, a ...any) {
	if len(s.warns) >= maxWarnings {
		s.more++
		return
	}
	s.warns = append(s.warns, Warning{line, fmt.Sprintf(format, a...)})
}

func (s *sanitizer) sheet() error {
	for s.pos < len(s.toks) {
		t := s.toks[s.pos]
		switch t.t {
		case tcss.WhitespaceToken, tcss.CDOToken, tcss.CDCToken:
			s.pos++
		case tcss.AtKeywordToken:
			if err := s.atRule(); err != nil {
				return err
			}
		default:
			if err := s.qualifiedRule(); err != nil {
				return err
			}
		}
	}
	return nil
}

// atRule skips an at-rule (its prelude and its block or semicolon,
// section 5.4.2) with a warning: none is kept.
func (s *sanitizer) atRule() error {
	t := s.toks[s.pos]
	name := strings.ToLower(t.v)
	s.pos++
	for s.pos < len(s.toks) {
		switch s.toks[s.pos].t {
		case tcss.SemicolonToken:
			s.pos++
			s.warn(t.line, "%s dropped: %s", name, atReason(name))
			return nil
		case tcss.LeftBraceToken:
			if _, err := s.block(); err != nil {
				return err
			}
			s.warn(t.line, "%s dropped with its rules: %s", name, atReason(name))
			return nil
		default:
			if err := s.skipValue(); err != nil {
				return err
			}
		}
	}
	s.warn(t.line, "%s dropped: %s", name, atReason(name))
	return nil
}

func atReason(name string) string {
	switch name {
	case "@import":
		return "a stylesheet may not load another"
	case "@font-face":
		return "a stylesheet may not load fonts"
	case "@media":
		return "media queries are not kept (the page's own larger-text and high-contrast modes apply)"
	}
	return "at-rules are not kept"
}

// skipValue steps over one component value (section 5.4.7): a token, or a
// block or function with everything inside it.
func (s *sanitizer) skipValue() error {
	switch s.toks[s.pos].t {
	case tcss.LeftBraceToken, tcss.LeftBracketToken, tcss.LeftParenthesisToken, tcss.FunctionToken:
		_, err := s.block()
		return err
	}
	s.pos++
	return nil
}

// closer is the token that closes a block opened by t.
func closer(t tcss.TokenType) tcss.TokenType {
	switch t {
	case tcss.LeftBraceToken:
		return tcss.RightBraceToken
	case tcss.LeftBracketToken:
		return tcss.RightBracketToken
	}
	return tcss.RightParenthesisToken
}

// block consumes a simple block or function from its opening token to its
// matching closing one and returns the tokens between them; one not closed
// before the end of the sheet is an error.
func (s *sanitizer) block() ([]token, error) {
	stack := []token{s.toks[s.pos]} // the blocks open, innermost last
	s.pos++
	start := s.pos
	for s.pos < len(s.toks) {
		t := s.toks[s.pos]
		s.pos++
		switch t.t {
		case tcss.LeftBraceToken, tcss.LeftBracketToken, tcss.LeftParenthesisToken, tcss.FunctionToken:
			stack = append(stack, t)
		case closer(stack[len(stack)-1].t):
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return s.toks[start : s.pos-1], nil
			}
		}
	}
	open := stack[len(stack)-1]
	return nil, fmt.Errorf("%w: line %d: %s opened here is not closed", ErrMalformed, open.line, open.v)
}

// qualifiedRule reads a prelude up to its block (section 5.4.3) and keeps
// the rule when some of its selectors and declarations are safe.
func (s *sanitizer) qualifiedRule() error {
	line := s.toks[s.pos].line
	start := s.pos
	for s.pos < len(s.toks) && s.toks[s.pos].t != tcss.LeftBraceToken {
		if err := s.skipValue(); err != nil {
			return err
		}
	}
	prelude := s.toks[start:s.pos]
	if s.pos == len(s.toks) {
		s.warn(line, "text without a block dropped")
		return nil
	}
	body, err := s.block()
	if err != nil {
		return err
	}
	if len(s.rules) >= MaxRules {
		s.warn(line, "rule dropped: more than %d rules", MaxRules)
		return nil
	}
	sels := s.selectors(prelude)
	decls := s.declarations(body)
	switch {
	case len(sels) == 0:
		return nil // said by selectors
	case len(decls) == 0:
		s.warn(line, "rule %s dropped: no declaration kept", writeSelectors(sels, "", ""))
		return nil
	}
	s.rules = append(s.rules, Rule{Selectors: sels, Decls: decls})
	return nil
}

// declarations reads a rule's block as a list of declarations (section
// 5.4.5) and keeps the allowed ones.
func (s *sanitizer) declarations(body []token) []Decl {
	var out []Decl
	for i := 0; i < len(body); {
		start, depth, nested := i, 0, false
	scan:
		for ; i < len(body); i++ {
			t := body[i].t
			if t == tcss.SemicolonToken && depth == 0 {
				break
			}
			switch t {
			case tcss.LeftBraceToken, tcss.LeftBracketToken, tcss.LeftParenthesisToken, tcss.FunctionToken:
				depth++
				nested = nested || t == tcss.LeftBraceToken
			case tcss.RightBraceToken, tcss.RightBracketToken, tcss.RightParenthesisToken:
				depth = max(depth-1, 0)
				if t == tcss.RightBraceToken && depth == 0 && nested {
					i++
					break scan
				}
			}
		}
		d := trim(body[start:i])
		if i < len(body) && body[i].t == tcss.SemicolonToken {
			i++
		}
		if len(d) == 0 {
			continue
		}
		if nested {
			s.warn(d[0].line, "nested rule dropped: rules inside rules are not kept")
			continue
		}
		if s.decls >= MaxDeclarations {
			s.warn(d[0].line, "declaration dropped: more than %d declarations", MaxDeclarations)
			continue
		}
		if decl, ok := s.declaration(d); ok {
			s.decls++
			out = append(out, decl)
		}
	}
	return out
}

// trim drops white space at both ends.
func trim(ts []token) []token {
	for len(ts) > 0 && ts[0].t == tcss.WhitespaceToken {
		ts = ts[1:]
	}
	for len(ts) > 0 && ts[len(ts)-1].t == tcss.WhitespaceToken {
		ts = ts[:len(ts)-1]
	}
	return ts
}

// declaration reads one declaration (section 5.4.6): a property name, a
// colon and its value, an !important at its end removed.
func (s *sanitizer) declaration(d []token) (Decl, bool) {
	line := d[0].line
	if d[0].t != tcss.IdentToken && d[0].t != tcss.CustomPropertyNameToken {
		s.warn(line, "%q dropped: not a declaration", clip(join(d)))
		return Decl{}, false
	}
	name := strings.ToLower(d[0].v)
	rest := trim(d[1:])
	if len(rest) == 0 || rest[0].t != tcss.ColonToken {
		s.warn(line, "%q dropped: not a declaration", clip(join(d)))
		return Decl{}, false
	}
	value := trim(rest[1:])
	if n := len(value); n >= 2 && value[n-1].t == tcss.IdentToken && strings.EqualFold(value[n-1].v, "important") {
		j := n - 2
		for j >= 0 && value[j].t == tcss.WhitespaceToken {
			j--
		}
		if j >= 0 && value[j].t == tcss.DelimToken && value[j].v == "!" {
			s.warn(line, "!important removed from %s: the page's own styles must be able to win", name)
			value = trim(value[:j])
		}
	}
	if msg := checkDecl(name, value); msg != "" {
		s.warn(line, "%s", msg)
		return Decl{}, false
	}
	return Decl{Prop: name, Value: writeValue(value)}, true
}

// join writes tokens back as they were.
func join(ts []token) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.v)
	}
	return b.String()
}

// clip shortens text quoted in a warning.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		for i := 60; i > 0; i-- {
			if utf8.RuneStart(s[i]) {
				return s[:i] + "…"
			}
		}
	}
	return s
}
