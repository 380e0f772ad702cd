package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/accredit/accredit/scoring/irt"
	"github.com/accredit/accredit/scoring/rasch"
	"github.com/accredit/accredit/scoring/rasch/raschplot"
	"github.com/accredit/accredit/scoring/respmatrix"
)

const raschUsage = `usage: accredit analyse rasch [--format json|table] [--chart DIR] [--persons=false] [--lrtest=false] [--bank DIR] [--quiet] FILE.csv

FILE is a response matrix: a header of item ids, an optional first column
"person", cells 1, 0, 9 (omitted, scored 0) or empty (not presented).
Calibrates the Rasch model by conditional maximum likelihood and prints item
difficulties with SEs, fit, person abilities, the raw-score table and
Andersen's LR test. --chart writes ICCs, test information and the Wright map
as PNG and SVG into DIR. With --bank, every item id must be in the item bank
of the content directory DIR.
`

const twoplUsage = `usage: accredit analyse twopl [--format json|table] [--model 2pl|1pl] [--nodes N] [--bank DIR] [--quiet] FILE.csv

Fits the two-parameter logistic model (or the common-slope 1PL) by marginal
maximum likelihood, Bock-Aitkin EM with N Gauss-Hermite nodes. FILE and
--bank are as for rasch.
`

// compactAbove is the number of persons above which JSON is written compact.
const compactAbove = 1000

// progress returns a reporter that prints stages with elapsed time on w.
func progress(w io.Writer, name string, quiet bool) func(string) {
	start := time.Now()
	return func(stage string) {
		if !quiet {
			fmt.Fprintf(w, "%s: %s (%.2fs)\n", name, stage, time.Since(start).Seconds())
		}
	}
}

func runAnalyseRasch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newRespFlags("rasch", raschUsage, stderr)
	chart := f.fs.String("chart", "", "write charts (PNG and SVG) into this directory")
	persons := f.fs.Bool("persons", true, "include each person's estimates in JSON")
	lrtest := f.fs.Bool("lrtest", true, "run Andersen's LR test")
	quiet := f.fs.Bool("quiet", false, "no progress on stderr")
	path, err := f.parse(args)
	if err != nil {
		return err
	}
	report := progress(stderr, "rasch", *quiet)
	report("reading " + path)
	m, err := readBanked(path, *f.bank, respmatrix.Options{}, stderr)
	if err != nil {
		return err
	}
	res, err := rasch.Analyse(m, rasch.Options{NoPersons: !*persons, NoLRTest: !*lrtest, Progress: report})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if *chart != "" {
		report("charts into " + *chart)
		if _, err := raschplot.WriteAll(*chart, res); err != nil {
			return err
		}
	}
	report("writing " + *f.format)
	if err := ctx.Err(); err != nil {
		return err
	}
	return emitJSON(stdout, *f.format, res, len(res.Persons) <= compactAbove)
}

func runAnalyseTwoPL(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newRespFlags("twopl", twoplUsage, stderr)
	model := f.fs.String("model", "2pl", "2pl, or 1pl for a common slope")
	nodes := f.fs.Int("nodes", 41, "Gauss-Hermite quadrature nodes")
	quiet := f.fs.Bool("quiet", false, "no progress on stderr")
	path, err := f.parse(args)
	if err != nil {
		return err
	}
	opt := irt.Options{Nodes: *nodes}
	switch *model {
	case "2pl", "2PL":
	case "1pl", "1PL":
		opt.Model = irt.OnePL
	default:
		return usageError{fmt.Sprintf("analyse twopl: unknown model %q (2pl or 1pl)", *model)}
	}
	if *nodes < 2 || *nodes > 200 {
		return usageError{fmt.Sprintf("analyse twopl: nodes %d outside 2..200", *nodes)}
	}
	report := progress(stderr, "twopl", *quiet)
	report("reading " + path)
	m, err := readBanked(path, *f.bank, respmatrix.Options{}, stderr)
	if err != nil {
		return err
	}
	report("EM")
	opt.Progress = func(iter int, ll float64) {
		if iter%50 == 0 {
			report(fmt.Sprintf("EM cycle %d, log-likelihood %.4f", iter, ll))
		}
	}
	res, err := irt.Fit(m, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return emit(stdout, *f.format, res)
}

func checkArgs(fs *flag.FlagSet, name, format string) error {
	switch {
	case fs.NArg() != 1:
		fs.Usage()
		return usageError{fmt.Sprintf("analyse %s: want one FILE.csv", name)}
	case format != "json" && format != "table":
		return usageError{fmt.Sprintf("analyse %s: unknown format %q (json or table)", name, format)}
	}
	return nil
}

// writeJSON writes v indented, or compact when indent is false (large
// person lists: indentation doubles the encoding time).
func writeJSON(w io.Writer, v any, indent bool) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	return bw.Flush()
}
