package qti

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Limits on what one import reads.
const (
	maxFileSize     = 16 << 20  // one file, asset or XML
	maxTotalSize    = 512 << 20 // everything one zip expands to
	maxFiles        = 20_000    // files in one zip or folder
	maxExpandRatio  = 200       // uncompressed / compressed size of one zip entry
	ratioFloorBytes = 1 << 20   // entries smaller than this are not ratio-checked
)

// errUnsafe marks a zip or folder the importer refuses to read.
var errUnsafe = errors.New("unsafe package")

// source is one argument of an import: a folder, a zip or a single file,
// read through slash-separated paths relative to its root. Paths never
// leave the root.
type source interface {
	// files lists the regular files, sorted.
	files() []string
	// read returns a file's bytes; fs.ErrNotExist if it is absent.
	read(name string) ([]byte, error)
	// close releases the folder handle, if any.
	close()
}

// openSource opens a path: a .zip file, a folder, or one file (whose folder
// becomes the root, with that one file listed).
func openSource(p string) (source, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return openDir(p)
	}
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		data, err := readLimited(p)
		if err != nil {
			return nil, err
		}
		return openZip(data)
	}
	root, err := os.OpenRoot(filepath.Dir(p))
	if err != nil {
		return nil, err
	}
	return &dirSource{root: root, list: []string{filepath.Base(p)}}, nil
}

func readLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTotalSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTotalSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", p, maxTotalSize)
	}
	return data, nil
}

// dirSource reads a folder through an os.Root, so that no path (../, a
// symbolic link) escapes it.
type dirSource struct {
	root *os.Root
	list []string
}

func openDir(p string) (*dirSource, error) {
	root, err := os.OpenRoot(p)
	if err != nil {
		return nil, err
	}
	s := &dirSource{root: root}
	err = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			if len(s.list) >= maxFiles {
				return fmt.Errorf("%w: more than %d files", errUnsafe, maxFiles)
			}
			s.list = append(s.list, name)
		}
		return nil
	})
	if err != nil {
		root.Close()
		return nil, err
	}
	return s, nil
}

func (s *dirSource) files() []string { return s.list }

func (s *dirSource) close() { s.root.Close() }

func (s *dirSource) read(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, fs.ErrNotExist
	}
	f, err := s.root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: %w: larger than %d bytes", name, errTooLarge, maxFileSize)
	}
	return data, nil
}

// zipSource is a zip read into memory after every entry was checked.
type zipSource struct {
	data map[string][]byte
	list []string
}

// openZip checks and expands a zip: at most maxFiles entries, each name a
// relative path that stays inside the package (no "..", no absolute path,
// no backslash, no drive letter), each entry at most maxFileSize and, above
// a floor, at most maxExpandRatio times its compressed size, the whole at
// most maxTotalSize. Sizes are checked as read, not only as declared.
func openZip(b []byte) (*zipSource, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("not a zip file: %w", err)
	}
	if len(zr.File) > maxFiles {
		return nil, fmt.Errorf("%w: %d entries, at most %d", errUnsafe, len(zr.File), maxFiles)
	}
	s := &zipSource{data: map[string][]byte{}}
	var total int64
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") || f.FileInfo().IsDir() {
			continue
		}
		if err := checkZipName(f.Name); err != nil {
			return nil, err
		}
		if f.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%w: entry %q is a symbolic link", errUnsafe, f.Name)
		}
		data, err := readEntry(f)
		if err != nil {
			return nil, err
		}
		if total += int64(len(data)); total > maxTotalSize {
			return nil, fmt.Errorf("%w: expands to more than %d bytes", errUnsafe, maxTotalSize)
		}
		if _, dup := s.data[f.Name]; dup {
			return nil, fmt.Errorf("%w: entry %q appears twice", errUnsafe, f.Name)
		}
		s.data[f.Name] = data
		s.list = append(s.list, f.Name)
	}
	slices.Sort(s.list)
	return s, nil
}

func checkZipName(name string) error {
	bad := name == "" || strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") ||
		(len(name) > 1 && name[1] == ':') || !fs.ValidPath(name) || path.Clean(name) != name
	if bad {
		return fmt.Errorf("%w: entry name %q leaves the package or is not a clean relative path", errUnsafe, name)
	}
	return nil
}

func readEntry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxFileSize {
		return nil, fmt.Errorf("%w: entry %q declares %d bytes, at most %d", errUnsafe, f.Name, f.UncompressedSize64, maxFileSize)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("entry %q: %w", f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("entry %q: %w", f.Name, err)
	}
	n := uint64(len(data))
	switch {
	case n > maxFileSize:
		return nil, fmt.Errorf("%w: entry %q expands beyond %d bytes", errUnsafe, f.Name, maxFileSize)
	case n > ratioFloorBytes && n > maxExpandRatio*max(f.CompressedSize64, 1):
		return nil, fmt.Errorf("%w: entry %q expands %d times (at most %d)", errUnsafe, f.Name, n/max(f.CompressedSize64, 1), maxExpandRatio)
	}
	return data, nil
}

func (s *zipSource) files() []string { return s.list }

func (s *zipSource) close() {}

func (s *zipSource) read(name string) ([]byte, error) {
	d, ok := s.data[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return d, nil
}

// resolve joins a reference (href, src) to the folder of the file that
// holds it. It reports false for a URL, an absolute path or a path that
// leaves the root.
func resolve(from, ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		ref = ref[:i]
	}
	if u, err := url.PathUnescape(ref); err == nil {
		ref = u // img%20one.png names the file "img one.png"
	}
	if ref == "" || strings.Contains(ref, ":") || strings.HasPrefix(ref, "/") || strings.Contains(ref, "\\") {
		return "", false
	}
	p := path.Join(path.Dir(from), ref)
	if !fs.ValidPath(p) {
		return "", false
	}
	return p, true
}
