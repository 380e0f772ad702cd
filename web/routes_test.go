package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// TestRoutesDocumented: every route the server mounts, with every option
// on (marking, standards, metrics), is listed in docs/staff-api.md as
// "`METHOD /path`", and the document lists no route that is not served.
func TestRoutesDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "staff-api.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, model := webtest.Demo(t)
	lib := webtest.ProgrammeLibrary(t)
	st := webtest.Bolt(t)
	log := audit.New(st, nil)
	p := webtest.Programme(t, st, clock.NewFake(webtest.Start), lib, log)
	n := webtest.NewNode(t, webtest.Options{
		Library: lib,
		Store:   st,
		Marking: marking.Config{Model: model},
		Web: web.Config{StandardsDir: t.TempDir(), Registry: prometheus.NewRegistry(), Audit: log,
			Programme: p, Results: webtest.ResultsOn(t, st, nil, lib, p, nil)},
	})
	served := map[string]bool{}
	for _, p := range n.Server.Routes() {
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
