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
// each kind above, and every page loading its scripts as ES modules from
// /static/, with no inline script or style.
func TestStaticTreeHasOneOfEach(t *testing.T) {
	sub := staticFS()
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	script := regexp.MustCompile(`<script\b[^>]*>`)
	for _, e := range entries {
		name := e.Name()
		b, err := fs.ReadFile(sub, name)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		switch {
		case strings.HasSuffix(name, ".js"):
			for _, h := range homes {
				if !h.def.MatchString(text) {
					continue
				}
				if name != h.file {
					t.Errorf("%s matches %q: only %s may", name, h.def, h.file)
				}
				defined[h.def.String()] = true
			}
		case strings.HasSuffix(name, ".html"):
			for _, tag := range script.FindAllString(text, -1) {
				if !strings.Contains(tag, ` type="module"`) || !strings.Contains(tag, ` src="/static/`) {
					t.Errorf("%s: %s is not an ES module from /static/", name, tag)
				}
			}
			if strings.Contains(text, " style=") || strings.Contains(text, "<style") {
				t.Errorf("%s has an inline style", name)
			}
		}
	}
	for _, h := range homes {
		if !defined[h.def.String()] {
			t.Errorf("no module matches %q (%s)", h.def, h.file)
		}
	}
}
