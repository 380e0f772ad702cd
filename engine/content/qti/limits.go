package qti

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// A box is a test, test part, section or item ref with a maximum time
// of its own.
type box struct {
	n       *node
	where   string // "test", "test part p1", "section s1", "item ref i3"
	line    int    // of its timeLimits element
	seconds float64
	refs    int  // item refs it holds
	up      *box // the nearest enclosing box, or nil
	dropped bool // its limit is moot, or was given to the box inside it that holds the same items
}

// planLimits reads every maximum time of the test before the form is
// built. Content times the form and, one level below it, single sections,
// so:
//   - a box that holds every item of the test sets the form's limit (the
//     shortest wins);
//   - a shorter box that holds some items becomes one timed content
//     section holding all its items: a section over several sub-sections
//     and a test part of several are merged into one, an item ref gets a
//     section of its own (b.timed, used by the walk);
//   - a box inside a timed box with the same items gives its limit to the
//     innermost, the shorter winning; one not shorter than the box around
//     it is moot; a shorter one holding fewer items refuses the test,
//     since content cannot time a section within a timed one.
//
// A minimum time and late submission are warned of at every level.
func (b *formBuilder) planLimits(root *node) *refusal {
	var boxes []*box
	var walk func(n *node, where string, up *box)
	walk = func(n *node, where string, up *box) {
		if bx := b.boxOf(n, where, up); bx != nil {
			boxes = append(boxes, bx)
			up = bx
		}
		for _, c := range n.Children {
			switch c.Name {
			case "testPart":
				walk(c, "test part "+c.attr("identifier"), up)
			case "assessmentSection":
				walk(c, "section "+c.attr("identifier"), up)
			case "assessmentItemRef":
				walk(c, "item ref "+c.attr("identifier"), up)
			}
		}
	}
	walk(root, "test", nil)
	for _, bx := range boxes {
		if bx.refs == b.refs && (b.limit == 0 || bx.seconds < b.limit) {
			b.limit = bx.seconds
		}
	}
	formLimit := b.limit
	if formLimit == 0 {
		formLimit = b.im.opt.TimeLimit.Seconds()
	}
	b.timed = map[*node]*box{}
	for _, bx := range boxes {
		switch {
		case bx.refs == b.refs:
			bx.dropped = true
		case bx.refs == 0:
			b.fr.warn("line %d: %s: time limit %v on no item, ignored", bx.line, bx.where, seconds(bx.seconds))
			bx.dropped = true
		case bx.seconds >= formLimit:
			b.fr.warn("line %d: %s: time limit %v is not shorter than the test's; the test's limit governs", bx.line, bx.where, seconds(bx.seconds))
			bx.dropped = true
		}
	}
	for _, bx := range boxes { // in document order: every box's enclosing boxes come first
		if bx.dropped {
			continue
		}
		up := bx.up
		for up != nil && up.dropped {
			up = up.up
		}
		switch {
		case up == nil:
		case up.refs == bx.refs:
			bx.seconds = math.Min(bx.seconds, up.seconds)
			up.dropped = true
			delete(b.timed, up.n)
		case bx.seconds >= up.seconds:
			b.fr.warn("line %d: %s: time limit %v is not shorter than that of %s, which governs", bx.line, bx.where, seconds(bx.seconds), up.where)
			bx.dropped = true
			continue
		default:
			return refuse(ReasonUnrepresentable, "line %d: %s has its own time limit of %v inside %s, timed %v (line %d); content times a section, not a section within a timed one",
				bx.line, bx.where, seconds(bx.seconds), up.where, seconds(up.seconds), up.line)
		}
		if seconds(bx.seconds) < time.Second {
			return refuse(ReasonUnrepresentable, "line %d: %s has a time limit of %vs, under a second", bx.line, bx.where, bx.seconds)
		}
		b.timed[bx.n] = bx
	}
	if len(b.timed) > 0 {
		b.fr.warn("timed sections: the form is delivered one section at a time; a candidate cannot go back to a section once it closes (by its time or when they finish it)")
	}
	return nil
}

// boxOf returns n's box, or nil when n sets no maximum time, after
// warning of what content does not enforce.
func (b *formBuilder) boxOf(n *node, where string, up *box) *box {
	tl := n.child("timeLimits")
	if tl == nil {
		return nil
	}
	if tl.attr("minTime") != "" {
		b.fr.warn("%s: minimum time not enforced: the candidate may move on earlier", where)
	}
	if tl.attr("allowLateSubmission") == "true" {
		b.fr.warn("%s: late submission not allowed; the attempt is submitted at the deadline", where)
	}
	v, err := strconv.ParseFloat(tl.attr("maxTime"), 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) {
		return nil
	}
	refs := 1
	switch n.Name {
	case "assessmentTest":
		refs = b.refs
	case "testPart", "assessmentSection":
		refs = len(n.find("assessmentItemRef"))
	}
	return &box{n: n, where: where, line: tl.Line, seconds: v, refs: refs, up: up}
}

func seconds(v float64) time.Duration { return time.Duration(math.Round(v)) * time.Second }

// A merge gathers the items of a timed box into one content section.
type merge struct {
	box       *box
	id, title string   // a timed section's; empty for a test part, which takes its first section's
	at        int      // its content section, or -1 before its first item
	sections  []string // the QTI sections its items came from
}

// into returns the content section that the next item of QTI section
// sid (titled title) goes into: the timed box's when one is open, a new
// timed one for a timed item ref, else the current run's (*cur, started
// when nil).
func (b *formBuilder) into(r *node, sid, title string, shuffle bool, cur **content.Section) (*content.Section, *refusal) {
	if m := b.merge; m != nil {
		if m.at < 0 {
			if m.id == "" {
				m.id, m.title = sid, title
			}
			m.at = b.newSection(m.id, m.title)
			b.form.Sections[m.at].TimeLimit = content.Duration(seconds(m.box.seconds))
		}
		if !slices.Contains(m.sections, sid) {
			m.sections = append(m.sections, sid)
			b.shuffles = append(b.shuffles, shuffle)
		}
		return &b.form.Sections[m.at], nil
	}
	if bx := b.timed[r]; bx != nil {
		if shuffle {
			return nil, refuse(ReasonUnrepresentable, "line %d: %s has its own time limit in shuffled section %s; a section of its own would fix its place", bx.line, bx.where, sid)
		}
		*cur = nil
		b.shuffles = append(b.shuffles, shuffle)
		s := &b.form.Sections[b.newSection(sid, title)]
		s.TimeLimit = content.Duration(seconds(bx.seconds))
		b.fr.warn("line %d: %s is delivered as a section of its own, timed %v", bx.line, bx.where, seconds(bx.seconds))
		return s, nil
	}
	if *cur == nil {
		b.shuffles = append(b.shuffles, shuffle)
		*cur = &b.form.Sections[b.newSection(sid, title)]
	}
	return *cur, nil
}

func (b *formBuilder) newSection(sid, title string) int {
	b.form.Sections = append(b.form.Sections, content.Section{ID: b.sectionID(sid), Title: title})
	return len(b.form.Sections) - 1
}

// open starts gathering the items of n when it is a timed test part or
// section and no box around it is open; the returned func ends it.
func (b *formBuilder) open(n *node) func() {
	bx := b.timed[n]
	if bx == nil || b.merge != nil {
		return func() {}
	}
	m := &merge{box: bx, at: -1}
	if n.Name == "assessmentSection" {
		m.id, m.title = n.attr("identifier"), sectionTitle(n)
	}
	b.merge = m
	return func() {
		b.merge = nil
		if len(m.sections) > 1 {
			b.fr.warn("line %d: %s is delivered as one section timed %v, holding the items of sections %s", bx.line, bx.where, seconds(bx.seconds), strings.Join(m.sections, ", "))
		}
	}
}
