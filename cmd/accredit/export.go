package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/accredit/accredit/engine"
)

const exportUsage = `usage: accredit export --store URL [--content DIR] --sitting ID > responses.csv

Writes the sitting's submitted attempts as a response matrix (person, then one
column per item: 1, 0, or empty where not presented), the input of accredit
analyse. A bolt store is locked by a running server: stop it first, or use
GET /api/sittings/ID/responses.csv as a psychometrician.
`

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, exportUsage) }
	storeURL := fs.String("store", "bolt:data/accredit.db", "store: bolt:PATH or redis://HOST:PORT")
	contentDir := fs.String("content", "", "content directory; empty means the demo content")
	sitting := fs.String("sitting", "", "sitting id")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *sitting == "" {
		fs.Usage()
		return usageError{"export: --sitting is required"}
	}
	lib, err := loadContent(*contentDir)
	if err != nil {
		return err
	}
	if _, ok := lib.Sittings[*sitting]; !ok {
		return fmt.Errorf("export: no sitting %q in the content", *sitting)
	}
	store, err := openStore(ctx, *storeURL, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	eng := engine.New(engine.Config{Library: lib, Store: store})
	defer eng.Close()
	return eng.ExportMatrix(ctx, *sitting, stdout)
}
