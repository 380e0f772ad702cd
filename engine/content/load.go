package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
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
	l := &loader{lib: newLibrary()}
	l.read(fsys)
	if !l.errs.empty() {
		return nil, l.errs.err()
	}
	l.checkBanks()
	l.checkForms()
	l.checkSittings()
	l.checkStaff()
	if !l.errs.empty() {
		return nil, l.errs.err()
	}
	return l.lib, nil
}

// file is one decoded content file.
type file[T any] struct {
	name string
	v    T
}

// loader holds the state of one Load.
type loader struct {
	banks    []file[Bank]
	forms    []file[Form]
	sittings []file[Sitting]
	staff    *file[[]Staff]
	lib      *Library
	errs     errorList

	accessCodes map[string]where // normalised access codes of all candidates

}

func newLibrary() *Library {
	return &Library{
		Domains:     map[string]*Domain{},
		Cases:       map[string]*Case{},
		Items:       map[string]*Item{},
		Forms:       map[string]*Form{},
		Sittings:    map[string]*Sitting{},
		byCode:      map[string]codeRef{},
		staffByCode: map[string]int{},
	}
}

// read decodes every file of the tree.
func (l *loader) read(fsys fs.FS) {
	l.banks = readAll[Bank](l, fsys, itemsGlob)
	if len(l.banks) == 0 && l.errs.empty() {
		l.errs.add(ErrInvalid, "items", "", "no item bank: want at least one file matching %s", itemsGlob)
	}
	l.forms = readAll[Form](l, fsys, formsGlob)
	l.sittings = readAll[Sitting](l, fsys, sittingsGlob)
	if _, err := fs.Stat(fsys, staffFile); err == nil {
		if v, ok := readFile[[]Staff](l, fsys, staffFile); ok {
			l.staff = &file[[]Staff]{staffFile, v}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		l.errs.add(ErrSyntax, staffFile, "", "%v", err)
	}
}

func readAll[T any](l *loader, fsys fs.FS, pattern string) []file[T] {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		panic("content: bad glob pattern " + pattern) // patterns are constants
	}
	var out []file[T]
	for _, name := range names {
		if v, ok := readFile[T](l, fsys, name); ok {
			out = append(out, file[T]{name, v})
		}
	}
	return out
}

func readFile[T any](l *loader, fsys fs.FS, name string) (T, bool) {
	var v T
	data, err := readLimited(fsys, name)
	if err != nil {
		l.errs.add(ErrSyntax, name, "", "%v", err)
		return v, false
	}
	if err := decode(data, &v); err != nil {
		path, msg := describe(data, err)
		l.errs.add(ErrSyntax, name, path, "%s", msg)
		return v, false
	}
	return v, true
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if info.Size() > maxFileSize {
		return nil, fmt.Errorf("file is %d bytes, more than the %d allowed", info.Size(), maxFileSize)
	}
	return fs.ReadFile(fsys, name)
}

// decode is strict: unknown fields, repeated fields, invalid UTF-8 and
// trailing data are errors, and field names match exactly.
func decode(data []byte, v any) error {
	return json.Unmarshal(data, v, json.RejectUnknownMembers(true))
}

// describe turns a decoding error into a field path and a message.
func describe(data []byte, err error) (path, msg string) {
	var serr *json.SemanticError
	if errors.As(err, &serr) {
		if serr.Err == json.ErrUnknownName {
			return fieldPath(serr.JSONPointer), "unknown field"
		}
		if syn, ok := serr.Err.(*jsontext.SyntacticError); ok {
			return describeSyntax(data, syn)
		}
		if serr.Err != nil {
			return fieldPath(serr.JSONPointer), serr.Err.Error()
		}
		return fieldPath(serr.JSONPointer), fmt.Sprintf("want %s, got %s", goKind(serr), jsonKind(serr.JSONKind))
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return describeSyntax(data, syn)
	}
	return "", err.Error()
}

func describeSyntax(data []byte, syn *jsontext.SyntacticError) (path, msg string) {
	line, col := position(data, syn.ByteOffset)
	text := strings.TrimPrefix(syn.Err.Error(), "jsontext: ")
	if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
		text = "field given twice"
	}
	return fieldPath(syn.JSONPointer), fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, text)
}

// position converts a byte offset into a 1-based line and column.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + len(before) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}

// fieldPath writes a JSON pointer ("/items/3/key/0") as a field path
// ("items[3].key[0]").
func fieldPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
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

func jsonKind(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "a boolean"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "something else"
}
