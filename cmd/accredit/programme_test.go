package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/mapfs"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// importData is the import tree the programme's own tests use: two
// employers and four people as CSV, two sittings and six staff.
const importData = "../../engine/programme/testdata/import"

// writeImportTree writes a content tree to a temporary directory: the demo
// items and forms, with importData's sittings and staff.json unless bare.
func writeImportTree(t *testing.T, bare bool) string {
	t.Helper()
	files := fstest.MapFS{}
	mapfs.Copy(t, files, content.Demo(), func(p string) bool { return strings.HasPrefix(p, "items/") || strings.HasPrefix(p, "forms/") })
	if !bare {
		mapfs.Copy(t, files, os.DirFS(importData), func(p string) bool { return strings.HasPrefix(p, "sittings/") || p == "staff.json" })
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// importRulesFile writes programme rules whose practitioner blueprint has
// the demo form.
func importRulesFile(t *testing.T) (string, programme.Rules) {
	t.Helper()
	bps := programme.DefaultBlueprints()
	bps[0].Forms = []string{"demo-form"}
	rules := programme.Rules{Blueprints: bps}
	b, err := json.Marshal(rules)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return file, rules
}

func runImport(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), append([]string{"programme", "import"}, args...), &out, &errb)
	return out.String(), errb.String(), err
}

// TestProgrammeImport imports the import tree into a fresh bolt store,
// then serves it from a node whose content has no sittings and no
// staff.json: a candidate joins with the file's access code, with the
// file's extra time, and an invigilator signs in with the file's code and
// sees their sitting only. A second import stores nothing; a bad one
// stores nothing and prints every fault located.
func TestProgrammeImport(t *testing.T) {
	tree := writeImportTree(t, false)
	rulesFile, rules := importRulesFile(t)
	db := filepath.Join(t.TempDir(), "p.db")
	args := []string{"--store", "bolt:" + db, "--programme-rules", rulesFile, "--content", tree,
		"--employers", filepath.Join(importData, "employers.csv"), "--people", filepath.Join(importData, "people.csv")}

	out, errs, err := runImport(t, append(args, "--dry-run")...)
	if err != nil || !strings.Contains(out, "bookings:  4 to create") || !strings.Contains(out, "dry run: nothing stored") {
		t.Fatalf("dry run: %v\n%s%s", err, out, errs)
	}
	out, errs, err = runImport(t, args...)
	for _, want := range []string{"employers: 2 created, 0 already present", "people:    4 created", "staff:     2 created",
		"sign-ins:  6 created", "sittings:  2 created", "bookings:  4 created"} {
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("import: %v, no %q in\n%s%s", err, want, out, errs)
		}
	}
	out, errs, err = runImport(t, args...)
	if err != nil || !strings.Contains(out, "bookings:  0 created, 4 already present") || !strings.Contains(out, "nothing new") {
		t.Fatalf("second import: %v\n%s%s", err, out, errs)
	}

	// A bad import into a fresh store: the candidates have no people.
	db2 := filepath.Join(t.TempDir(), "p2.db")
	out, errs, err = runImport(t, "--store", "bolt:"+db2, "--programme-rules", rulesFile, "--content", tree,
		"--employers", filepath.Join(importData, "employers.csv"))
	if err == nil || !strings.Contains(err.Error(), "import refused, 4 error(s): nothing stored") ||
		!strings.Contains(errs, "sittings/harrowgate-march.json: candidate p-bea: no person with id p-bea; import people first or give --people\n") {
		t.Fatalf("bad import: %v\n%s%s", err, out, errs)
	}
	st2 := webtest.BoltAt(t, db2)
	if names, err := st2.Streams(context.Background(), "programme/"); err != nil || len(names) != 0 {
		t.Fatalf("a refused import stored %v (%v)", names, err)
	}

	// A node with the items and forms only, on the store imported into,
	// before harrowgate-march starts.
	lib, err := content.LoadDir(writeImportTree(t, true))
	if err != nil {
		t.Fatal(err)
	}
	st := webtest.BoltAt(t, db)
	clk := clock.NewFake(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	prog, err := programme.New(programme.Config{Store: st, Clock: clk, Rules: rules, Library: lib})
	if err != nil {
		t.Fatal(err)
	}
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st, Engine: engine.Config{Clock: clk},
		Web: web.Config{Clock: clk, Programme: prog}})

	amir, bea := joinCandidate(t, n, "HGT-AMIR-4K8T"), joinCandidate(t, n, "hgt-bea-7n2w")
	if amir.Name != "Amir Castellano" || amir.Sitting != "harrowgate-march" || bea.Name != "Bea Lindqvist" {
		t.Errorf("welcomed %+v and %+v", amir, bea)
	}
	if amir.LimitMS != (30*time.Minute).Milliseconds() || bea.LimitMS != amir.LimitMS*3/2 {
		t.Errorf("time limits %d and %d ms, want 30 minutes and half as much again", amir.LimitMS, bea.LimitMS)
	}

	inv := n.Client(t, "INV-MARI-5H3P")
	code, body := inv.Do("GET", "/api/sittings", "")
	if code != http.StatusOK || !strings.Contains(body, `"id":"harrowgate-march"`) || strings.Contains(body, "fenwick-april") {
		t.Errorf("the invigilator's sittings: %d %s", code, body)
	}
	if code, body := inv.Do("GET", "/api/me", ""); code != http.StatusOK || !strings.Contains(body, `"role":"invigilator"`) {
		t.Errorf("the invigilator: %d %s", code, body)
	}
	if code, body := n.Client(t, "").Do("POST", "/api/login", `{"code":"INV-MARI-5H3Q"}`); code != http.StatusUnauthorized {
		t.Errorf("a wrong code signs in: %d %s", code, body)
	}
}

// joinCandidate says hello with code and returns the welcome.
func joinCandidate(t *testing.T, n *webtest.Node, code string) engine.CandidateVM {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(n.URL(), "http")+"/ws/candidate", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteJSON(map[string]any{"type": "hello", "v": 1, "code": code}); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m engine.ServerMsg
	if err := c.ReadJSON(&m); err != nil {
		t.Fatal(err)
	}
	if m.Type != engine.MsgWelcome || m.Candidate == nil {
		t.Fatalf("%s: %+v", code, m)
	}
	return *m.Candidate
}

func TestProgrammeImportUsage(t *testing.T) {
	checkRunErrors(t, []string{"programme", "import"}, []runErrCase{
		{"no store", []string{"--content", "x"}, true, "give --store URL"},
		{"nothing to import", []string{"--store", "bolt:x.db"}, true, "give --employers, --people or --content"},
		{"a missing file", []string{"--store", "bolt:x.db", "--people", "no-such.csv"}, false, "no-such.csv"},
	})
}
