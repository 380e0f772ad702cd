package qti

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// Options shape the content an import writes. The zero value is usable.
type Options struct {
	Domain      string         // id of the domain every item is given; default "qti"
	DomainTitle string         // its title; default "Imported from QTI"
	Status      content.Status // of every item and form; default draft
	Bank        string         // name of the bank file, items/NAME.json; default "qti"
	// TimeLimit is given to a form whose test sets none; default 1h.
	TimeLimit time.Duration
}

func (o *Options) defaults() {
	if o.Domain == "" {
		o.Domain = "qti"
	}
	if o.DomainTitle == "" {
		o.DomainTitle = "Imported from QTI"
	}
	if o.Status == "" {
		o.Status = content.StatusDraft
	}
	if o.Bank == "" {
		o.Bank = "qti"
	}
	if o.TimeLimit <= 0 {
		o.TimeLimit = time.Hour
	}
}

// Result is what an import produced: the report and the content, not yet
// written (see Write).
type Result struct {
	Report Report
	Bank   content.Bank
	Forms  []content.Form
	Assets map[string][]byte // by path under assets/
	// Complete is true when every file read was imported.
	Complete bool

	bank string // the bank file's name
}

// importer holds the state of one Import.
type importer struct {
	opt     Options
	res     *Result
	items   map[string]*itemEntry // by "argument\x00path"
	itemIDs map[string]string     // content id -> report path, for duplicates
	cases   map[string]*caseEntry // by "argument\x00path"
	caseIDs map[string]string
	styles  map[string]*styleEntry // by "argument\x00path"
	refs    struct{ total, imported int }
}

type itemEntry struct {
	report *FileReport
	item   *qtiItem
}

type caseEntry struct {
	report *FileReport
	id     string
}

// Import reads every path (a QTI file, a folder, or a .zip content package)
// and converts what it can. It returns an error only when a path cannot be
// opened at all; refusals are in the report.
func Import(paths []string, opt Options) (*Result, error) {
	opt.defaults()
	im := &importer{opt: opt, res: &Result{Assets: map[string][]byte{}, bank: opt.Bank},
		items: map[string]*itemEntry{}, itemIDs: map[string]string{},
		cases: map[string]*caseEntry{}, caseIDs: map[string]string{}, styles: map[string]*styleEntry{}}
	im.res.Bank.Domains = []content.Domain{{ID: opt.Domain, Title: opt.DomainTitle}}
	for i, p := range paths {
		src, err := openSource(p)
		if err != nil {
			if errors.Is(err, errUnsafe) {
				im.add(&FileReport{Path: path.Base(p), Kind: KindManifest, ReasonClass: ReasonUnsafePackage, Reason: err.Error()})
				continue
			}
			return nil, err
		}
		im.source(fmt.Sprint(i), src)
		src.close()
	}
	im.finish()
	return im.res, nil
}

func (im *importer) add(fr *FileReport) {
	if fr.Warnings == nil {
		fr.Warnings = []string{}
	}
	if it := fr.Item; it != nil {
		for _, s := range []*[]string{&it.Choices, &it.Correct, &it.Fixed} {
			if *s == nil {
				*s = []string{}
			}
		}
	}
	im.res.Report.Files = append(im.res.Report.Files, *fr)
}

// file is one XML file to read from a source.
type file struct {
	arg, path, kind string
	src             source
}

// source imports one argument: from its manifest when it has one,
// otherwise every .xml file in it.
func (im *importer) source(arg string, src source) {
	var files []file
	if data, err := src.read("imsmanifest.xml"); err == nil {
		files = im.manifest(arg, src, data)
	} else {
		for _, p := range src.files() {
			if strings.EqualFold(path.Ext(p), ".xml") {
				files = append(files, file{arg: arg, path: p, src: src})
			}
		}
	}
	parsed := map[string]*doc{}
	var tests []file
	for _, f := range files {
		d, fr := im.parse(f)
		if d == nil {
			im.add(fr)
			continue
		}
		parsed[f.path] = d
		switch d.Root.Name {
		case "assessmentItem":
			im.item(f, d, fr)
		case "assessmentTest":
			tests = append(tests, f)
		case "assessmentStimulus":
			im.stimulus(f, d) // stored once, whether or not an item refers to it
		}
	}
	for _, f := range tests {
		im.test(f, parsed[f.path])
	}
}

// parse reads and parses a file, classifying it by its root element. It
// returns a nil doc and a refusal report for a file that is missing,
// malformed or of another version.
func (im *importer) parse(f file) (*doc, *FileReport) {
	fr := &FileReport{Path: f.path, Kind: f.kind}
	if fr.Kind == "" {
		fr.Kind = KindItem
	}
	data, err := f.src.read(f.path)
	if err != nil {
		fr.refused(refuse(ReasonMissingFile, "missing file %s", f.path))
		return nil, fr
	}
	d, err := parseXML(data)
	if err != nil {
		fr.refused(refuse(ReasonMalformedXML, "malformed XML in %s: %v", f.path, err))
		return nil, fr
	}
	switch d.Root.Name {
	case "assessmentItem":
		fr.Kind = KindItem
	case "assessmentTest":
		fr.Kind = KindTest
	case "assessmentStimulus":
		fr.Kind = KindStimulus
	default:
		fr.refused(refuse(ReasonUnsupportedVersion, "%s is not a QTI item, stimulus or test (root element %s)", f.path, d.Root.Name))
		return nil, fr
	}
	fr.Identifier = d.Root.attr("identifier")
	if d.Version == "" {
		fr.refused(refuse(ReasonUnsupportedVersion, "%s: namespace %q is not QTI 3.0, 2.2 or 2.1", f.path, d.Root.Space))
		return nil, fr
	}
	return d, fr
}

// item imports one item file, with its stimulus and images.
func (im *importer) item(f file, d *doc, fr *FileReport) {
	key := f.arg + "\x00" + f.path
	e := &itemEntry{report: fr}
	im.items[key] = e
	defer im.add(fr)
	q, rf := readItem(d.Root, fr, imageResolver(f))
	if rf == nil {
		if first, dup := im.itemIDs[q.item.ID]; dup {
			rf = refuse(ReasonDuplicateIdentifier, "item identifier %q is already used by %s", q.item.ID, first)
		}
	}
	if rf == nil && q.stimRef != nil {
		q.item.Case, rf = im.stimulusRef(f, q.stimRef)
	}
	if rf != nil {
		fr.refused(rf)
		return
	}
	im.assets(f, q.images, fr)
	q.item.Stylesheets = im.stylesheets(f, d.Root, fr)
	q.item.Domain, q.item.Status = im.opt.Domain, im.opt.Status
	im.itemIDs[q.item.ID] = f.path
	fr.Imported, fr.Item, e.item = true, &q.report, q
	im.res.Bank.Items = append(im.res.Bank.Items, q.item)
}

// stimulusRef resolves an item's stimulus and returns its case id.
func (im *importer) stimulusRef(f file, ref *node) (string, *refusal) {
	p, ok := resolve(f.path, ref.attr("href"))
	if !ok {
		return "", refuse(ReasonMissingFile, "stimulus %q is outside the package", ref.attr("href"))
	}
	if c := im.cases[f.arg+"\x00"+p]; c != nil {
		if !c.report.Imported {
			return "", refuse(ReasonMissingFile, "stimulus %s was not imported: %s", p, c.report.Reason)
		}
		return c.id, nil
	}
	sf := file{arg: f.arg, path: p, kind: KindStimulus, src: f.src}
	d, fr := im.parse(sf)
	if d == nil {
		im.cases[f.arg+"\x00"+p] = &caseEntry{report: fr}
		im.add(fr)
		return "", refuse(ReasonMissingFile, "stimulus %s: %s", p, fr.Reason)
	}
	c := im.stimulus(sf, d)
	if !c.report.Imported {
		return "", refuse(ReasonMissingFile, "stimulus %s was not imported: %s", p, c.report.Reason)
	}
	return c.id, nil
}

// stimulus imports a stimulus file as a case, once per file, with its
// images and stylesheets.
func (im *importer) stimulus(f file, d *doc) *caseEntry {
	key := f.arg + "\x00" + f.path
	if c := im.cases[key]; c != nil {
		return c
	}
	fr := &FileReport{Path: f.path, Kind: KindStimulus, Identifier: d.Root.attr("identifier")}
	c := &caseEntry{report: fr, id: fr.Identifier}
	im.cases[key] = c
	defer im.add(fr)
	if msg := checkID(c.id); msg != "" {
		fr.refused(refuse(ReasonInvalidIdentifier, "stimulus identifier %q: %s", c.id, msg))
		return c
	}
	if first, dup := im.caseIDs[c.id]; dup {
		fr.refused(refuse(ReasonDuplicateIdentifier, "stimulus identifier %q is already used by %s", c.id, first))
		return c
	}
	body := d.Root.child("stimulusBody")
	if body == nil {
		body = d.Root
	}
	w := render(body)
	text := w.text()
	if text == "" {
		fr.refused(refuse(ReasonUnrepresentable, "stimulus %s has no text", c.id))
		return c
	}
	html := renderRich(body, imageResolver(f), fr)
	w.warn(fr, html != "")
	im.assets(f, w.images, fr)
	styles := im.stylesheets(f, d.Root, fr)
	title := d.Root.attr("title")
	if title == "" {
		title = c.id
	}
	im.caseIDs[c.id] = f.path
	im.res.Bank.Cases = append(im.res.Bank.Cases, content.Case{ID: c.id, Title: title, Text: text, HTML: html, Stylesheets: styles})
	fr.Imported = true
	return c
}

// assets copies the images a file names, warning by name about each one
// that is missing, absolute or remote.
func (im *importer) assets(f file, images []string, fr *FileReport) {
	for _, ref := range images {
		p, ok := resolve(f.path, ref)
		if !ok {
			fr.warn("missing asset %s (a URL or absolute path is not fetched)", ref)
			continue
		}
		data, err := f.src.read(p)
		if err != nil {
			fr.warn("missing asset %s", ref)
			continue
		}
		if prev, dup := im.res.Assets[p]; dup && string(prev) != string(data) {
			fr.warn("asset %s differs from one of the same name already copied; the first is kept", p)
			continue
		}
		im.res.Assets[p] = data
	}
}

// fixUnshuffled fixes every option of an item that does not shuffle, so
// that a form shuffling its other items' options leaves it in document
// order. When no item shuffles nothing is marked: no form shuffles.
func (im *importer) fixUnshuffled() {
	shuffles := map[string]bool{}
	for _, e := range im.items {
		if e.item != nil {
			shuffles[e.item.item.ID] = e.item.report.Shuffle
		}
	}
	if !slices.Contains(slices.Collect(maps.Values(shuffles)), true) {
		return
	}
	for i := range im.res.Bank.Items {
		it := &im.res.Bank.Items[i]
		if !shuffles[it.ID] {
			for j := range it.Options {
				it.Options[j].Fixed = true
			}
		}
	}
}

// finish fixes the options of items that do not shuffle and writes the
// summary.
func (im *importer) finish() {
	im.fixUnshuffled()
	r := &im.res.Report
	counts := map[string][2]int{}
	complete := true
	for _, f := range r.Files {
		c := counts[f.Kind]
		c[1]++
		if f.Imported || f.Kind == KindManifest && f.ReasonClass == "" {
			c[0]++
		} else {
			complete = false
		}
		counts[f.Kind] = c
	}
	var parts []string
	if im.refs.total > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d item refs imported", im.refs.imported, im.refs.total))
	}
	for _, k := range []string{KindItem, KindStimulus, KindTest} {
		if c := counts[k]; c[1] > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d %s files imported", c[0], c[1], k))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no QTI file found")
		complete = false
	}
	r.Summary = strings.Join(parts, "; ")
	im.res.Complete = complete
}
