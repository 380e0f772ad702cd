package web

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/httpjson"
	ss "github.com/accredit/accredit/standardsetting"
)

// decisionsStream is the store stream of recorded standard-setting
// decisions, one JSON Decision a record, oldest first: every node sees
// them and a restart keeps them.
const decisionsStream = "standards/decisions"

// standards serves the psychometricians' standard-setting page's JSON
// endpoints over the panel, score and response files of one directory,
// and records decisions in the store.
type standards struct {
	root  *os.Root
	store store.Store
	clock clock.Clock
	who   func(*http.Request) string // the signed-in user's name; "" may record nothing
	// appendRecorded, if set, stores a decision with its audit entry in
	// one write (Server.appendRecorded).
	appendRecorded func(*http.Request, store.Store, audit.Entry, store.Write) error
	// refused answers an error of appendRecorded that says nothing was
	// stored for want of its record (Server.refused).
	refused func(http.ResponseWriter, audit.Action, error) bool
}

// newStandards opens dir for the standard-setting endpoints.
func newStandards(dir string, st store.Store, clk clock.Clock, who func(*http.Request) string) (*standards, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("standard-setting page: %w", err)
	}
	return &standards{root: root, store: st, clock: clock.Or(clk), who: who}, nil
}

// routes mounts the endpoints under /standards/api/, each behind guard.
func (h *standards) routes(mount func(pattern string, h http.Handler), guard func(http.HandlerFunc) http.Handler) {
	mount("GET /standards/api/files", guard(h.files))
	mount("GET /standards/api/angoff", guard(h.angoff))
	mount("GET /standards/api/impact", guard(h.impact))
	mount("POST /standards/api/decision", guard(h.record))
	mount("GET /standards/api/decisions", guard(h.decisions))
}

// Close releases the directory handle.
func (h *standards) Close() error { return h.root.Close() }

// errBadName rejects file names that are not plain names in Dir.
var errBadName = errors.New("file name must be a plain name in the configured directory")

// checkName accepts a plain, non-hidden file name.
func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("%w: %q", errBadName, name)
	}
	return nil
}

// fail maps an error to a status: missing files 404, bad names and data 400.
func fail(w http.ResponseWriter, err error) {
	code := http.StatusBadRequest
	if errors.Is(err, fs.ErrNotExist) {
		code = http.StatusNotFound
	}
	httpjson.Error(w, code, err.Error())
}

func (h *standards) files(w http.ResponseWriter, r *http.Request) {
	entries, err := fs.ReadDir(h.root.FS(), ".")
	if err != nil {
		fail(w, err)
		return
	}
	names := []string{}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), ".csv") && checkName(e.Name()) == nil {
			names = append(names, e.Name())
		}
	}
	httpjson.Write(w, http.StatusOK, map[string][]string{"files": names})
}

// open opens a file of Dir by plain name.
func (h *standards) open(name string) (*os.File, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	return h.root.Open(name)
}

// readWith opens name in Dir and parses it with f.
func readWith[T any](h *standards, name string, f func(string, *os.File) (T, error)) (T, error) {
	fh, err := h.open(name)
	if err != nil {
		var zero T
		return zero, err
	}
	defer fh.Close()
	return f(name, fh)
}

// candidates reads the scores file named by the "scores" parameter.
func (h *standards) candidates(name string) (*ss.Candidates, error) {
	return readWith(h, name, func(n string, f *os.File) (*ss.Candidates, error) { return ss.ReadCandidates(n, f) })
}
