package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/content/qti"
)

const contentUsage = `usage: accredit content import-qti --out DIR [--report FILE.json] [--partial] [flags] PATH...
       accredit content export-qti --form ID --out PKG.zip [--content DIR]

import-qti reads QTI 3.0, 2.2 and 2.1 items, stimuli and tests from files,
folders and .zip content packages (imsmanifest.xml) and writes them as a
content tree (docs/content.md) into DIR, which must not exist or be empty:
items/NAME.json, one forms/ID.json per test, assets/ for images and styles.
Nothing is written unless every file was imported, or --partial is given;
the report (docs/qti.md) says what was imported and why the rest was not.
It exits 1 when something was refused, 0 otherwise.

flags:
  --out DIR          the content tree to write
  --report FILE      write the report as JSON ("-" for standard output)
  --partial          write what could be imported even if some file was refused
  --domain ID        the domain given to every item (default qti)
  --domain-title T   its title (default "Imported from QTI")
  --status S         draft, live or retired, for items and forms (default draft)
  --bank NAME        the bank file, items/NAME.json (default qti)
  --time-limit D     for a test that sets none (default 1h)

export-qti writes a form of the content in DIR (default the demo content) as
a QTI 3.0 content package: the manifest, the test, its items and the cases
they share as stimuli. It imports back to the same items, cases and form;
the domain and status are not carried (QTI has neither).
`

func runContent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return dispatch(ctx, args, stdout, stderr, contentUsage, "content: ", "content command", map[string]command{
		"import-qti": runImportQTI, "export-qti": runExportQTI,
	})
}

func runImportQTI(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("content import-qti", contentUsage, stderr)
	out := fs.String("out", "", "content tree to write")
	report := fs.String("report", "", "report file, - for standard output")
	partial := fs.Bool("partial", false, "write what could be imported")
	var opt qti.Options
	fs.StringVar(&opt.Domain, "domain", "qti", "domain id of every item")
	fs.StringVar(&opt.DomainTitle, "domain-title", "Imported from QTI", "domain title")
	status := fs.String("status", "draft", "status of items and forms")
	fs.StringVar(&opt.Bank, "bank", "qti", "bank file name")
	fs.DurationVar(&opt.TimeLimit, "time-limit", time.Hour, "time limit of a test that sets none")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *out == "" || fs.NArg() == 0 {
		return usageError{"content import-qti: give --out DIR and at least one PATH"}
	}
	opt.Status = content.Status(*status)
	res, err := qti.Import(fs.Args(), opt)
	if err != nil {
		return err
	}
	if err := writeReport(*report, &res.Report, stdout); err != nil {
		return err
	}
	fmt.Fprintln(stderr, res.Report.Summary)
	werr := res.Write(*out, *partial)
	switch {
	case errors.Is(werr, qti.ErrIncomplete):
		return fmt.Errorf("%w (give --partial to write what was imported; --report says why)", werr)
	case werr != nil:
		return werr
	case !res.Complete:
		return errors.New("some files were refused; what was imported is written to " + *out)
	}
	return nil
}

func writeReport(path string, r *qti.Report, stdout io.Writer) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = stdout.Write(b)
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func runExportQTI(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("content export-qti", contentUsage, stderr)
	dir := fs.String("content", "", "content directory; empty means the demo content")
	form := fs.String("form", "", "id of the form to export")
	out := fs.String("out", "", "the package to write, PKG.zip")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *form == "" || *out == "" || fs.NArg() > 0 {
		return usageError{"content export-qti: give --form ID and --out PKG.zip"}
	}
	lib, err := loadContent(*dir)
	if err != nil {
		return err
	}
	pkg, err := qti.Export(lib, *form)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, pkg, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: form %s, %d items\n", *out, *form, len(lib.Forms[*form].ItemIDs()))
	return nil
}
