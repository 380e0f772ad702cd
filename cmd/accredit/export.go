package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/marking"
)

const exportUsage = `usage: accredit export --store URL [--content DIR] --sitting ID > responses.csv
       accredit export --store URL [--roleplay DIR] --circuit ID [--shape sheets|standard-setting] > marks.csv

With --sitting, writes the sitting's submitted attempts as a response matrix
(person, then one column per item: 1, 0, or empty where not presented), the
input of accredit analyse.

With --circuit, writes a role-play circuit's scores from its stored sheets,
moderations included: shape sheets (the default) has one line per submitted
sheet, candidate,station,assessor,score,global; shape standard-setting has
one line per settled station, candidate,station,checklist,global, the input
of borderline regression (accredit standard). Stations not yet settled are
listed on standard error.

A bolt store is locked by a running server: stop it first, or use
GET /api/sittings/ID/responses.csv or
GET /api/marking/circuits/ID/results.csv?shape=... as a psychometrician.
`

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, exportUsage) }
	storeURL := fs.String("store", "bolt:data/accredit.db", "store: bolt:PATH or redis://HOST:PORT")
	contentDir := fs.String("content", "", "content directory; empty means the demo content")
	sitting := fs.String("sitting", "", "sitting id")
	circuit := fs.String("circuit", "", "role-play circuit id")
	roleplayDir := fs.String("roleplay", "", "role-play model directory; empty means the demo model")
	shape := fs.String("shape", "sheets", "with --circuit: sheets or standard-setting")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if (*sitting == "") == (*circuit == "") {
		fs.Usage()
		return usageError{"export: give --sitting or --circuit"}
	}
	if *circuit != "" {
		return exportCircuit(ctx, *storeURL, *roleplayDir, *circuit, *shape, stdout, stderr)
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

func exportCircuit(ctx context.Context, storeURL, dir, circuit, shape string, stdout, stderr io.Writer) error {
	if shape != "sheets" && shape != "standard-setting" {
		return usageError{fmt.Sprintf("export: --shape %q: want sheets or standard-setting", shape)}
	}
	m, err := marking.LoadModel(dir)
	if err != nil {
		return err
	}
	if _, ok := m.Circuits[circuit]; !ok {
		return fmt.Errorf("export: no circuit %q in the role-play model", circuit)
	}
	store, err := openStore(ctx, storeURL, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := marking.New(marking.Config{Model: m, Store: store})
	defer svc.Close()
	res, err := svc.Results(ctx, circuit)
	if err != nil {
		return err
	}
	for _, u := range res.Unsettled {
		fmt.Fprintf(stderr, "not settled: %s at %s: %s\n", u.Candidate, u.Station, u.Reason)
	}
	return marking.WriteResults(stdout, res, shape)
}
