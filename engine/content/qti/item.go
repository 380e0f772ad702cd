package qti

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/accredit/accredit/engine/content"
)

// maxEnumChoices bounds the choices of a multiple-response item whose
// processing is checked on every response (2^n of them).
const maxEnumChoices = 16

// qtiItem is an item read from a QTI file, before it joins a bank.
type qtiItem struct {
	item    content.Item
	report  ItemReport
	stimRef *node    // the assessmentStimulusRef, if any
	images  []string // img src as written in the bodies
	image   imageFunc
}

// readItem turns an assessmentItem into a content item, or refuses it.
func readItem(root *node, fr *FileReport, image imageFunc) (*qtiItem, *refusal) {
	id := root.attr("identifier")
	if msg := checkID(id); msg != "" {
		return nil, refuse(ReasonInvalidIdentifier, "item identifier %q: %s", id, msg)
	}
	if root.attr("adaptive") == "true" {
		return nil, refuse(ReasonUnsupportedProcessing, "adaptive item %s", id)
	}
	if len(root.all("templateDeclaration")) > 0 || root.child("templateProcessing") != nil {
		return nil, refuse(ReasonUnsupportedProcessing, "templated item %s (template declarations or processing)", id)
	}
	body := root.child("itemBody")
	if body == nil {
		return nil, refuse(ReasonUnrepresentable, "item %s has no item body", id)
	}
	ia, rf := interaction(body, id)
	if rf != nil {
		return nil, rf
	}
	decl := declaration(root, ia.attr("responseIdentifier"))
	if decl == nil {
		return nil, refuse(ReasonNoKey, "item %s: no response declaration for %q", id, ia.attr("responseIdentifier"))
	}
	q := &qtiItem{item: content.Item{ID: id}, image: image}
	if rf := q.readChoices(ia, decl, fr); rf != nil {
		return nil, rf
	}
	sc, rf := q.scorer(root, decl, ia.attr("responseIdentifier"), fr)
	if rf != nil {
		return nil, rf
	}
	if rf := q.key(sc, fr); rf != nil {
		return nil, rf
	}
	stems := render(body)
	q.item.Stem = stems.text()
	q.item.StemHTML = renderRich(body, image, fr)
	q.images = append(q.images, stems.images...)
	stems.warn(fr, q.item.StemHTML != "")
	if strings.TrimSpace(q.item.Stem) == "" {
		return nil, refuse(ReasonUnrepresentable, "item %s has no text to show as its stem", id)
	}
	if refs := root.all("assessmentStimulusRef"); len(refs) > 1 {
		return nil, refuse(ReasonUnrepresentable, "item %s refers to %d stimuli; a content item has one case", id, len(refs))
	} else if len(refs) == 1 {
		q.stimRef = refs[0]
	}
	vendorWarnings(root, fr)
	return q, nil
}

// interaction finds the item's one choice interaction, refusing any other.
func interaction(body *node, id string) (*node, *refusal) {
	var choice []*node
	var walk func(*node) *refusal
	walk = func(n *node) *refusal {
		for _, c := range n.Children {
			switch {
			case c.Name == "choiceInteraction":
				choice = append(choice, c)
			case strings.HasSuffix(c.Name, "Interaction") || c.Name == "endAttemptInteraction":
				return refuse(ReasonUnsupportedInteraction, "unsupported interaction: %s (%s)", c.Name, id)
			default:
				if rf := walk(c); rf != nil {
					return rf
				}
			}
		}
		return nil
	}
	if rf := walk(body); rf != nil {
		return nil, rf
	}
	switch len(choice) {
	case 0:
		return nil, refuse(ReasonUnsupportedInteraction, "item %s has no interaction", id)
	case 1:
		return choice[0], nil
	}
	return nil, refuse(ReasonUnrepresentable, "item %s has %d choice interactions; a content item has one", id, len(choice))
}

func declaration(root *node, rid string) *node {
	for _, d := range root.all("responseDeclaration") {
		if d.attr("identifier") == rid {
			return d
		}
	}
	return nil
}

// readChoices reads the choices, the cardinality and the choice counts.
func (q *qtiItem) readChoices(ia, decl *node, fr *FileReport) *refusal {
	r := &q.report
	r.Cardinality = decl.attr("cardinality")
	if r.Cardinality != "single" && r.Cardinality != "multiple" {
		return refuse(ReasonUnrepresentable, "item %s: cardinality %q; content has single and multiple", q.item.ID, r.Cardinality)
	}
	if bt := decl.attr("baseType"); bt != "identifier" {
		return refuse(ReasonUnrepresentable, "item %s: base type %q, want identifier", q.item.ID, bt)
	}
	r.Shuffle = ia.attr("shuffle") == "true"
	r.MinChoices, r.MaxChoices = intAttr(ia, "minChoices", 0), intAttr(ia, "maxChoices", 1)
	for _, c := range ia.all("simpleChoice") {
		cid := c.attr("identifier")
		if msg := checkID(cid); msg != "" {
			return refuse(ReasonInvalidIdentifier, "item %s: choice identifier %q: %s", q.item.ID, cid, msg)
		}
		if slices.Contains(r.Choices, cid) {
			return refuse(ReasonDuplicateIdentifier, "item %s: choice %q appears twice", q.item.ID, cid)
		}
		r.Choices = append(r.Choices, cid)
		if c.attr("fixed") == "true" {
			r.Fixed = append(r.Fixed, cid)
		}
		w := render(c)
		text := strings.Join(strings.Split(w.text(), "\n"), " ")
		if text == "" {
			return refuse(ReasonUnrepresentable, "item %s: choice %s has no text", q.item.ID, cid)
		}
		q.images = append(q.images, w.images...)
		html := renderRich(c, q.image, fr)
		w.warn(fr, html != "")
		q.item.Options = append(q.item.Options, content.Option{ID: cid, Text: text, HTML: html, Fixed: c.attr("fixed") == "true"})
	}
	if len(r.Choices) < 2 {
		return refuse(ReasonUnrepresentable, "item %s has %d choices; content items have at least 2", q.item.ID, len(r.Choices))
	}
	if r.Cardinality == "multiple" && len(r.Choices) > maxEnumChoices {
		return refuse(ReasonUnrepresentable, "item %s has %d choices; multiple-response items are imported with at most %d", q.item.ID, len(r.Choices), maxEnumChoices)
	}
	return nil
}

func intAttr(n *node, name string, def int) int {
	v, err := strconv.Atoi(n.attr(name))
	if err != nil || v < 0 {
		return def
	}
	return v
}

// values reads <value> children, trimmed, warning when trimming changed one.
func values(n *node, fr *FileReport) []string {
	var out []string
	if n == nil {
		return nil
	}
	for _, v := range n.all("value") {
		t := v.text()
		if raw := rawText(v); raw != t {
			fr.warn("trimmed white space around value %q", t)
		}
		out = append(out, t)
	}
	return out
}

func rawText(n *node) string {
	var b strings.Builder
	for _, p := range n.Parts {
		if s, ok := p.(string); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

// vendorWarnings names elements outside the item body that the importer
// does not read (vendor extensions, companion materials).
func vendorWarnings(root *node, fr *FileReport) {
	known := []string{"responseDeclaration", "outcomeDeclaration", "itemBody", "responseProcessing",
		"assessmentStimulusRef", "stylesheet", "modalFeedback"}
	for _, c := range root.Children {
		if slices.Contains(known, c.Name) {
			continue
		}
		var names []string
		collectNames(c, &names)
		fr.warn("ignored %s (%s)", c.Name, strings.Join(names, ", "))
	}
}

func collectNames(n *node, names *[]string) {
	for _, c := range n.Children {
		if !slices.Contains(*names, c.Name) && len(*names) < 8 {
			*names = append(*names, c.Name)
		}
	}
}

// checkID applies the content rules for ids (docs/content.md): 1 to 64
// letters, digits, '-', '_' and '.', starting with a letter or digit.
func checkID(id string) string {
	if id == "" || len(id) > 64 {
		return "want 1 to 64 characters"
	}
	for i, r := range id {
		alnum := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		if !alnum && (i == 0 || (r != '-' && r != '_' && r != '.')) {
			return fmt.Sprintf("character %q: content ids hold letters, digits, '-', '_' and '.', starting with a letter or digit", r)
		}
	}
	return ""
}
