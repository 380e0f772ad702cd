package content

import (
	"fmt"
	"io/fs"
	"os"
	"reflect"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/accredit/accredit/internal/jsonfile"
)

// maxFileSize bounds one content file; real banks are a few hundred kilobytes.
const maxFileSize = 16 << 20

// File names and patterns of a content tree.
const (
	itemsGlob    = "items/*.json"
	formsGlob    = "forms/*.json"
	sittingsGlob = "sittings/*.json"
	staffFile    = "staff.json"
)

// LoadDir loads the content tree rooted at the directory path.
func LoadDir(path string) (*Library, error) {
	return Load(os.DirFS(path))
}

// Load reads, validates and indexes the content tree in fsys. At least one
// item bank is required; forms, sittings and staff.json are optional. Files
// are read in lexical order. When any file is malformed, Load reports the
// decoding errors only; otherwise it checks every rule and reports every
// problem found (up to a limit), each as a *FieldError, joined.
func Load(fsys fs.FS) (*Library, error) {
	l := &loader{lib: newLibrary(), errs: newErrors()}
	read := func() { l.read(fsys) }
	assets := func() { l.loadAssets(fsys) }
	if err := l.errs.Check(read, l.checkBanks, l.checkForms, assets, l.checkSittings, l.checkStaff); err != nil {
		return nil, err
	}
	return l.lib, nil
}

// loader holds the state of one Load.
type loader struct {
	banks    []jsonfile.File[Bank]
	forms    []jsonfile.File[Form]
	sittings []jsonfile.File[Sitting]
	staff    *jsonfile.File[[]Staff] // nil without staff.json
	lib      *Library
	errs     *jsonfile.Errors

	accessCodes map[string]where // normalised access codes of all candidates
	// rich holds the rich-text fields of each item ("item:ID") and case
	// ("case:ID") and the images they name.
	rich map[string][]richRef
}

func newLibrary() *Library {
	return &Library{
		Domains:     map[string]*Domain{},
		Cases:       map[string]*Case{},
		Items:       map[string]*Item{},
		Forms:       map[string]*Form{},
		Sittings:    map[string]*Sitting{},
		Assets:      map[string]*Asset{},
		formAssets:  map[string]map[string]bool{},
		byCode:      map[string]codeRef{},
		staffByCode: map[string]int{},
	}
}

// read decodes every file of the tree.
func (l *loader) read(fsys fs.FS) {
	r := &jsonfile.Reader{FS: fsys, Errs: l.errs, Kind: ErrSyntax, MaxSize: maxFileSize, Mismatch: mismatch}
	l.banks = jsonfile.ReadGlob[Bank](r, itemsGlob)
	if len(l.banks) == 0 && l.errs.Empty() {
		l.errs.Add(ErrInvalid, "items", "", "no item bank: want at least one file matching %s", itemsGlob)
	}
	l.forms = jsonfile.ReadGlob[Form](r, formsGlob)
	l.sittings = jsonfile.ReadGlob[Sitting](r, sittingsGlob)
	l.staff = jsonfile.ReadOptional[[]Staff](r, staffFile)
}

// mismatch words a value of the wrong JSON type, e.g. "want an array, got a
// string".
func mismatch(e *json.SemanticError) string {
	return fmt.Sprintf("want %s, got %s", goKind(e), jsonKind(e.JSONKind))
}

func goKind(e *json.SemanticError) string {
	if e.GoType == nil {
		return "another value"
	}
	if e.GoType.String() == "time.Time" {
		return "a date-time string"
	}
	switch e.GoType.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return e.GoType.String()
}

// jsonKind names the kind of a JSON value with its article: "null", "a
// boolean", "an object".
func jsonKind(k jsontext.Kind) string {
	switch name := jsonfile.KindName(k); name {
	case "":
		return "something else"
	case "null":
		return name
	case "object", "array":
		return "an " + name
	default:
		return "a " + name
	}
}
