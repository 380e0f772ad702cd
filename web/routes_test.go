package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/web"
)

// TestRoutesDocumented: every route the server mounts, with every option
// on (marking, standards, metrics), is listed in docs/staff-api.md as
// "`METHOD /path`", and the document lists no route that is not served.
func TestRoutesDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "staff-api.md"))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := content.Load(content.Demo())
	if err != nil {
		t.Fatal(err)
	}
	model, err := roleplay.Load(roleplay.Demo())
	if err != nil {
		t.Fatal(err)
	}
	st, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Config{Library: lib, Store: st})
	ms := marking.New(marking.Config{Model: model, Store: st})
	t.Cleanup(func() { ms.Close(); eng.Close(); st.Close() })
	srv := mustNew(t, web.Config{Engine: eng, Library: lib, Store: st, Marking: ms,
		StandardsDir: t.TempDir(), Registry: prometheus.NewRegistry(), Audit: audit.New(st, nil)})
	served := map[string]bool{}
	for _, p := range srv.Routes() {
		p = strings.ReplaceAll(p, "{$}", "")
		served[p] = true
		if !strings.Contains(string(doc), "`"+p+"`") {
			t.Errorf("docs/staff-api.md does not list `%s`", p)
		}
	}
	for _, m := range regexp.MustCompile("`((?:GET|POST|PUT|DELETE) /[^` ]*)`").FindAllStringSubmatch(string(doc), -1) {
		if p := m[1]; !served[p] {
			t.Errorf("docs/staff-api.md lists `%s`, which is not served", p)
		}
	}
}
