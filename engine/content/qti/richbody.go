package qti

import (
	"net/http"
	"strings"

	"github.com/accredit/accredit/engine/content"
)

// A body is also written as rich text, content's XHTML subset
// (docs/content.md, "Rich text"), when it holds more than plain paragraphs:
// emphasis, lists, tables, images or MathML. Elements outside the subset
// are unwrapped (their text kept) or dropped as the text rendering drops
// them; attributes outside it are left out (class is kept); an image's src becomes its path
// in the package, which is where the importer copies it under assets/.

// imageFunc resolves an img src to the asset path it is copied to; ""
// when it cannot be shown, with why unless the image is missing (which the
// asset copy reports by name).
type imageFunc func(src string) (asset string, why string)

// richWriter builds one rich-text fragment.
type richWriter struct {
	b     strings.Builder
	image imageFunc
	rich  bool // something beyond paragraphs and line breaks was written
	notes map[string]bool
}

// plainBlocks are written without making the fragment rich.
var plainBlocks = map[string]bool{"p": true, "div": true, "br": true, "span": true}

// unwrapBlocks are block elements outside the subset written as div.
var unwrapBlocks = map[string]bool{"section": true, "article": true, "header": true, "footer": true,
	"aside": true, "nav": true, "contentBody": true, "rubricBlock": true, "prompt": true, "stimulusBody": true, "h1": true}

func (w *richWriter) note(s string) {
	if w.notes == nil {
		w.notes = map[string]bool{}
	}
	w.notes[s] = true
}

// text writes character data escaped, each run of white space as one
// space (as HTML shows it).
func (w *richWriter) text(s string) {
	if s == "" {
		return
	}
	lead := strings.TrimLeft(s, " \t\r\n") != s
	trail := strings.TrimRight(s, " \t\r\n") != s
	f := strings.Fields(s)
	out := strings.Join(f, " ")
	if lead && (len(f) > 0 || trail) {
		out = " " + out
	}
	if trail && len(f) > 0 {
		out += " "
	}
	if b := w.b.String(); strings.HasPrefix(out, " ") && (b == "" || strings.HasSuffix(b, " ")) {
		out = out[1:] // one space where a dropped element stood between two
	}
	w.b.WriteString(textEscaper.Replace(out))
}

var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
var attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", " ", "\t", " ", "\r", " ")

func (w *richWriter) parts(n *node, math bool) {
	for _, p := range n.Parts {
		switch p := p.(type) {
		case string:
			w.text(p)
		case *node:
			w.node(p, math)
		}
	}
}

func (w *richWriter) node(n *node, math bool) {
	name := n.Name
	switch {
	case dropNames[name]:
		return
	case name == "rubricBlock" && n.attr("view") != "" && !strings.Contains(n.attr("view"), "candidate"):
		return
	case name == "choiceInteraction":
		if p := n.child("prompt"); p != nil {
			w.element("div", nil, p, false)
		}
		return
	case n.Attrs["dataStimulusIdref"] != "" || n.Attrs["data-stimulus-idref"] != "":
		return
	case name == "img" && !math:
		w.img(n)
		return
	case name == "math" && n.Space == nsMath:
		w.rich = true
		w.b.WriteString(`<math xmlns="` + content.MathML + `"`)
		w.attrs(n, "math", true)
		w.b.WriteString(">")
		w.parts(n, true)
		w.b.WriteString("</math>")
		return
	}
	if math {
		if _, ok := content.RichElement(name, true); !ok || n.Space != nsMath {
			return // annotations and the like: not shown
		}
		w.element(name, n, n, true)
		return
	}
	if _, ok := content.RichElement(name, false); ok {
		if !plainBlocks[name] {
			w.rich = true
		}
		w.element(name, n, n, false)
		return
	}
	switch {
	case unwrapBlocks[name] && name == "h1":
		w.rich = true
		w.element("h2", n, n, false)
	case unwrapBlocks[name]:
		w.element("div", n, n, false)
	default:
		w.parts(n, false) // a, label, q, cite, ...: their text only
	}
}

// element writes <name attrs>content</name>, the attributes read from
// attrsOf (nil for none) and the content from body.
func (w *richWriter) element(name string, attrsOf, body *node, math bool) {
	w.b.WriteString("<" + name)
	if attrsOf != nil {
		w.attrs(attrsOf, name, math)
	}
	if name == "br" || name == "hr" || name == "col" || name == "mspace" || name == "none" || name == "mprescripts" {
		w.b.WriteString("/>")
		return
	}
	w.b.WriteString(">")
	w.parts(body, math)
	w.b.WriteString("</" + name + ">")
}

func (w *richWriter) attrs(n *node, name string, math bool) {
	allowed, _ := content.RichElement(name, math)
	for _, a := range allowed {
		v, ok := n.Attrs[a]
		if !ok {
			continue
		}
		if (a == "width" || a == "height") && name == "img" || a == "colspan" || a == "rowspan" || a == "span" || a == "start" {
			if strings.Trim(strings.TrimSpace(v), "0123456789") != "" || strings.TrimSpace(v) == "" {
				continue
			}
			v = strings.TrimSpace(v)
		}
		w.b.WriteString(" " + a + `="` + attrEscaper.Replace(v) + `"`)
	}
	if !math {
		w.class(n.Attrs["class"])
	}
}

// class writes the class names of the subset's form (the first
// content.MaxClasses of them): the item's stylesheets may style them, so
// they make the fragment rich. Other names are left out with a warning.
func (w *richWriter) class(v string) {
	var kept []string
	for _, c := range strings.Fields(v) {
		if content.CheckClass(c) != "" || len(kept) == content.MaxClasses {
			w.note("class " + c + " left out: not a plain class name, or more than 8 on one element")
			continue
		}
		kept = append(kept, c)
	}
	if len(kept) > 0 {
		w.rich = true
		w.b.WriteString(` class="` + strings.Join(kept, " ") + `"`)
	}
}

func (w *richWriter) img(n *node) {
	alt := strings.Join(strings.Fields(n.Attrs["alt"]), " ")
	asset, why := w.image(n.attr("src"))
	if asset == "" {
		if why != "" {
			w.note(why)
		}
		if alt == "" {
			alt = "image"
		}
		w.text("[" + alt + "]")
		return
	}
	w.rich = true
	w.b.WriteString(`<img src="` + attrEscaper.Replace(asset) + `" alt="` + attrEscaper.Replace(alt) + `"`)
	for _, a := range []string{"width", "height"} {
		if v := n.attr(a); v != "" && strings.Trim(v, "0123456789") == "" {
			w.b.WriteString(" " + a + `="` + v + `"`)
		}
	}
	w.b.WriteString("/>")
}

// renderRich writes n's content as rich text; "" when it is plain (the
// text rendering says it all) or when the result is not in the subset.
func renderRich(n *node, image imageFunc, fr *FileReport) string {
	w := &richWriter{image: image}
	w.parts(n, false)
	for s := range w.notes {
		fr.warn("%s", s)
	}
	if !w.rich {
		return ""
	}
	html := strings.TrimSpace(w.b.String())
	if _, err := content.CheckRichText(html); err != nil {
		fr.warn("body kept as text only: its rich text is not in content's subset (%v)", err)
		return ""
	}
	return html
}

// imageResolver resolves images against the file at from in src: a path
// in the package whose bytes are an image content shows.
func imageResolver(f file) imageFunc {
	return func(ref string) (string, string) {
		p, ok := resolve(f.path, ref)
		if !ok {
			return "", ""
		}
		if msg := content.CheckAssetPath(p); msg != "" {
			return "", "image " + ref + " not shown: " + msg
		}
		data, err := f.src.read(p)
		if err != nil {
			return "", ""
		}
		if want := content.ImageType(p); http.DetectContentType(data) != want {
			return "", "image " + ref + " not shown: its bytes are not " + want
		}
		return p, ""
	}
}
