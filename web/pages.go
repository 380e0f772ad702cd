package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// static is the one tree of pages and ES modules, embedded in the binary:
// no CDN, no build step. Pages talk to the server only through the
// documented WebSocket protocols and JSON API.
//
//go:embed static
var static embed.FS

// page is one clean URL: its template, and the roles that may open it
// (none: anyone may, as the candidate and assessor pages sign in
// themselves).
type page struct {
	file  string
	roles []content.Role
}

// pages maps clean URLs to their templates. Every other .html file of the
// tree is a partial they share.
var pages = map[string]page{
	"/":              {file: "index.html"},
	"/test":          {file: "candidate.html"},
	"/signin":        {file: "signin.html"},
	"/mark":          {file: "mark.html"},
	"/invigilate":    {file: "invigilate.html", roles: []content.Role{content.RoleInvigilator}},
	"/psychometrics": {file: "psychometrics.html", roles: []content.Role{content.RolePsychometrician}},
	"/lead":          {file: "lead.html", roles: []content.Role{content.RoleLeadAssessor}},
	"/standards/":    {file: "standards.html", roles: []content.Role{content.RolePsychometrician}},
	"/audit":         {file: "audit.html", roles: []content.Role{content.RoleAuditor}},
	"/supervisor":    {file: "supervisor.html", roles: []content.Role{content.RoleSupervisor, content.RoleEmployerAdmin}},
	"/portal":        {file: "portal.html"},
	"/admin":         {file: "admin.html", roles: []content.Role{content.RoleAdministrator}},
	"/impact":        {file: "impact.html", roles: []content.Role{content.RolePsychometrician}},
	"/results":       {file: "results.html", roles: []content.Role{content.RolePsychometrician}},
}

// partials are the templates every page may call.
var partials = []string{"head.html", "bar.html"}

// staticFS is the embedded tree, rooted at its top.
func staticFS() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // embedded at build time
	}
	return sub
}

// head is what a page's head holds beyond what every head holds: its
// title, the stylesheets and modules under /static/ it loads, and the
// centres' time zone, in which its times are shown (web/static/times.js).
type head struct {
	Title    string
	Styles   []string
	Scripts  []string
	TimeZone string
}

// newHead is the head template function of pages shown in zone: a title,
// then the page's files under /static/, stylesheets (.css) and ES modules
// (.js) in their order.
func newHead(zone, title string, files ...string) (head, error) {
	h := head{Title: title, TimeZone: zone}
	for _, f := range files {
		switch {
		case strings.HasSuffix(f, ".css"):
			h.Styles = append(h.Styles, f)
		case strings.HasSuffix(f, ".js"):
			h.Scripts = append(h.Scripts, f)
		default:
			return head{}, fmt.Errorf("head: %q is neither a stylesheet nor a module", f)
		}
	}
	return h, nil
}

// rendered is a page as it is served: rendered once, with the ETag that
// lets an unchanged page cost a 304.
type rendered struct {
	body []byte
	etag string
}

// render executes the page template file of sub with the partials, its
// times to be shown in zone.
func render(sub fs.FS, file, zone string) (rendered, error) {
	headOf := func(title string, files ...string) (head, error) { return newHead(zone, title, files...) }
	t, err := template.New(file).Funcs(template.FuncMap{"head": headOf}).ParseFS(sub, append([]string{file}, partials...)...)
	if err != nil {
		return rendered{}, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, nil); err != nil {
		return rendered{}, err
	}
	sum := sha256.Sum256(b.Bytes())
	return rendered{body: b.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}, nil
}

// mountPages serves every page and /static/. One cache policy for all:
// browsers revalidate every file (no-cache), so a new binary's pages and
// modules are seen at the next load, and an unchanged page costs a 304.
// The page templates are not served under /static/.
func (srv *Server) mountPages() {
	sub := staticFS()
	files := http.StripPrefix("/static", http.FileServerFS(sub))
	for path, p := range pages {
		page, err := render(sub, p.file, srv.cfg.TimeZone)
		if err != nil {
			panic(err) // embedded at build time; TestPagesRender renders each
		}
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("ETag", page.etag)
			http.ServeContent(w, r, p.file, time.Time{}, bytes.NewReader(page.body))
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
		if strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, ".html") {
			http.NotFound(w, r) // no directory listings, no page templates
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	}))
}
