// Package jsonfile reads the JSON files of a content tree strictly and
// reports every problem as a located error, "file: field path: message".
//
// A loader builds one Reader over its tree and an Errors list, then reads
// single files, optional files and globs of files:
//
//	errs := jsonfile.NewErrors(25, func(n int) error { return fmt.Errorf("%d more not shown", n) })
//	r := &jsonfile.Reader{FS: fsys, Errs: errs, Kind: ErrSyntax, MaxSize: 4 << 20, Mismatch: wording}
//	banks := jsonfile.ReadGlob[Bank](r, "items/*.json")
//	staff := jsonfile.ReadOptional[[]Staff](r, "staff.json")
//	if !errs.Empty() {
//		return errs.Err()
//	}
//
// Decoding refuses unknown fields, repeated fields, invalid UTF-8 and
// trailing data, and matches field names exactly. A file that cannot be read
// or decoded adds one *FieldError naming the file and, where the decoder
// knows it, the field path ("items[3].key[0]") and the line and column of
// invalid JSON. The loader's own checks add their errors to the same list;
// Errors.Check runs them only once every file has decoded:
//
//	err := errs.Check(func() { l.read(fsys) }, l.checkBanks, l.checkForms)
//
// A Reader and an Errors list belong to one load and are not safe for
// concurrent use; a FieldError is immutable.
package jsonfile
