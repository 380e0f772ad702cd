package qti

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// ErrNoForm: Export was asked for a form the library does not hold.
var ErrNoForm = errors.New("qti: no such form")

// Export writes a form as a QTI 3.0 content package: imsmanifest.xml, the
// test (ID.xml), one file per item (items/ID.xml) and per case
// (stimuli/ID.xml). Each item is a choice interaction scored by the
// match_correct template; a case is a stimulus the item refers to. The
// package imports back (Import) to the same items, cases and form; the
// domain and the status, which QTI does not carry, come from the import's
// Options. The bytes are the same for the same form.
func Export(lib *content.Library, formID string) ([]byte, error) {
	f := lib.Forms[formID]
	if f == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoForm, formID)
	}
	files := map[string]string{}
	var res []string // manifest resources, in order
	var itemRes []string
	for _, id := range f.ItemIDs() {
		it := lib.Items[id]
		p := "items/" + id + ".xml"
		files[p] = itemXML(it, f.ShuffleOptions)
		deps := ""
		if it.Case != "" {
			sp := "stimuli/" + it.Case + ".xml"
			if _, done := files[sp]; !done {
				files[sp] = stimulusXML(lib.Cases[it.Case])
				res = append(res, resource(it.Case, "imsqti_stimulus_xmlv3p0", sp, ""))
			}
			deps = fmt.Sprintf(`<dependency identifierref="%s"/>`, attr(it.Case))
		}
		itemRes = append(itemRes, resource(id, "imsqti_item_xmlv3p0", p, deps))
	}
	testPath := f.ID + ".xml"
	files[testPath] = testXML(f)
	res = append(append([]string{resource(f.ID, "imsqti_test_xmlv3p0", testPath, "")}, itemRes...), res...)
	files["imsmanifest.xml"] = xmlHeader + `<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" identifier="` +
		attr(f.ID) + `-package">` + "\n  <metadata><schema>QTI Package</schema><schemaversion>3.0.0</schemaversion></metadata>\n" +
		"  <organizations/>\n  <resources>\n" + strings.Join(res, "") + "  </resources>\n</manifest>\n"
	return zipFiles(files)
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

func resource(id, typ, href, deps string) string {
	return fmt.Sprintf("    <resource identifier=\"%s\" type=\"%s\" href=\"%s\"><file href=\"%s\"/>%s</resource>\n",
		attr(id), typ, attr(href), attr(href), deps)
}

func zipFiles(files map[string]string) ([]byte, error) {
	names := keys(files)
	slices.Sort(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// keys returns a map's keys, unsorted.
func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func itemXML(it *content.Item, shuffle bool) string {
	var b strings.Builder
	card, maxc := "single", 1
	if it.Type == content.MultipleResponse {
		card, maxc = "multiple", it.Select
	}
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<qti-assessment-item xmlns="%s" identifier="%s" title="%s" adaptive="false" time-dependent="false">`+"\n", nsQTI3, attr(it.ID), attr(it.ID))
	fmt.Fprintf(&b, `  <qti-response-declaration identifier="RESPONSE" cardinality="%s" base-type="identifier">`+"\n    <qti-correct-response>", card)
	for _, k := range it.Key {
		fmt.Fprintf(&b, "<qti-value>%s</qti-value>", text(k))
	}
	b.WriteString("</qti-correct-response>\n  </qti-response-declaration>\n")
	b.WriteString(`  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"><qti-default-value><qti-value>0</qti-value></qti-default-value></qti-outcome-declaration>` + "\n")
	if it.Case != "" {
		fmt.Fprintf(&b, `  <qti-assessment-stimulus-ref identifier="%s" href="../stimuli/%s.xml"/>`+"\n", attr(it.Case), attr(it.Case))
	}
	b.WriteString("  <qti-item-body>\n")
	paragraphs(&b, it.Stem, "    ")
	fmt.Fprintf(&b, `    <qti-choice-interaction response-identifier="RESPONSE" shuffle="%t" max-choices="%d">`+"\n", shuffle, maxc)
	for _, o := range it.Options {
		fmt.Fprintf(&b, `      <qti-simple-choice identifier="%s">%s</qti-simple-choice>`+"\n", attr(o.ID), text(o.Text))
	}
	b.WriteString("    </qti-choice-interaction>\n  </qti-item-body>\n")
	b.WriteString(`  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>` + "\n")
	b.WriteString("</qti-assessment-item>\n")
	return b.String()
}

func stimulusXML(c *content.Case) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<qti-assessment-stimulus xmlns="%s" identifier="%s" title="%s">`+"\n  <qti-stimulus-body>\n", nsQTI3, attr(c.ID), attr(c.Title))
	paragraphs(&b, c.Text, "    ")
	b.WriteString("  </qti-stimulus-body>\n</qti-assessment-stimulus>\n")
	return b.String()
}

func testXML(f *content.Form) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<qti-assessment-test xmlns="%s" identifier="%s" title="%s">`+"\n", nsQTI3, attr(f.ID), attr(f.Title))
	fmt.Fprintf(&b, `  <qti-time-limits max-time="%d"/>`+"\n", int64(time.Duration(f.TimeLimit)/time.Second))
	b.WriteString(`  <qti-test-part identifier="part-1" navigation-mode="nonlinear" submission-mode="simultaneous">` + "\n")
	for _, s := range f.Sections {
		fmt.Fprintf(&b, `    <qti-assessment-section identifier="%s" title="%s" visible="true">`+"\n", attr(s.ID), attr(s.Title))
		if f.ShuffleItems {
			b.WriteString(`      <qti-ordering shuffle="true"/>` + "\n")
		}
		for _, id := range s.Items {
			fmt.Fprintf(&b, `      <qti-assessment-item-ref identifier="%s" href="items/%s.xml"/>`+"\n", attr(id), attr(id))
		}
		b.WriteString("    </qti-assessment-section>\n")
	}
	b.WriteString("  </qti-test-part>\n</qti-assessment-test>\n")
	return b.String()
}

// paragraphs writes each line of s as a paragraph, which Import reads back
// as that line.
func paragraphs(b *strings.Builder, s, indent string) {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			fmt.Fprintf(b, "%s<p>%s</p>\n", indent, text(line))
		}
	}
}

func text(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func attr(s string) string { return text(s) }
