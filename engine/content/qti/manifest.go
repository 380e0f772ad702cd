package qti

import (
	"errors"
	"path"
	"strings"
)

// manifest reads imsmanifest.xml and lists the QTI files its resources
// name, in manifest order. A manifest that cannot be read is reported and
// every .xml file of the package is read instead.
func (im *importer) manifest(arg string, src source, data []byte) []file {
	fr := &FileReport{Path: "imsmanifest.xml", Kind: KindManifest}
	d, err := parseXML(data)
	if err == nil && d.Root.Name != "manifest" {
		err = errNotManifest
	}
	if err != nil {
		fr.refused(refuse(ReasonMalformedXML, "imsmanifest.xml: %v; every .xml file of the package is read instead", err))
		im.add(fr)
		var files []file
		for _, p := range src.files() {
			if strings.EqualFold(path.Ext(p), ".xml") && p != "imsmanifest.xml" {
				files = append(files, file{arg: arg, path: p, src: src})
			}
		}
		return files
	}
	fr.Identifier, fr.Imported = d.Root.attr("identifier"), true
	var files []file
	seen := map[string]bool{}
	for _, res := range d.Root.find("resource") {
		kind := resourceKind(res.attr("type"))
		if kind == "" {
			continue // web content, control files: read as assets when named
		}
		p, ok := resolve("imsmanifest.xml", res.attr("href"))
		if !ok {
			fr.warn("resource %s: href %q leaves the package", res.attr("identifier"), res.attr("href"))
			continue
		}
		if !seen[p] {
			seen[p] = true
			files = append(files, file{arg: arg, path: p, kind: kind, src: src})
		}
	}
	im.add(fr)
	return files
}

var errNotManifest = errors.New("the root element is not manifest")

// resourceKind maps a content-package resource type to a report kind: the
// QTI 3.0 and 2.x item, test and stimulus types; "" for any other.
func resourceKind(t string) string {
	t = strings.ToLower(t)
	switch {
	case strings.HasPrefix(t, "imsqti_item_"):
		return KindItem
	case strings.HasPrefix(t, "imsqti_test_"):
		return KindTest
	case strings.HasPrefix(t, "imsqti_stimulus_"), strings.Contains(t, "passage"):
		return KindStimulus
	}
	return ""
}
