package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// homes names the one module of the static tree that may define each of
// these: the WebSocket connection, the outbox, the API wrapper (the only
// caller of fetch) and the DOM helpers.
var homes = []struct {
	def  *regexp.Regexp
	file string
}{
	{regexp.MustCompile(`\bclass Connection\b`), "connection.js"},
	{regexp.MustCompile(`\bclass Outbox\b`), "outbox.js"},
	{regexp.MustCompile(`\bfunction api\s*\(`), "api.js"},
	{regexp.MustCompile(`\bfetch\s*\(`), "api.js"},
	{regexp.MustCompile(`\bfunction el\s*\(|\b(const|let|var) (el|\$)\s*=`), "dom.js"},
}

// TestStaticTreeHasOneOfEach keeps the static tree coherent: one module of
// each kind above, every .html file a page or a partial, and every page,
// as served, loading its scripts as ES modules from /static/, with no
// inline script or style.
func TestStaticTreeHasOneOfEach(t *testing.T) {
	sub := staticFS()
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		t.Fatal(err)
	}
	templates := map[string]bool{}
	for _, p := range pages {
		templates[p.file] = true
	}
	for _, f := range partials {
		templates[f] = true
	}
	defined := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".js"):
			b, err := fs.ReadFile(sub, name)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range homes {
				if !h.def.MatchString(string(b)) {
					continue
				}
				if name != h.file {
					t.Errorf("%s matches %q: only %s may", name, h.def, h.file)
				}
				defined[h.def.String()] = true
			}
		case strings.HasSuffix(name, ".html") && !templates[name]:
			t.Errorf("%s is neither a page nor a partial", name)
		}
	}
	for _, h := range homes {
		if !defined[h.def.String()] {
			t.Errorf("no module matches %q (%s)", h.def, h.file)
		}
	}
	script := regexp.MustCompile(`<script\b[^>]*>`)
	for _, p := range pages {
		r, err := render(sub, p.file, DefaultTimeZone)
		if err != nil {
			t.Fatalf("%s: %v", p.file, err)
		}
		text := string(r.body)
		for _, tag := range script.FindAllString(text, -1) {
			if !strings.Contains(tag, ` type="module"`) || !strings.Contains(tag, ` src="/static/`) {
				t.Errorf("%s: %s is not an ES module from /static/", p.file, tag)
			}
		}
		if strings.Contains(text, " style=") || strings.Contains(text, "<style") {
			t.Errorf("%s has an inline style", p.file)
		}
	}
}
