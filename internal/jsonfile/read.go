package jsonfile

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/go-json-experiment/json"
)

// Reader reads the JSON files of one tree. Every file it cannot read or
// decode adds a *FieldError of kind Kind to Errs. All fields are required
// except Irregular.
type Reader struct {
	FS      fs.FS
	Errs    *Errors
	Kind    error // kind of the errors added: the loader's "malformed file"
	MaxSize int64 // bytes allowed in one file
	// Irregular also reads what is not a regular file (a device, a pipe);
	// otherwise such a file is refused with "not a regular file".
	Irregular bool
	// Mismatch words a value of the wrong JSON type for the Go field it
	// decodes into, e.g. "want an array, got a string".
	Mismatch func(*json.SemanticError) string
}

// File is one decoded file: its path within the tree and its value.
type File[T any] struct {
	Name  string
	Value T
}

// Read decodes the file name into a T. It reports false, after adding the
// error, if the file cannot be read or decoded.
func Read[T any](r *Reader, name string) (File[T], bool) {
	r.check()
	f := File[T]{Name: name}
	data, err := r.readLimited(name)
	if err != nil {
		r.Errs.Add(r.Kind, name, "", "%v", err)
		return f, false
	}
	if err := decode(data, &f.Value); err != nil {
		path, msg := describe(data, err, r.Mismatch)
		r.Errs.Add(r.Kind, name, path, "%s", msg)
		return f, false
	}
	return f, true
}

// ReadOptional decodes the file name if it exists. It returns nil when the
// file does not exist, or cannot be read or decoded (adding the error).
func ReadOptional[T any](r *Reader, name string) *File[T] {
	r.check()
	if _, err := fs.Stat(r.FS, name); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.Errs.Add(r.Kind, name, "", "%v", err)
		}
		return nil
	}
	if f, ok := Read[T](r, name); ok {
		return &f
	}
	return nil
}

// ReadGlob decodes every file matching pattern, in lexical order, and
// returns those that decoded. It panics on a malformed pattern: patterns
// are constants of the loader.
func ReadGlob[T any](r *Reader, pattern string) []File[T] {
	r.check()
	names, err := fs.Glob(r.FS, pattern)
	if err != nil {
		panic("jsonfile: bad glob pattern " + pattern)
	}
	var out []File[T]
	for _, name := range names {
		if f, ok := Read[T](r, name); ok {
			out = append(out, f)
		}
	}
	return out
}

func (r *Reader) check() {
	if r.FS == nil || r.Errs == nil || r.Kind == nil || r.MaxSize <= 0 || r.Mismatch == nil {
		panic("jsonfile: Reader needs FS, Errs, Kind, MaxSize and Mismatch")
	}
}

func (r *Reader) readLimited(name string) ([]byte, error) {
	info, err := fs.Stat(r.FS, name)
	if err != nil {
		return nil, err
	}
	if !r.Irregular && !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if info.Size() > r.MaxSize {
		return nil, fmt.Errorf("file is %d bytes, more than the %d allowed", info.Size(), r.MaxSize)
	}
	return fs.ReadFile(r.FS, name)
}
