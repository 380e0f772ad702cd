package web

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	ss "github.com/accredit/accredit/standardsetting"
)

//go:embed static
var static embed.FS

// DecisionFile is the JSON-lines file in Config.Dir that decisions go to.
const DecisionFile = "decisions.jsonl"

// Config configures the handler.
type Config struct {
	// Dir holds the panel, score and response CSV files and the decision file.
	Dir string
	// Who returns the signed-in user's name, after the server has checked
	// their role; "" means nobody may record a decision.
	Who func(*http.Request) string
	// Now is the clock used to time-stamp decisions.
	Now func() time.Time
}

// Handler serves the page and its JSON endpoints.
type Handler struct {
	cfg  Config
	root *os.Root
	mux  *http.ServeMux
	mu   sync.Mutex // serialises appends to DecisionFile
}

var _ http.Handler = (*Handler)(nil)

// New opens cfg.Dir and returns the handler. Who and Now must be set; a
// missing function is a programming error and panics.
func New(cfg Config) (*Handler, error) {
	if cfg.Who == nil || cfg.Now == nil {
		panic("web: Config.Who and Config.Now are required")
	}
	root, err := os.OpenRoot(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("standard-setting page: %w", err)
	}
	h := &Handler{cfg: cfg, root: root, mux: http.NewServeMux()}
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	h.mux.Handle("GET /", http.FileServerFS(sub))
	h.mux.HandleFunc("GET /api/files", h.files)
	h.mux.HandleFunc("GET /api/angoff", h.angoff)
	h.mux.HandleFunc("GET /api/impact", h.impact)
	h.mux.HandleFunc("POST /api/decision", h.record)
	h.mux.HandleFunc("GET /api/decisions", h.decisions)
	return h, nil
}

// Close releases the directory handle.
func (h *Handler) Close() error { return h.root.Close() }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// errBadName rejects file names that are not plain names in Dir.
var errBadName = errors.New("file name must be a plain name in the configured directory")

// checkName accepts a plain, non-hidden file name.
func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("%w: %q", errBadName, name)
	}
	return nil
}

// writeJSON writes v with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// fail maps an error to a status: missing files 404, bad names and data 400.
func fail(w http.ResponseWriter, err error) {
	code := http.StatusBadRequest
	if errors.Is(err, fs.ErrNotExist) {
		code = http.StatusNotFound
	}
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

func (h *Handler) files(w http.ResponseWriter, r *http.Request) {
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
	writeJSON(w, http.StatusOK, map[string][]string{"files": names})
}

// open opens a file of Dir by plain name.
func (h *Handler) open(name string) (*os.File, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	return h.root.Open(name)
}

// readWith opens name in Dir and parses it with f.
func readWith[T any](h *Handler, name string, f func(string, *os.File) (T, error)) (T, error) {
	fh, err := h.open(name)
	if err != nil {
		var zero T
		return zero, err
	}
	defer fh.Close()
	return f(name, fh)
}

// candidates reads the scores file named by the "scores" parameter.
func (h *Handler) candidates(name string) (*ss.Candidates, error) {
	return readWith(h, name, func(n string, f *os.File) (*ss.Candidates, error) { return ss.ReadCandidates(n, f) })
}
