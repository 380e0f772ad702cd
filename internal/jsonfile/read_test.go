package jsonfile

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-json-experiment/json"
)

var errBad = errors.New("test: malformed file")

type doc struct {
	ID    string    `json:"id"`
	Items []item    `json:"items"`
	At    time.Time `json:"at"`
}

type item struct {
	Key []string `json:"key"`
	N   int      `json:"n"`
}

func kindOnly(e *json.SemanticError) string { return "wrong type " + e.JSONKind.String() }

func newReader(fsys fs.FS) *Reader {
	more := func(n int) error { return fmt.Errorf("%d more", n) }
	return &Reader{FS: fsys, Errs: NewErrors(10, more), Kind: errBad, MaxSize: 200, Mismatch: kindOnly}
}

// only returns the single *FieldError in errs, failing the test otherwise.
func only(t *testing.T, errs *Errors) *FieldError {
	t.Helper()
	if len(errs.errs) != 1 {
		t.Fatalf("got %d errors, want 1: %v", len(errs.errs), errs.Err())
	}
	var fe *FieldError
	if !errors.As(errs.errs[0], &fe) {
		t.Fatalf("error is %T, want *FieldError", errs.errs[0])
	}
	return fe
}

func TestReadRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, data, path, msg string
	}{
		{"unknown field", `{"id": "a", "colour": 1}`, "colour", "unknown field"},
		{"unknown nested field", `{"items": [{"n": 1}, {"key": [], "x": 2}]}`, "items[1].x", "unknown field"},
		{"field given twice", "{\"id\": \"a\",\n  \"id\": \"b\"}", "id", "invalid JSON at line 2, column 3: field given twice"},
		{"case differs", `{"ID": "a"}`, "ID", "unknown field"},
		{"wrong type", `{"items": [{"key": "b"}]}`, "items[0].key", "wrong type string"},
		{"wrong type at top", `[]`, "", "wrong type ["},
		{"bad time", `{"at": "yesterday"}`, "at", `parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
		{"trailing comma", "{\"id\": \"a\",\n\n   }", "", "invalid JSON at line 1, column 11: invalid character ',' at start of value"},
		{"missing comma", "{\"id\": \"a\"\n\n   \"at\": 1}", "", "invalid JSON at line 3, column 4: invalid character '\"' after object value (expecting ',' or '}')"},
		{"trailing data", `{"id": "a"} {}`, "", "invalid JSON at line 1, column 13: invalid character '{' after top-level value"},
		{"empty", ``, "", "invalid JSON at line 1, column 1: unexpected EOF"},
		{"invalid UTF-8", "{\"id\": \"\xff\"}", "id", "invalid JSON at line 1, column 9: invalid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newReader(fstest.MapFS{"d/a.json": {Data: []byte(tc.data)}})
			if _, ok := Read[doc](r, "d/a.json"); ok {
				t.Fatal("Read succeeded")
			}
			fe := only(t, r.Errs)
			if fe.File != "d/a.json" || fe.Path != tc.path || fe.Msg != tc.msg || fe.Kind != errBad {
				t.Errorf("got %q %q %q %v, want %q %q %q %v", fe.File, fe.Path, fe.Msg, fe.Kind, "d/a.json", tc.path, tc.msg, errBad)
			}
		})
	}
}

func TestReadFileLimits(t *testing.T) {
	fsys := fstest.MapFS{
		"big.json": {Data: []byte(`{"id": "` + strings.Repeat("x", 200) + `"}`)},
		"dir.json": {Mode: fs.ModeDir},
	}
	for _, tc := range []struct {
		name, file string
		irregular  bool
		msg        string
	}{
		{"too big", "big.json", false, "file is 210 bytes, more than the 200 allowed"},
		{"missing", "none.json", false, "open none.json: file does not exist"},
		{"directory", "dir.json", false, "not a regular file"},
		{"directory read anyway", "dir.json", true, "read dir.json: invalid argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newReader(fsys)
			r.Irregular = tc.irregular
			if _, ok := Read[doc](r, tc.file); ok {
				t.Fatal("Read succeeded")
			}
			if fe := only(t, r.Errs); fe.File != tc.file || fe.Path != "" || fe.Msg != tc.msg {
				t.Errorf("got %q %q %q, want %q \"\" %q", fe.File, fe.Path, fe.Msg, tc.file, tc.msg)
			}
		})
	}
}

func TestReadDecodes(t *testing.T) {
	r := newReader(fstest.MapFS{"a.json": {Data: []byte(`{"id": "a", "items": [{"key": ["x", "y"], "n": 2}]}`)}})
	f, ok := Read[doc](r, "a.json")
	if !ok || !r.Errs.Empty() {
		t.Fatalf("Read failed: %v", r.Errs.Err())
	}
	if f.Name != "a.json" || f.Value.ID != "a" || len(f.Value.Items) != 1 || f.Value.Items[0].N != 2 || len(f.Value.Items[0].Key) != 2 {
		t.Errorf("got %+v", f)
	}
}

func TestReadGlob(t *testing.T) {
	r := newReader(fstest.MapFS{
		"d/c.json":   {Data: []byte(`{"id": "c"}`)},
		"d/a.json":   {Data: []byte(`{"id": "a"}`)},
		"d/b.json":   {Data: []byte(`{"id": 2}`)},
		"d/x.txt":    {Data: []byte(`{"id": "x"}`)},
		"e/d.json":   {Data: []byte(`{"id": "d"}`)},
		"d/e/f.json": {Data: []byte(`{"id": "f"}`)},
	})
	files := ReadGlob[doc](r, "d/*.json")
	var got []string
	for _, f := range files {
		got = append(got, f.Name+"="+f.Value.ID)
	}
	if strings.Join(got, " ") != "d/a.json=a d/c.json=c" {
		t.Errorf("files %v, want d/a.json=a d/c.json=c", got)
	}
	if fe := only(t, r.Errs); fe.File != "d/b.json" || fe.Path != "id" {
		t.Errorf("error %v, want one at d/b.json: id", fe)
	}
}

func TestReadOptional(t *testing.T) {
	fsys := fstest.MapFS{
		"good.json": {Data: []byte(`{"id": "g"}`)},
		"bad.json":  {Data: []byte(`{"id": "g"`)},
	}
	for _, tc := range []struct {
		file    string
		wantNil bool
		errs    int
	}{
		{"good.json", false, 0},
		{"bad.json", true, 1},
		{"absent.json", true, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := newReader(fsys)
			f := ReadOptional[doc](r, tc.file)
			if (f == nil) != tc.wantNil || len(r.Errs.errs) != tc.errs {
				t.Fatalf("got %+v and %d errors (%v), want nil %v and %d errors", f, len(r.Errs.errs), r.Errs.Err(), tc.wantNil, tc.errs)
			}
			if f != nil && (f.Name != tc.file || f.Value.ID != "g") {
				t.Errorf("got %+v", f)
			}
		})
	}
}

func TestReaderPanicsWhenIncomplete(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a Reader without Mismatch")
		}
	}()
	r := newReader(fstest.MapFS{})
	r.Mismatch = nil
	ReadGlob[doc](r, "*.json")
}

func ExampleRead() {
	fsys := fstest.MapFS{"rubrics/r1.json": {Data: []byte("{\"id\": \"r1\",\n \"items\": [{\"key\": [\"a\"], \"weight\": 2}]}")}}
	more := func(n int) error { return fmt.Errorf("%d more problems not shown", n) }
	r := &Reader{FS: fsys, Errs: NewErrors(25, more), Kind: errBad, MaxSize: 1 << 20,
		Mismatch: func(*json.SemanticError) string { return "wrong type" }}
	if _, ok := Read[doc](r, "rubrics/r1.json"); !ok {
		fmt.Println(r.Errs.Err())
	}
	// Output: rubrics/r1.json: items[0].weight: unknown field
}
