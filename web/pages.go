package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/accredit/accredit/engine/content"
)

// static is the one tree of pages and ES modules, embedded in the binary:
// no CDN, no build step. Pages talk to the server only through the
// documented WebSocket protocols and JSON API.
//
//go:embed static
var static embed.FS

// page is one clean URL: its file, and the roles that may open it (none:
// anyone may, as the candidate and assessor pages sign in themselves).
type page struct {
	file  string
	roles []content.Role
}

// pages maps clean URLs to their files.
var pages = map[string]page{
	"/":              {file: "index.html"},
	"/test":          {file: "candidate.html"},
	"/signin":        {file: "signin.html"},
	"/mark":          {file: "mark.html"},
	"/invigilate":    {file: "invigilate.html"},
	"/psychometrics": {file: "psychometrics.html"},
	"/lead":          {file: "lead.html", roles: []content.Role{content.RoleLeadAssessor}},
	"/standards/":    {file: "standards.html", roles: []content.Role{content.RolePsychometrician}},
	"/audit":         {file: "audit.html", roles: []content.Role{content.RoleAuditor}},
}

// staticFS is the embedded tree, rooted at its top.
func staticFS() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // embedded at build time
	}
	return sub
}

// mountPages serves every page and /static/. One cache policy for all:
// browsers revalidate every file (no-cache), so a new binary's pages and
// modules are seen at the next load, and an unchanged file costs a 304.
func (srv *Server) mountPages() {
	sub := staticFS()
	files := http.StripPrefix("/static", http.FileServerFS(sub))
	for path, p := range pages {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, sub, p.file)
		})
		pattern := "GET " + path
		if path == "/" {
			pattern = "GET /{$}"
		}
		if len(p.roles) > 0 {
			srv.mux.Handle(pattern, srv.requireRole(h, p.roles...))
			continue
		}
		srv.mux.Handle(pattern, h)
	}
	srv.mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	}))
}
