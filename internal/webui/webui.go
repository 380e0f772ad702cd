// Package webui embeds Accredit's web pages in the binary: no CDN, no
// build step. Pages talk to the server only through its documented
// WebSocket protocol and JSON API.
package webui

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// pages maps clean URLs to their files.
var pages = map[string]string{
	"/":              "index.html",
	"/test":          "candidate.html",
	"/invigilate":    "invigilate.html",
	"/psychometrics": "psychometrics.html",
	"/signin":        "signin.html",
}

// Handler serves the pages and their assets (under /static/).
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, sub, name)
			return
		}
		if len(r.URL.Path) > len("/static/") && r.URL.Path[:len("/static/")] == "/static/" {
			http.StripPrefix("/static", files).ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
	})
}
