package qti

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// ErrNoForm: Export was asked for a form the library does not hold.
var ErrNoForm = errors.New("qti: no such form")

// Export writes a form as a QTI 3.0 content package: imsmanifest.xml, the
// test (ID.xml), one file per item (items/ID.xml) and per case
// (stimuli/ID.xml), and the images their rich text shows and their
// stylesheets (qti-stylesheet), at their path under assets/. Each item is
// a choice interaction scored by the match_correct template, by
// map_response for partial credit, or by the inline rule that
// match_correct expands to for another maximum; a case is a stimulus the
// item refers to. The package imports back (Import) to the same items,
// cases and form; the domain and the status, which QTI does not carry,
// come from the import's Options. The bytes are the same for the same form.
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
		deps := assetFiles(lib, files, it.StemHTML, optionsHTML(it)) + styleFiles(lib, files, it.Stylesheets)
		if it.Case != "" {
			sp := "stimuli/" + it.Case + ".xml"
			if _, done := files[sp]; !done {
				c := lib.Cases[it.Case]
				files[sp] = stimulusXML(c)
				res = append(res, resource(it.Case, "imsqti_stimulus_xmlv3p0", sp, assetFiles(lib, files, c.HTML)+styleFiles(lib, files, c.Stylesheets)))
			}
			deps += fmt.Sprintf(`<dependency identifierref="%s"/>`, attr(it.Case))
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

// assetFiles copies the images rich text shows into the package, at their
// path under assets/, and lists them as files of the resource.
func assetFiles(lib *content.Library, files map[string]string, htmls ...string) string {
	var out strings.Builder
	for _, h := range htmls {
		images, _ := content.CheckRichText(h)
		for _, p := range images {
			if a := lib.Assets[p]; a != nil {
				files[p] = string(a.Data)
				fmt.Fprintf(&out, `<file href="%s"/>`, attr(p))
			}
		}
	}
	return out.String()
}

// styleFiles copies the stylesheets of an item or a case into the package,
// at their path under assets/ and as the content tree holds them (not as a
// candidate is sent them), and lists them as files of the resource.
func styleFiles(lib *content.Library, files map[string]string, styles []string) string {
	var out strings.Builder
	for _, p := range styles {
		if a := lib.Assets[p]; a != nil {
			files[p] = string(a.Source)
			fmt.Fprintf(&out, `<file href="%s"/>`, attr(p))
		}
	}
	return out.String()
}

func optionsHTML(it *content.Item) string {
	var b strings.Builder
	for _, o := range it.Options {
		b.WriteString(o.HTML)
	}
	return b.String()
}

// richBody writes rich text into a file one folder below the package's
// root: image paths, relative to the root, gain "../".
func richBody(html string) string {
	return strings.ReplaceAll(html, `<img src="`, `<img src="../`)
}

func itemXML(it *content.Item, shuffle bool) string {
	var b strings.Builder
	card, choices := "single", `max-choices="1"`
	if it.Type == content.MultipleResponse {
		card = "multiple"
		choices = fmt.Sprintf(`max-choices="%d"`, it.Select)
		if it.MaxSelect > 0 {
			choices = fmt.Sprintf(`min-choices="%d" max-choices="%d"`, it.MinSelect, it.MaxSelect)
		}
	}
	fixed := 0
	for _, o := range it.Options {
		if o.Fixed {
			fixed++
		}
	}
	shuffle = shuffle && fixed < len(it.Options)
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<qti-assessment-item xmlns="%s" identifier="%s" title="%s" adaptive="false" time-dependent="false">`+"\n", nsQTI3, attr(it.ID), attr(it.ID))
	fmt.Fprintf(&b, `  <qti-response-declaration identifier="RESPONSE" cardinality="%s" base-type="identifier">`+"\n    <qti-correct-response>", card)
	for _, k := range it.Key {
		fmt.Fprintf(&b, "<qti-value>%s</qti-value>", text(k))
	}
	b.WriteString("</qti-correct-response>\n")
	sc := it.Scoring
	if sc != nil && len(sc.Map) > 0 {
		b.WriteString(mappingXML(sc))
	}
	b.WriteString("  </qti-response-declaration>\n")
	b.WriteString(`  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"><qti-default-value><qti-value>0</qti-value></qti-default-value></qti-outcome-declaration>` + "\n")
	if it.Case != "" {
		fmt.Fprintf(&b, `  <qti-assessment-stimulus-ref identifier="%s" href="../stimuli/%s.xml"/>`+"\n", attr(it.Case), attr(it.Case))
	}
	stylesheetsXML(&b, it.Stylesheets)
	b.WriteString("  <qti-item-body>\n")
	bodyXML(&b, it.StemHTML, it.Stem)
	fmt.Fprintf(&b, `    <qti-choice-interaction response-identifier="RESPONSE" shuffle="%t" %s>`+"\n", shuffle, choices)
	for _, o := range it.Options {
		body := text(o.Text)
		if o.HTML != "" {
			body = richBody(o.HTML)
		}
		fix := ""
		if o.Fixed {
			fix = ` fixed="true"`
		}
		fmt.Fprintf(&b, `      <qti-simple-choice identifier="%s"%s>%s</qti-simple-choice>`+"\n", attr(o.ID), fix, body)
	}
	b.WriteString("    </qti-choice-interaction>\n  </qti-item-body>\n")
	switch {
	case sc != nil && len(sc.Map) > 0:
		b.WriteString(`  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"/>` + "\n")
	case sc != nil && sc.Points > 0:
		fmt.Fprintf(&b, `  <qti-response-processing><qti-response-condition><qti-response-if><qti-match><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-match>`+
			`<qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">%s</qti-base-value></qti-set-outcome-value></qti-response-if></qti-response-condition></qti-response-processing>`+"\n", num(sc.Points))
	default:
		b.WriteString(`  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>` + "\n")
	}
	b.WriteString("</qti-assessment-item>\n")
	return b.String()
}

func stimulusXML(c *content.Case) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<qti-assessment-stimulus xmlns="%s" identifier="%s" title="%s">`+"\n", nsQTI3, attr(c.ID), attr(c.Title))
	stylesheetsXML(&b, c.Stylesheets)
	b.WriteString("  <qti-stimulus-body>\n")
	bodyXML(&b, c.HTML, c.Text)
	b.WriteString("  </qti-stimulus-body>\n</qti-assessment-stimulus>\n")
	return b.String()
}

// stylesheetsXML names stylesheets in a file one folder below the
// package's root, as richBody does images.
func stylesheetsXML(b *strings.Builder, styles []string) {
	for _, p := range styles {
		fmt.Fprintf(b, `  <qti-stylesheet href="../%s" type="text/css"/>`+"\n", attr(p))
	}
}

func testXML(f *content.Form) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<qti-assessment-test xmlns="%s" identifier="%s" title="%s">`+"\n", nsQTI3, attr(f.ID), attr(f.Title))
	fmt.Fprintf(&b, `  <qti-time-limits max-time="%d"/>`+"\n", int64(time.Duration(f.TimeLimit)/time.Second))
	nav := "nonlinear"
	if f.Linear() {
		nav = "linear"
	}
	fmt.Fprintf(&b, `  <qti-test-part identifier="part-1" navigation-mode="%s" submission-mode="simultaneous">`+"\n", nav)
	for _, s := range f.Sections {
		fmt.Fprintf(&b, `    <qti-assessment-section identifier="%s" title="%s" visible="true">`+"\n", attr(s.ID), attr(s.Title))
		if s.TimeLimit > 0 {
			fmt.Fprintf(&b, `      <qti-time-limits max-time="%d"/>`+"\n", int64(time.Duration(s.TimeLimit)/time.Second))
		}
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

// bodyXML writes the content of an item's or a stimulus's body: its rich
// text when there is some, else each line of its plain text as a paragraph.
func bodyXML(b *strings.Builder, html, plain string) {
	if html != "" {
		b.WriteString("    " + richBody(html) + "\n")
	} else {
		paragraphs(b, plain, "    ")
	}
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

// mappingXML writes a partial-credit map as a QTI mapping.
func mappingXML(sc *content.Scoring) string {
	var b strings.Builder
	fmt.Fprintf(&b, `    <qti-mapping default-value="%s"`, num(sc.Default))
	if sc.LowerBound != nil {
		fmt.Fprintf(&b, ` lower-bound="%s"`, num(*sc.LowerBound))
	}
	if sc.UpperBound != nil {
		fmt.Fprintf(&b, ` upper-bound="%s"`, num(*sc.UpperBound))
	}
	b.WriteString(">")
	for _, m := range sc.Map {
		fmt.Fprintf(&b, `<qti-map-entry map-key="%s" mapped-value="%s"/>`, attr(m.Option), num(m.Value))
	}
	b.WriteString("</qti-mapping>\n")
	return b.String()
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func text(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func attr(s string) string { return text(s) }
