package qti

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/accredit/accredit/engine/content"
)

// Write errors.
var (
	// ErrIncomplete: some file was refused and a partial write was not asked
	// for, so nothing was written.
	ErrIncomplete = errors.New("qti: not every file was imported; nothing written")
	// ErrNothing: no item was imported.
	ErrNothing = errors.New("qti: no item imported; nothing written")
	// ErrOutExists: the output folder exists and is not empty.
	ErrOutExists = errors.New("qti: output folder exists and is not empty")
)

// Files returns the content tree as file contents by slash path:
// items/NAME.json, forms/ID.json and assets/PATH.
func (r *Result) Files() (map[string][]byte, error) {
	out := map[string][]byte{}
	b, err := marshal(r.Bank)
	if err != nil {
		return nil, err
	}
	out["items/"+r.bank+".json"] = b
	for _, f := range r.Forms {
		if b, err = marshal(f); err != nil {
			return nil, err
		}
		out["forms/"+f.ID+".json"] = b
	}
	for p, data := range r.Assets {
		out[path.Join("assets", p)] = data
	}
	return out, nil
}

func marshal(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Write writes the content tree to dir, which must not exist or be empty.
// It writes nothing unless every file was imported or partial is set, and
// nothing when the tree does not load as content (content.LoadDir): the
// tree is built in a new folder beside dir, loaded, then renamed to dir.
func (r *Result) Write(dir string, partial bool) error {
	if !r.Complete && !partial {
		return ErrIncomplete
	}
	if len(r.Bank.Items) == 0 {
		return ErrNothing
	}
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return fmt.Errorf("%w: %s", ErrOutExists, dir)
	}
	files, err := r.Files()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dir)), ".qti-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for p, data := range files {
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return err
		}
	}
	if _, err := content.LoadDir(tmp); err != nil {
		return fmt.Errorf("qti: the imported content does not load: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	_ = os.Remove(dir) // an empty folder; Rename needs it gone
	return os.Rename(tmp, dir)
}
