package content

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/accredit/accredit/engine/content/css"
)

// An item or a case may name stylesheets (docs/content.md, "Stylesheets"):
// CSS files under assets/ that style its rich text. The loader checks each with
// css.Sanitize and refuses one that is not already safe (anything
// Sanitize would drop), so that what the tree holds is what is applied;
// import-qti writes sanitised sheets. A candidate is sent the sheet scoped
// by StyleScope, its classes with ClassPrefix.

// stylePath is the form of a stylesheet's path: it is written into a CSS
// selector, so no quote, backslash or space may reach it.
var stylePath = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._/-]*\.css$`)

// CheckStylePath says what is wrong with a stylesheet's path, or "": a
// clean relative path within assets/ of letters, digits, ".", "_", "-" and
// "/", ending in .css, at most 200 bytes.
func CheckStylePath(p string) string {
	if len(p) > 200 || !fs.ValidPath(p) || !stylePath.MatchString(p) {
		return "want a clean relative path within assets/ of letters, digits, '.', '_', '-' and '/' ending in .css"
	}
	return ""
}

// StyleScope is the selector every rule of the stylesheet at p is put
// under for the candidate page: the rich-text boxes of an item or a case
// that names it (the page sets data-styles to its stylesheets).
func StyleScope(p string) string { return `.rich[data-styles~="` + p + `"]` }

// checkStyles checks the stylesheet paths of an item or a case, at p in
// file, and remembers them under key (as checkRich does its images), so
// that they are loaded and each form's sheets are known.
func (l *loader) checkStyles(key string, styles []string, file, p string) {
	if len(styles) == 0 {
		return
	}
	sp := join(p, "stylesheets")
	if len(styles) > maxStylesheets {
		l.errs.Add(ErrInvalid, file, sp, "%d stylesheets, at most %d", len(styles), maxStylesheets)
		return
	}
	seen := map[string]bool{}
	for j, s := range styles {
		if msg := CheckStylePath(s); msg != "" {
			l.errs.Add(ErrInvalid, file, fmt.Sprintf("%s[%d]", sp, j), "%q: %s", s, msg)
			return
		}
		if seen[s] {
			l.errs.Add(ErrDuplicate, file, fmt.Sprintf("%s[%d]", sp, j), "%s named twice", s)
			return
		}
		seen[s] = true
	}
	if l.rich == nil {
		l.rich = map[string][]richRef{}
	}
	l.rich[key] = append(l.rich[key], richRef{file: file, path: sp, styles: styles})
}

// errUnsafeStyle: a stylesheet in the tree holds what Sanitize drops.
var errUnsafeStyle = errors.New("holds what a content stylesheet may not")

// readStyle reads a stylesheet, refusing one Sanitize cannot read or would
// change, and scopes it.
func readStyle(fsys fs.FS, p string) (*Asset, error) {
	name := path.Join(assetsDir, p)
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("not found under %s/", assetsDir)
	}
	if !st.Mode().IsRegular() || st.Size() > css.MaxBytes {
		return nil, fmt.Errorf("not a regular file of at most %d KiB", css.MaxBytes>>10)
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	sheet, warns, err := css.Sanitize(data)
	if err != nil {
		return nil, err
	}
	if len(warns) > 0 {
		var msgs []string
		for _, w := range warns[:min(len(warns), 3)] {
			msgs = append(msgs, w.String())
		}
		return nil, fmt.Errorf("%w: %s (import-qti writes a sanitised sheet)", errUnsafeStyle, strings.Join(msgs, "; "))
	}
	scoped := sheet.Scoped(StyleScope(p), ClassPrefix)
	return &Asset{Path: p, Type: StyleType, Data: []byte(scoped), Source: data}, nil
}
