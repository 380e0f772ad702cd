package markingui

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/accredit/accredit/engine/content"
)

//go:embed static
var static embed.FS

// pages maps clean URLs to their files.
var pages = map[string]string{
	"/mark": "mark.html",
	"/lead": "lead.html",
}

// Handler serves the pages and their assets under /marking/static/.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // embedded at build time
	}
	files := http.StripPrefix("/marking/static", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, sub, name)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// Mount serves the assessor page to anyone (assessors sign in with their
// assessor code over the WebSocket) and the lead's page to staff signed in
// as lead assessors (requireRole; nil mounts it without a check).
func Mount(mount func(pattern string, h http.Handler), requireRole func(h http.Handler, roles ...content.Role) http.Handler) {
	h := Handler()
	lead := h
	if requireRole != nil {
		lead = requireRole(h, content.RoleLeadAssessor)
	}
	mount("GET /mark", h)
	mount("GET /lead", lead)
	mount("GET /marking/static/", h)
}
