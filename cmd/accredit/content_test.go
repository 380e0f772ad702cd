package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/content/qti"
)

const qtiFixtures = "../../engine/content/qti/testdata"

func TestImportQTI(t *testing.T) {
	dir := t.TempDir()
	out, rep := filepath.Join(dir, "content"), filepath.Join(dir, "report.json")
	var stderr bytes.Buffer
	args := []string{"content", "import-qti", "--out", out, "--report", rep, filepath.Join(qtiFixtures, "pkg")}
	if err := run(context.Background(), args, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	lib, err := content.LoadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(lib.Items) != 3 || lib.Forms["sg-test"] == nil {
		t.Errorf("items %d, forms %v", len(lib.Items), lib.Forms)
	}
	var r qti.Report
	b, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r); err != nil || len(r.Files) != 6 {
		t.Errorf("report %v, %d files", err, len(r.Files))
	}
}

func TestImportQTIPartial(t *testing.T) {
	items := filepath.Join(qtiFixtures, "items")
	good, bad := filepath.Join(items, "v22-multiple.xml"), filepath.Join(items, "custom-op.xml")
	out := filepath.Join(t.TempDir(), "content")
	err := run(context.Background(), []string{"content", "import-qti", "--out", out, good, bad}, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, qti.ErrIncomplete) {
		t.Fatalf("err %v, want incomplete", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output written without --partial: %v", err)
	}
	err = run(context.Background(), []string{"content", "import-qti", "--partial", "--out", out, good, bad}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil {
		t.Error("a partial import succeeded; want an error naming the refusals")
	}
	if lib, lerr := content.LoadDir(out); lerr != nil || len(lib.Items) != 1 {
		t.Errorf("partial content: %v", lerr)
	}
}

func TestImportQTIUsage(t *testing.T) {
	for _, args := range [][]string{{"content"}, {"content", "import-qti"}, {"content", "import-qti", "--out", "x"}} {
		var ue usageError
		if err := run(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{}); !errors.As(err, &ue) {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
}

func TestExportQTI(t *testing.T) {
	dir := t.TempDir()
	pkg, out := filepath.Join(dir, "demo.zip"), filepath.Join(dir, "content")
	if err := run(context.Background(), []string{"content", "export-qti", "--form", "demo-form", "--out", pkg}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"content", "import-qti", "--out", out, pkg}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	lib, err := content.LoadDir(out)
	if err != nil || len(lib.Forms["demo-form"].ItemIDs()) != 28 {
		t.Fatalf("%v", err)
	}
}
