package qti

import (
	"strings"
)

// Bodies become plain text (and rich text beside it, richbody.go): the
// plain reading of an item's stem, its options and its case, so
// paragraphs, list items, headings and table rows become lines, a line
// break a line break, an image "[image: alt]". Script, style and embedded
// objects are dropped; MathML keeps its text.

// blockNames end the current line before and after them.
var blockNames = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "table": true, "tr": true, "blockquote": true, "pre": true,
	"prompt": true, "dl": true, "dt": true, "dd": true, "figure": true, "figcaption": true,
	"section": true, "article": true, "header": true, "footer": true, "aside": true, "nav": true,
	"contentBody": true, "rubricBlock": true, "caption": true, "hr": true, "math": true,
}

// dropNames are never shown: scripts, styles, embedded objects, feedback and
// what is for scorers.
var dropNames = map[string]bool{
	"script": true, "style": true, "object": true, "iframe": true, "embed": true, "audio": true,
	"video": true, "feedbackBlock": true, "feedbackInline": true, "modalFeedback": true,
	"templateBlock": true, "templateInline": true, "printedVariable": true,
}

// htmlInline are the inline elements the subset knows; others are kept as
// text with a warning.
var htmlInline = map[string]bool{
	"span": true, "strong": true, "em": true, "b": true, "i": true, "u": true, "sub": true, "sup": true,
	"small": true, "big": true, "code": true, "kbd": true, "q": true, "cite": true, "abbr": true,
	"acronym": true, "dfn": true, "samp": true, "var": true, "a": true, "label": true, "tt": true,
	"thead": true, "tbody": true, "tfoot": true, "td": true, "th": true, "col": true, "colgroup": true,
	"img": true, "br": true, "bdo": true, "bdi": true, "ruby": true, "rt": true, "rp": true,
}

// textWriter builds lines of text.
type textWriter struct {
	lines  []string
	cur    strings.Builder
	space  bool // a space is pending before the next word
	images []string
	notes  map[string]bool // warnings, by text
}

func (w *textWriter) word(s string) {
	for _, f := range strings.Fields(s) {
		if w.cur.Len() > 0 && w.space {
			w.cur.WriteByte(' ')
		}
		w.cur.WriteString(f)
		w.space = true
	}
	if len(s) > 0 && strings.TrimRight(s, " \t\r\n") != s {
		w.space = true
	}
}

func (w *textWriter) endLine() {
	if w.cur.Len() > 0 {
		w.lines = append(w.lines, w.cur.String())
		w.cur.Reset()
	}
	w.space = false
}

func (w *textWriter) note(s string) {
	if w.notes == nil {
		w.notes = map[string]bool{}
	}
	w.notes[s] = true
}

func (w *textWriter) node(n *node) {
	name := n.Name
	switch {
	case dropNames[name]:
		w.note("dropped " + name + " from the body")
		return
	case name == "rubricBlock" && n.attr("view") != "" && !strings.Contains(n.attr("view"), "candidate"):
		return
	case name == "choiceInteraction":
		if p := n.child("prompt"); p != nil {
			w.node(p)
		}
		return
	case n.Attrs["dataStimulusIdref"] != "" || n.Attrs["data-stimulus-idref"] != "":
		return // where the shared stimulus goes; it is shown as the item's case
	case name == "br":
		w.endLine()
		return
	case name == "img":
		w.image(n)
		return
	case name == "math" && n.Space == nsMath:
		w.note(mathNote)
		w.endLine()
		w.word(mathText(n))
		w.endLine()
		return
	case name == "td" || name == "th":
		if w.cur.Len() > 0 {
			w.cur.WriteString(" |")
			w.space = true
		}
	case n.Space != nsMath && !blockNames[name] && !htmlInline[name]:
		w.note("kept the text of unknown element " + name)
	}
	block := blockNames[name]
	if block {
		w.endLine()
	}
	if name == "li" {
		w.cur.WriteString("- ")
	}
	w.parts(n)
	if block {
		w.endLine()
	}
}

func (w *textWriter) image(n *node) {
	if src := n.attr("src"); src != "" {
		w.images = append(w.images, src)
	}
	alt := strings.Join(strings.Fields(n.Attrs["alt"]), " ")
	if alt == "" {
		w.word("[image]")
	} else {
		w.word("[image: " + alt + "]")
	}
}

func (w *textWriter) text() string {
	w.endLine()
	return strings.Join(w.lines, "\n")
}

// render writes the text of n's content (not n itself); a choice
// interaction contributes its prompt only.
func render(n *node) *textWriter {
	w := &textWriter{}
	w.parts(n)
	return w
}

// parts writes n's text and child elements in document order.
func (w *textWriter) parts(n *node) {
	for _, p := range n.Parts {
		switch p := p.(type) {
		case string:
			w.word(p)
		case *node:
			w.node(p)
		}
	}
}

// mathText writes MathML as linear text: tokens separated by spaces,
// superscripts as ^, subscripts as _, fractions as (a)/(b), roots as √().
func mathText(n *node) string {
	kids := func() []string {
		var out []string
		for _, c := range n.Children {
			if t := mathText(c); t != "" {
				out = append(out, t)
			}
		}
		return out
	}
	wrap := func(s string) string {
		if strings.ContainsAny(s, " +-") {
			return "(" + s + ")"
		}
		return s
	}
	switch n.Name {
	case "mi", "mn", "mo", "mtext", "ms":
		return strings.Join(strings.Fields(n.text()), " ")
	case "annotation", "annotation-xml", "mprescripts", "none":
		return ""
	case "semantics":
		if k := kids(); len(k) > 0 {
			return k[0]
		}
		return ""
	}
	k := kids()
	switch {
	case (n.Name == "msup" || n.Name == "msub") && len(k) == 2:
		op := map[string]string{"msup": "^", "msub": "_"}[n.Name]
		return wrap(k[0]) + op + wrap(k[1])
	case n.Name == "msubsup" && len(k) == 3:
		return wrap(k[0]) + "_" + wrap(k[1]) + "^" + wrap(k[2])
	case n.Name == "mfrac" && len(k) == 2:
		return "(" + k[0] + ")/(" + k[1] + ")"
	case n.Name == "msqrt":
		return "√(" + strings.Join(k, " ") + ")"
	case n.Name == "mroot" && len(k) == 2:
		return "root " + k[1] + " of (" + k[0] + ")"
	}
	return strings.Join(k, " ")
}

// mathNote is the warning of MathML written as linear text.
const mathNote = "MathML shown as linear text (x^2, (a)/(b), √(x))"

// warn reports the notes of a text rendering; with rich text beside it,
// MathML is shown as MathML and its linear text needs no warning.
func (w *textWriter) warn(fr *FileReport, rich bool) {
	for n := range w.notes {
		if !(rich && n == mathNote) {
			fr.warn("%s", n)
		}
	}
}
