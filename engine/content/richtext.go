package content

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/accredit/accredit/engine/content/css"
)

// Rich text is a fragment of XHTML from a small subset (docs/content.md,
// "Rich text"): paragraphs, emphasis, lists, tables, images of the content
// tree's assets and MathML. It has no script, no style, no event attribute,
// no link and no URL: an image names a file under assets/ by a clean
// relative path. Every element of the subset may carry class names (at
// most MaxClasses, each a plain name of at most css.MaxClassName
// characters), which the item's stylesheets (docs/content.md,
// "Stylesheets") may style. The candidate page builds its elements from the
// same list, each class name given ClassPrefix.

// Bounds of one rich-text fragment.
const (
	maxRichSize     = 256 << 10
	maxRichElements = 5000
	maxRichDepth    = 32
)

// MaxClasses bounds the class names of one element.
const MaxClasses = 8

// ClassPrefix is put before every class name of rich text on the candidate
// page and in the stylesheets it is sent, so that an item's class names
// never meet the page's own.
const ClassPrefix = "rc-"

// MathML is the namespace of the math element.
const MathML = "http://www.w3.org/1998/Math/MathML"

// richHTML are the XHTML elements of the subset, each with the attributes
// it may carry.
var richHTML = map[string][]string{
	"p": nil, "br": nil, "div": nil, "span": nil, "em": nil, "strong": nil, "b": nil, "i": nil,
	"u": nil, "sub": nil, "sup": nil, "small": nil, "code": nil, "pre": nil, "blockquote": nil,
	"h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil, "hr": nil,
	"ul": nil, "ol": {"start", "type"}, "li": nil, "dl": nil, "dt": nil, "dd": nil,
	"table": nil, "caption": nil, "thead": nil, "tbody": nil, "tfoot": nil, "tr": nil,
	"th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}, "col": {"span"}, "colgroup": {"span"},
	"figure": nil, "figcaption": nil,
	"img": {"src", "alt", "width", "height"},
}

// richMath are the MathML elements of the subset (MathML Core's
// presentation elements) and the attributes they may carry.
var richMath = map[string][]string{
	"math": {"display"}, "mrow": nil, "mi": {"mathvariant"}, "mn": nil, "mo": {"form", "stretchy", "fence", "separator", "lspace", "rspace"},
	"ms": nil, "mtext": nil, "mspace": {"width", "height", "depth"}, "mfrac": {"linethickness"},
	"msqrt": nil, "mroot": nil, "msup": nil, "msub": nil, "msubsup": nil, "munder": nil, "mover": nil,
	"munderover": nil, "mtable": nil, "mtr": nil, "mtd": {"columnspan", "rowspan"}, "mstyle": {"mathvariant", "displaystyle", "scriptlevel"},
	"mpadded": nil, "mphantom": nil, "merror": nil, "semantics": nil, "mmultiscripts": nil, "mprescripts": nil, "none": nil,
}

// RichElement returns the attributes an element of the subset may carry,
// or false when the element is not in it; math selects the MathML list.
func RichElement(name string, math bool) ([]string, bool) {
	if math {
		a, ok := richMath[name]
		return a, ok
	}
	a, ok := richHTML[name]
	return a, ok
}

// imageTypes are the content types of the image files rich text may show,
// by file extension.
var imageTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
}

// ImageType returns the content type of an image file rich text may show,
// by the extension of its name p, or "" for a file it may not show.
func ImageType(p string) string { return imageTypes[strings.ToLower(path.Ext(p))] }

// RichTextError is why CheckRichText refused a fragment, with the line
// within the fragment.
type RichTextError struct {
	Line int
	Msg  string
}

func (e *RichTextError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// CheckRichText parses a rich-text fragment and returns the asset paths its
// images name, in document order, or a *RichTextError saying what is not in
// the subset and where.
func CheckRichText(s string) ([]string, error) {
	if len(s) > maxRichSize {
		return nil, &RichTextError{1, fmt.Sprintf("%d bytes, at most %d", len(s), maxRichSize)}
	}
	d := xml.NewDecoder(strings.NewReader("<rich>" + s + "</rich>"))
	d.Strict = true
	var images []string
	depth, count, mathDepth := 0, 0, 0
	fail := func(format string, a ...any) error {
		line, _ := d.InputPos()
		return &RichTextError{line, fmt.Sprintf(format, a...)}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return images, nil
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &RichTextError{se.Line, se.Msg}
			}
			return nil, fail("%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			count++
			if depth > maxRichDepth+1 || count > maxRichElements+1 {
				return nil, fail("more than %d elements or deeper than %d", maxRichElements, maxRichDepth)
			}
			if depth == 1 {
				continue // the wrapper
			}
			if t.Name.Local == "math" || mathDepth > 0 {
				mathDepth++
			}
			src, err := checkElement(t, mathDepth > 0)
			if err != "" {
				return nil, fail("%s", err)
			}
			if src != "" {
				images = append(images, src)
			}
		case xml.EndElement:
			depth--
			if mathDepth > 0 {
				mathDepth--
			}
		case xml.ProcInst, xml.Directive:
			return nil, fail("processing instructions and directives are not allowed")
		}
	}
}

// checkElement checks one element and its attributes; it returns an
// image's source, or what is wrong.
func checkElement(t xml.StartElement, inMath bool) (src, msg string) {
	name := t.Name.Local
	allowed, ok := richHTML[name]
	space := ""
	if inMath {
		allowed, ok = richMath[name]
		space = MathML
	}
	if t.Name.Space != "" && t.Name.Space != space || !ok {
		return "", fmt.Sprintf("element %s is not in the rich-text subset", name)
	}
	for _, a := range t.Attr {
		if a.Name.Local == "xmlns" && a.Name.Space == "" && name == "math" && a.Value == MathML {
			continue
		}
		if a.Name.Local == "class" && a.Name.Space == "" && !inMath {
			if m := CheckClass(a.Value); m != "" {
				return "", fmt.Sprintf("class=%q on %s: %s", a.Value, name, m)
			}
			continue
		}
		if a.Name.Space != "" || !contains(allowed, a.Name.Local) {
			return "", fmt.Sprintf("attribute %s is not allowed on %s", a.Name.Local, name)
		}
		switch a.Name.Local {
		case "width", "height", "colspan", "rowspan", "span", "start", "columnspan":
			if name != "mspace" {
				if n, err := strconv.Atoi(a.Value); err != nil || n < 0 || n > 10000 {
					return "", fmt.Sprintf("%s=%q on %s: want a whole number", a.Name.Local, a.Value, name)
				}
			}
		case "src":
			if m := CheckAssetPath(a.Value); m != "" {
				return "", fmt.Sprintf("img src %q: %s", a.Value, m)
			}
			src = a.Value
		}
	}
	if name == "img" && src == "" {
		return "", "img without src"
	}
	return src, ""
}

// CheckClass says what is wrong with a class attribute, or "": one to
// MaxClasses names separated by spaces, each of letters, digits, - and _
// (not starting with a digit) and at most css.MaxClassName long.
func CheckClass(v string) string {
	names := strings.Fields(v)
	switch {
	case len(names) == 0:
		return "want at least one class name"
	case len(names) > MaxClasses:
		return fmt.Sprintf("%d class names, at most %d", len(names), MaxClasses)
	}
	for _, n := range names {
		if !css.ValidClassName(n) {
			return fmt.Sprintf("%q: want letters, digits, - and _ (not a digit first), at most %d", n, css.MaxClassName)
		}
	}
	return ""
}

// CheckAssetPath says what is wrong with an image's path, or "": it must be
// a clean relative path within assets/ (no URL, no "..", no query) with the
// extension of an image ImageType knows.
func CheckAssetPath(p string) string {
	switch {
	case !fs.ValidPath(p) || p == "." || strings.ContainsAny(p, `\:?#%`):
		return "want a clean relative path within assets/, not a URL"
	case ImageType(p) == "":
		return "want a .png, .jpg, .gif or .webp image"
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
