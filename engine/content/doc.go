// Package content defines the assessment content the engine delivers (item
// banks, test forms, sittings and staff) and loads it from JSON files.
//
// A content tree has this layout (docs/content.md gives every field):
//
//	items/*.json     item banks: domains, case scenarios and items
//	assets/PATH      images that the items' and cases' rich text shows
//	forms/*.json     test forms: sections of items and a time limit
//	sittings/*.json  sittings: a form at a centre, with its candidates
//	staff.json       invigilators, assessors, psychometricians, administrators
//
// Load reads and validates a whole tree at once:
//
//	lib, err := content.LoadDir("content")
//	if err != nil {
//		return err // every problem, one per line: "file: field: what is wrong"
//	}
//	sitting, cand, ok := lib.CandidateByCode("DEMO-ANNA-7Q4K")
//
// Decoding is strict (unknown fields, duplicate fields and trailing data are
// refused) and every rule is checked across all files, so a Library returned
// without error is consistent: every reference resolves, every key is an
// option, every live form holds only live items. Errors are *FieldError
// values, joined with errors.Join, that name the file and the field path.
//
// Items may carry rich text (an XHTML subset, CheckRichText), a range of
// options to choose and partial credit (Item.Points scores an answer).
// Library.FormAsset serves a form's images to its candidates only.
//
// Demo returns the original demonstration content embedded in the binary.
//
// A Library is built once by Load and never modified afterwards, so it is
// safe for concurrent use.
package content
