// Package qti imports IMS QTI 3.0, 2.2 and 2.1 items, shared stimuli and
// tests as Accredit content (package content, docs/content.md).
//
// Import reads files, folders and .zip content packages (imsmanifest.xml);
// the version is told by the root element's namespace, never by fetching a
// schema. Each item, stimulus and test is imported or refused on its own,
// with a reason class, and every file read has an entry in the Report:
//
//	res, err := qti.Import([]string{"bank.zip"}, qti.Options{})
//	if err != nil {
//		return err // a path could not be opened
//	}
//	for _, f := range res.Report.Files {
//		fmt.Println(f.Path, f.Imported, f.ReasonClass)
//	}
//	err = res.Write("content-out", false) // nothing unless res.Complete
//
// An item is imported when it has one choice interaction and its response
// processing (a template in any of its addresses, or inline rules of the
// common shapes) gives scores content can represent: one response scoring
// the most and every other 0 (a key, with its points), or a sum of option
// values within bounds (partial credit). Processing is run on every
// response the interaction accepts, and the content item is held to the
// same score for each. Choice ranges and fixed choices are kept. Bodies
// become plain text and, when they hold more, rich text in content's XHTML
// subset, their images copied under assets/.
//
// Parsing is bounded in size, element count and depth; a DOCTYPE is
// refused, so no DTD or external entity is ever resolved; zip entries are
// checked for path traversal and expansion before use. docs/qti.md gives
// the mapping, the refusals and the report.
//
// Import keeps no state between calls and is safe for concurrent use.
package qti
