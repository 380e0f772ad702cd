package qti

import (
	"slices"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/content/css"
)

// The stylesheets of an item or a stimulus (qti-stylesheet, stylesheet)
// are sanitised (package css): the safe part is written under assets/ at
// the sheet's path in the package and named by the item's or the case's
// stylesheets, so that the candidate page applies it to that item's or
// case's rich text only. What is dropped is said in the file's report, with
// the sheet's path and line.

// styleEntry is one stylesheet of a source, sanitised once.
type styleEntry struct {
	path  string   // under assets/; "" when it is not applied
	warns []string // what was dropped, or why it is not applied
}

// stylesheets sanitises the stylesheets an item or a stimulus names (root
// is its file's root element) and returns their asset paths, warning in fr
// about what each loses.
func (im *importer) stylesheets(f file, root *node, fr *FileReport) []string {
	var out []string
	for _, st := range root.all("stylesheet") {
		e := im.stylesheet(f, st.attr("href"))
		for _, w := range e.warns {
			fr.warn("%s", w)
		}
		if e.path != "" && !slices.Contains(out, e.path) && len(out) < 8 {
			out = append(out, e.path)
		}
	}
	return out
}

// stylesheet reads and sanitises one stylesheet, once per file.
func (im *importer) stylesheet(f file, ref string) *styleEntry {
	p, ok := resolve(f.path, ref)
	if !ok {
		return &styleEntry{warns: []string{"missing asset " + ref + " (a URL or absolute path is not fetched)"}}
	}
	key := f.arg + "\x00" + p
	if e := im.styles[key]; e != nil {
		return e
	}
	e := &styleEntry{}
	im.styles[key] = e
	notApplied := func(why string) *styleEntry {
		e.warns = append(e.warns, "stylesheet "+p+" not applied: "+why)
		return e
	}
	if msg := content.CheckStylePath(p); msg != "" {
		return notApplied("its path: " + msg)
	}
	data, err := f.src.read(p)
	if err != nil {
		e.warns = []string{"missing asset " + ref}
		return e
	}
	sheet, warns, err := css.Sanitize(data)
	if err != nil {
		return notApplied(err.Error())
	}
	for _, w := range warns {
		e.warns = append(e.warns, "stylesheet "+p+": "+w.String())
	}
	if len(sheet.Rules) == 0 {
		return notApplied("no rule in it is kept")
	}
	out := []byte(sheet.String())
	if prev, dup := im.res.Assets[p]; dup && string(prev) != string(out) {
		return notApplied("it differs from one of the same name already copied")
	}
	im.res.Assets[p] = out
	e.path = p
	return e
}
