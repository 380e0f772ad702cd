package content

import (
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
)

// assetsDir holds the images that rich text shows and the stylesheets of
// items and cases.
const assetsDir = "assets"

// maxAssetBytes bounds all the assets of one tree together.
const maxAssetBytes = 256 << 20

// Asset is an image of the content tree, loaded because rich text shows
// it, or a stylesheet of an item or a case.
type Asset struct {
	Path string // within assets/
	Type string // content type, from the extension and checked against the bytes
	// Data is what a candidate is sent: the image, or the stylesheet
	// scoped to the rich text of the items and cases that name it
	// (StyleScope).
	Data []byte
	// Source is a stylesheet's file as it is in the tree (nil for an
	// image): what an export writes.
	Source []byte
}

// StyleType is the content type of a stylesheet.
const StyleType = "text/css; charset=utf-8"

// maxStylesheets bounds the stylesheets of one item or case.
const maxStylesheets = 8

// richRef is one rich-text field and the images it names, or the
// stylesheets of an item or a case.
type richRef struct {
	file, path string
	images     []string
	styles     []string
}

// checkRich checks a rich-text field and remembers its images under key
// (an item's or a case's id), so that the assets of each form are known.
func (l *loader) checkRich(key, html, file, p string) {
	if html == "" {
		return
	}
	images, err := CheckRichText(html)
	if err != nil {
		l.errs.Add(ErrInvalid, file, p, "%v", err)
		return
	}
	if l.rich == nil {
		l.rich = map[string][]richRef{}
	}
	l.rich[key] = append(l.rich[key], richRef{file: file, path: p, images: images})
}

// loadAssets reads every image rich text names, refusing a missing one and
// one whose bytes are not of its extension's type, and every stylesheet,
// and indexes the images and stylesheets each form shows (its items' and
// their cases').
func (l *loader) loadAssets(fsys fs.FS) {
	total := 0
	for _, refs := range l.rich {
		for _, r := range refs {
			for _, p := range r.styles {
				if _, done := l.lib.Assets[p]; done {
					continue
				}
				a, err := readStyle(fsys, p)
				if err == nil && total+len(a.Data)+len(a.Source) > maxAssetBytes {
					err = fmt.Errorf("the assets together exceed %d MiB", maxAssetBytes>>20)
				}
				if err != nil {
					l.errs.Add(ErrInvalid, r.file, r.path, "stylesheet %s: %v", p, err)
					l.lib.Assets[p] = nil
					continue
				}
				total += len(a.Data) + len(a.Source)
				l.lib.Assets[p] = a
			}
			for _, p := range r.images {
				if _, done := l.lib.Assets[p]; done {
					continue
				}
				a, err := readAsset(fsys, p)
				if err == nil && total+len(a.Data) > maxAssetBytes {
					err = fmt.Errorf("the assets together exceed %d MiB", maxAssetBytes>>20)
				}
				if err != nil {
					l.errs.Add(ErrReference, r.file, r.path, "image %s: %v", p, err)
					l.lib.Assets[p] = nil
					continue
				}
				total += len(a.Data)
				l.lib.Assets[p] = a
			}
		}
	}
	for id, f := range l.lib.Forms {
		set := map[string]bool{}
		for _, item := range f.ItemIDs() {
			keys := []string{"item:" + item}
			if it := l.lib.Items[item]; it != nil && it.Case != "" {
				keys = append(keys, "case:"+it.Case)
			}
			for _, k := range keys {
				for _, r := range l.rich[k] {
					for _, p := range slices.Concat(r.images, r.styles) {
						set[p] = true
					}
				}
			}
		}
		if len(set) > 0 {
			l.lib.formAssets[id] = set
		}
	}
}

func readAsset(fsys fs.FS, p string) (*Asset, error) {
	name := path.Join(assetsDir, p)
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("not found under %s/", assetsDir)
	}
	if !st.Mode().IsRegular() || st.Size() > maxFileSize {
		return nil, fmt.Errorf("not a regular file of at most %d MiB", maxFileSize>>20)
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	typ := ImageType(p)
	if got := http.DetectContentType(data); got != typ {
		return nil, fmt.Errorf("its bytes are %s, not %s", got, typ)
	}
	return &Asset{Path: p, Type: typ, Data: data}, nil
}

// FormAsset returns an image or a stylesheet that the form's items or their cases show; an
// asset of another form is not found.
func (l *Library) FormAsset(form, path string) (*Asset, bool) {
	if !l.formAssets[form][path] {
		return nil, false
	}
	a := l.Assets[path]
	return a, a != nil
}
