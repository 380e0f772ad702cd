package qti

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Namespaces that tell the QTI versions apart. The version is read from the
// root element's namespace; no schema is ever fetched.
const (
	nsQTI3  = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
	nsQTI22 = "http://www.imsglobal.org/xsd/imsqti_v2p2"
	nsQTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
	nsMath  = "http://www.w3.org/1998/Math/MathML"
)

// Limits on one XML document.
const (
	maxXMLSize  = 4 << 20 // bytes
	maxElements = 50_000
	maxDepth    = 64
)

// node is one element of a parsed document. QTI 3.0 names are rewritten to
// the QTI 2.x spelling (qti-choice-interaction becomes choiceInteraction,
// max-choices becomes maxChoices), so the rest of the package reads one
// vocabulary. Elements of other namespaces (MathML) keep their names and
// their Space.
type node struct {
	Name     string
	Space    string
	Line     int // of the start tag's end, for located messages
	Attrs    map[string]string
	Children []*node
	// Text holds the character data in document order, interleaved with
	// children: Parts[i] is a string or a *node.
	Parts []any
}

// attr returns an attribute's value, trimmed.
func (n *node) attr(name string) string { return strings.TrimSpace(n.Attrs[name]) }

// child returns the first child element called name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// all returns the child elements called name.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// find returns every descendant called name, in document order.
func (n *node) find(name string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		for _, c := range m.Children {
			if c.Name == name {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// text returns the element's character data, descendants included,
// trimmed.
func (n *node) text() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		for _, p := range m.Parts {
			switch p := p.(type) {
			case string:
				b.WriteString(p)
			case *node:
				walk(p)
			}
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// doc is a parsed QTI document.
type doc struct {
	Root    *node
	Version string // "3.0", "2.2", "2.1" or "" for another namespace
}

// Parse errors.
var (
	errDoctype  = errors.New("a DOCTYPE is not accepted (no DTD or entity is ever resolved)")
	errTooLarge = errors.New("document too large")
)

// parseXML reads one document with encoding/xml, which never resolves an
// external entity or a DTD; a DOCTYPE is refused outright, and the size,
// element count and depth are bounded. A UTF-8 byte-order mark is skipped.
func parseXML(data []byte) (*doc, error) {
	if len(data) > maxXMLSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", errTooLarge, len(data), maxXMLSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return r, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported, want UTF-8", label)
	}
	root, err := build(d)
	if err != nil {
		return nil, err
	}
	return &doc{Root: root, Version: version(root.Space)}, nil
}

func version(space string) string {
	switch space {
	case nsQTI3:
		return "3.0"
	case nsQTI22:
		return "2.2"
	case nsQTI21:
		return "2.1"
	}
	return ""
}

// build reads the token stream into a tree.
func build(d *xml.Decoder) (*node, error) {
	var stack []*node
	var root *node
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return nil, errDoctype
			}
			return nil, fmt.Errorf("directive <!%s> not accepted", firstWord(t))
		case xml.StartElement:
			count++
			if count > maxElements || len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: more than %d elements or deeper than %d", errTooLarge, maxElements, maxDepth)
			}
			n := newNode(t)
			n.Line, _ = d.InputPos()
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
				p.Parts = append(p.Parts, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Parts = append(p.Parts, string(t))
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

func firstWord(b []byte) string {
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// newNode makes a node of a start element, with QTI 3.0 names rewritten.
func newNode(t xml.StartElement) *node {
	n := &node{Name: t.Name.Local, Space: t.Name.Space, Attrs: make(map[string]string, len(t.Attr))}
	v3 := t.Name.Space == nsQTI3
	if v3 && strings.HasPrefix(n.Name, "qti-") {
		n.Name = camel(strings.TrimPrefix(n.Name, "qti-"))
	}
	for _, a := range t.Attr {
		if a.Name.Space != "" && a.Name.Space != "xmlns" {
			continue // xsi:schemaLocation, xml:lang and the like
		}
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}
		name := a.Name.Local
		if v3 {
			name = camel(name)
		}
		n.Attrs[name] = a.Value
	}
	return n
}

// camel turns a QTI 3.0 kebab-case name into the QTI 2.x camelCase one.
func camel(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	var b strings.Builder
	up := false
	for _, r := range s {
		switch {
		case r == '-':
			up = true
		case up:
			b.WriteRune(unicode.ToUpper(r))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
