package qti

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// maxFormTime is the longest time limit content accepts.
const maxFormTime = 8 * time.Hour

// formBuilder gathers one test's form.
type formBuilder struct {
	im       *importer
	f        file
	fr       *FileReport
	form     content.Form
	limit    float64 // seconds; 0 none yet
	shuffles []bool  // per run of item refs: whether its items shuffle
	items    []*qtiItem
	refused  []string // item refs whose item was refused, with the reason class
	refs     int
	entries  map[*node]*itemEntry // the item of each item ref
	seen     map[string]bool
	timed    map[*node]*box // parts, sections and item refs timed as one content section (planLimits)
	merge    *merge         // the timed box whose items are being gathered, or nil
}

// resolveRefs finds the item of every item ref (importing one the package
// did not list) and counts them for the summary, whether or not the test
// itself can be imported.
func (b *formBuilder) resolveRefs(root *node) {
	b.entries = map[*node]*itemEntry{}
	for _, r := range root.find("assessmentItemRef") {
		p, ok := resolve(b.f.path, r.attr("href"))
		e := b.im.items[b.f.arg+"\x00"+p]
		if !ok || e == nil {
			e = b.im.loadRef(b.f, p, ok, r.attr("href"))
		}
		b.entries[r] = e
		b.refs++
		b.im.refs.total++
		if e.report.Imported {
			b.im.refs.imported++
		} else {
			b.refused = append(b.refused, fmt.Sprintf("%s (%s)", r.attr("identifier"), e.report.ReasonClass))
		}
	}
}

// test imports an assessmentTest as a form. The form is written only when
// every item it refers to was imported.
func (im *importer) test(f file, d *doc) {
	root := d.Root
	fr := &FileReport{Path: f.path, Kind: KindTest, Identifier: root.attr("identifier")}
	defer im.add(fr)
	b := &formBuilder{im: im, f: f, fr: fr, seen: map[string]bool{}}
	b.resolveRefs(root)
	rf := b.build(root)
	if rf == nil && len(b.refused) > 0 {
		rf = refuse(ReasonRefusedItems, "%d of %d item refs imported; refused: %s", b.refs-len(b.refused), b.refs, strings.Join(b.refused, "; "))
	}
	if rf != nil {
		fr.refused(rf)
		return
	}
	im.res.Forms = append(im.res.Forms, b.form)
	fr.Imported = true
}

func (b *formBuilder) build(root *node) *refusal {
	id := root.attr("identifier")
	if msg := checkID(id); msg != "" {
		return refuse(ReasonInvalidIdentifier, "test identifier %q: %s", id, msg)
	}
	if slices.ContainsFunc(b.im.res.Forms, func(f content.Form) bool { return f.ID == id }) {
		return refuse(ReasonDuplicateIdentifier, "test identifier %q is already used by another test", id)
	}
	if c := firstOf(root, "branchRule", "preCondition"); c != "" {
		return refuse(ReasonConditionalSection, "test %s uses %s; content forms deliver every item in order", id, c)
	}
	b.form = content.Form{ID: id, Title: root.attr("title"), Status: b.im.opt.Status}
	if strings.TrimSpace(b.form.Title) == "" {
		b.form.Title = id
	}
	if root.child("outcomeProcessing") != nil {
		b.fr.warn("test outcome processing ignored: the knowledge score sums item scores")
	}
	if rf := b.planLimits(root); rf != nil {
		return rf
	}
	parts := root.all("testPart")
	if len(parts) == 0 {
		return refuse(ReasonUnrepresentable, "test %s has no test part", id)
	}
	for _, p := range parts {
		if rf := b.part(p); rf != nil {
			return rf
		}
	}
	b.navigation(parts)
	if rf := b.finishForm(); rf != nil {
		return rf
	}
	return nil
}

// navigation makes the form linear when every test part is; when only
// some are, it is delivered with free navigation, with a warning.
func (b *formBuilder) navigation(parts []*node) {
	var linear []string
	for _, p := range parts {
		if p.attr("navigationMode") == "linear" {
			linear = append(linear, p.attr("identifier"))
		}
	}
	switch {
	case len(linear) == len(parts):
		b.form.Navigation = content.NavigationLinear
	case len(linear) > 0:
		b.fr.warn("test parts %s are linear and the others not: a form has one navigation mode, delivered free (candidates may go back)", strings.Join(linear, ", "))
	}
}

func (b *formBuilder) part(p *node) *refusal {
	defer b.open(p)()
	for _, s := range p.all("assessmentSection") {
		if rf := b.section(s); rf != nil {
			return rf
		}
	}
	return nil
}

// section flattens a section: each run of item refs becomes a content
// section named after the QTI section that holds it.
func (b *formBuilder) section(s *node) *refusal {
	sid := s.attr("identifier")
	if msg := checkID(sid); msg != "" {
		return refuse(ReasonInvalidIdentifier, "section identifier %q: %s", sid, msg)
	}
	if sel := s.child("selection"); sel != nil {
		n, _ := strconv.Atoi(sel.attr("select"))
		kids := len(s.all("assessmentItemRef")) + len(s.all("assessmentSection"))
		if sel.attr("withReplacement") == "true" || n < kids {
			return refuse(ReasonUnrepresentable, "section %s selects %s of its %d children; a form delivers every item", sid, sel.attr("select"), kids)
		}
	}
	shuffle := false
	if o := s.child("ordering"); o != nil && o.attr("shuffle") == "true" {
		shuffle = true
		if len(s.all("assessmentSection")) > 0 {
			return refuse(ReasonUnrepresentable, "section %s shuffles its sub-sections; a form shuffles items within a section only", sid)
		}
	}
	defer b.open(s)()
	title := sectionTitle(s)
	var cur *content.Section
	for _, c := range s.Children {
		switch c.Name {
		case "assessmentSection":
			cur = nil
			if rf := b.section(c); rf != nil {
				return rf
			}
		case "assessmentItemRef":
			sec, rf := b.into(c, sid, title, shuffle, &cur)
			if rf != nil {
				return rf
			}
			if rf := b.itemRef(c, sec, shuffle); rf != nil {
				return rf
			}
		}
	}
	return nil
}

// sectionTitle is a section's title, or its identifier when it has none.
func sectionTitle(s *node) string {
	if t := s.attr("title"); t != "" {
		return t
	}
	return s.attr("identifier")
}

func (b *formBuilder) sectionID(sid string) string {
	id := sid
	for n := 2; slices.ContainsFunc(b.form.Sections, func(s content.Section) bool { return s.ID == id }); n++ {
		id = fmt.Sprintf("%s-%d", sid, n)
	}
	return id
}

func (b *formBuilder) itemRef(r *node, sec *content.Section, shuffle bool) *refusal {
	rid := r.attr("identifier")
	if shuffle && r.attr("fixed") == "true" {
		return refuse(ReasonUnrepresentable, "item ref %s is fixed in a shuffled section; a form shuffles every item of a section", rid)
	}
	if firstOf(r, "branchRule", "preCondition") != "" {
		return refuse(ReasonConditionalSection, "item ref %s has a branch rule or pre-condition", rid)
	}
	if len(r.all("weight")) > 0 {
		b.fr.warn("item ref %s: weights ignored; every item scores what its own processing gives", rid)
	}
	e := b.entries[r]
	if !e.report.Imported {
		return nil
	}
	id := e.item.item.ID
	if b.seen[id] {
		return refuse(ReasonDuplicateIdentifier, "item %s appears twice in test %s", id, b.form.ID)
	}
	b.seen[id] = true
	sec.Items = append(sec.Items, id)
	b.items = append(b.items, e.item)
	return nil
}

// loadRef imports an item a test names that the package did not list.
func (im *importer) loadRef(t file, p string, ok bool, href string) *itemEntry {
	if !ok {
		fr := &FileReport{Path: href, Kind: KindItem, Warnings: []string{}}
		fr.refused(refuse(ReasonMissingFile, "item %s is outside the package", href))
		im.add(fr)
		return &itemEntry{report: fr}
	}
	f := file{arg: t.arg, path: p, kind: KindItem, src: t.src}
	d, fr := im.parse(f)
	if d == nil || d.Root.Name != "assessmentItem" {
		if d != nil {
			fr.refused(refuse(ReasonMissingFile, "%s is not an item", p))
		}
		im.add(fr)
		e := &itemEntry{report: fr}
		im.items[t.arg+"\x00"+p] = e
		return e
	}
	im.item(f, d, fr)
	return im.items[t.arg+"\x00"+p]
}

// finishForm sets the time limit and the shuffle flags.
func (b *formBuilder) finishForm() *refusal {
	if b.limit == 0 {
		b.form.TimeLimit = content.Duration(b.im.opt.TimeLimit)
		b.fr.warn("the test sets no time limit: given %v", b.im.opt.TimeLimit)
	} else {
		d := time.Duration(math.Round(b.limit)) * time.Second
		if d > maxFormTime {
			return refuse(ReasonUnrepresentable, "time limit %v is longer than %v", d, maxFormTime)
		}
		b.form.TimeLimit = content.Duration(d)
	}
	if len(b.form.Sections) == 0 {
		return refuse(ReasonUnrepresentable, "test %s refers to no item", b.form.ID)
	}
	if slices.Contains(b.shuffles, true) {
		if slices.Contains(b.shuffles, false) {
			return refuse(ReasonUnrepresentable, "some sections shuffle and others do not; a form shuffles all or none")
		}
		b.form.ShuffleItems = true
	}
	b.form.ShuffleOptions = b.shuffleOptions()
	return nil
}

// shuffleOptions shuffles options on the form when any of its items
// shuffles; the options of an item that does not shuffle, and fixed
// choices, are fixed and keep their place (see fixUnshuffled).
func (b *formBuilder) shuffleOptions() bool {
	return slices.ContainsFunc(b.items, func(q *qtiItem) bool { return q.report.Shuffle })
}

// firstOf returns the first element name of names found below n, or "".
func firstOf(n *node, names ...string) string {
	for _, name := range names {
		if len(n.find(name)) > 0 {
			return name
		}
	}
	return ""
}
