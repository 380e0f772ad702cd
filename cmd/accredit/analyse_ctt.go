package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/accredit/accredit/scoring/fairness"
	"github.com/accredit/accredit/scoring/fairness/difplot"
	"github.com/accredit/accredit/scoring/itemanalysis"
	"github.com/accredit/accredit/scoring/respmatrix"
)

const itemsUsage = `usage: accredit analyse items [--format json|table] [--key KEY.csv] FILE.csv

FILE is a response matrix (header of item ids, optional first column person,
cells 1/0/empty). With --key, FILE holds raw option codes instead and KEY.csv
(columns item,key) gives each item's correct option; a distractor analysis
is added.
`

const difUsage = `usage: accredit analyse dif --group COLUMN --reference LABEL --focal LABEL
       [--candidates CANDIDATES.csv] [--mh-only] [--chart DIR] [--format json|table] FILE.csv

Mantel-Haenszel and logistic-regression DIF between two groups, matched on
the total score. COLUMN is read from FILE or, with --candidates, from a
candidate file joined on person. --chart writes dif_delta.png and .svg to DIR.
`

const impactUsage = `usage: accredit analyse impact --group COLUMN (--pass COLUMN | --cut SCORE)
       [--candidates CANDIDATES.csv] [--comparison LABEL] [--format json|table] FILE.csv

Pass rate per group, impact ratio to the highest group, four-fifths flag, and
a z test and Fisher's exact test against the comparison group (default: the
highest pass rate). Pass/fail comes from a column (1/0, pass/fail) or from a
cut on the total score.
`

// progressCells is the matrix size above which long analyses report
// progress on stderr.
const progressCells = 2_000_000

// respFlags are the input flags shared by the analyses.
type respFlags struct {
	fs         *flag.FlagSet
	format     *string
	candidates *string
}

func newRespFlags(name, usage string, stderr io.Writer) respFlags {
	fs := flag.NewFlagSet("analyse "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	return respFlags{fs: fs, format: fs.String("format", "table", "output format: json or table")}
}

func (f respFlags) parse(args []string) (string, error) {
	if err := f.fs.Parse(args); err != nil {
		return "", err
	}
	name := strings.TrimPrefix(f.fs.Name(), "analyse ")
	switch {
	case f.fs.NArg() != 1:
		f.fs.Usage()
		return "", usageError{fmt.Sprintf("analyse %s: want one FILE.csv", name)}
	case *f.format != "json" && *f.format != "table":
		return "", usageError{fmt.Sprintf("analyse %s: unknown format %q (json or table)", name, *f.format)}
	}
	return f.fs.Arg(0), nil
}

// readGrouped reads FILE with the named columns as groups, from FILE itself
// or from the candidate file when one is given.
func (f respFlags) readGrouped(path string, columns ...string) (*respmatrix.Matrix, error) {
	if *f.candidates == "" {
		return respmatrix.ReadFile(path, respmatrix.Options{GroupColumns: columns})
	}
	m, err := respmatrix.ReadFile(path, respmatrix.Options{})
	if err != nil {
		return nil, err
	}
	return respmatrix.JoinGroupsFile(m, *f.candidates, columns)
}

type tableWriter interface{ WriteTable(io.Writer) error }

func emit(stdout io.Writer, format string, v tableWriter) error {
	if format == "table" {
		return v.WriteTable(stdout)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func runAnalyseItems(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newRespFlags("items", itemsUsage, stderr)
	keyPath := f.fs.String("key", "", "answer key CSV (item,key): FILE holds option codes")
	path, err := f.parse(args)
	if err != nil {
		return err
	}
	rep, err := itemsReport(path, *keyPath)
	if err != nil {
		return err
	}
	return emit(stdout, *f.format, rep)
}

// itemsReport analyses a response matrix, or raw choices against a key.
func itemsReport(path, keyPath string) (*itemanalysis.Report, error) {
	var rep *itemanalysis.Report
	if keyPath != "" {
		key, err := respmatrix.ReadKeyFile(keyPath)
		if err != nil {
			return nil, err
		}
		c, err := respmatrix.ReadChoicesFile(path, respmatrix.Options{})
		if err != nil {
			return nil, err
		}
		if rep, err = itemanalysis.AnalyseChoices(c, key); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return rep, nil
	}
	m, err := respmatrix.ReadFile(path, respmatrix.Options{})
	if err != nil {
		return nil, err
	}
	if rep, err = itemanalysis.Analyse(m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}

func runAnalyseDIF(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newRespFlags("dif", difUsage, stderr)
	f.candidates = f.fs.String("candidates", "", "candidate CSV with a person column holding --group")
	group := f.fs.String("group", "", "column of group labels")
	ref := f.fs.String("reference", "", "label of the reference group")
	focal := f.fs.String("focal", "", "label of the focal group")
	mhOnly := f.fs.Bool("mh-only", false, "Mantel-Haenszel only, no logistic regression")
	chart := f.fs.String("chart", "", "directory for the DIF charts (PNG and SVG)")
	path, err := f.parse(args)
	if err != nil {
		return err
	}
	if *group == "" || *ref == "" || *focal == "" {
		f.fs.Usage()
		return usageError{"analyse dif: --group, --reference and --focal are required"}
	}
	m, err := f.readGrouped(path, *group)
	if err != nil {
		return err
	}
	member, err := fairness.Membership(m.Groups[*group], *ref, *focal)
	if err != nil {
		return fmt.Errorf("%s, column %q: %w", path, *group, err)
	}
	opt := fairness.Options{SkipLogistic: *mhOnly}
	if m.NumPersons()*m.NumItems() > progressCells {
		opt.Progress = func(done, total int) {
			if done%10 == 0 || done == total {
				fmt.Fprintf(stderr, "dif: %d/%d items\n", done, total)
			}
		}
	}
	rep := fairness.DIF(m, member, opt)
	if err := ctx.Err(); err != nil {
		return err
	}
	if *chart != "" {
		files, err := difplot.Write(*chart, rep, fmt.Sprintf("DIF: %s (focal) vs %s (reference)", *focal, *ref))
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", strings.Join(files, ", "))
	}
	return emit(stdout, *f.format, rep)
}

func runAnalyseImpact(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newRespFlags("impact", impactUsage, stderr)
	f.candidates = f.fs.String("candidates", "", "candidate CSV with a person column holding --group (and --pass)")
	group := f.fs.String("group", "", "column of group labels")
	passCol := f.fs.String("pass", "", "column of pass/fail outcomes (1/0, pass/fail, true/false, yes/no)")
	cut := f.fs.Float64("cut", -1, "pass when the total score is at least this")
	comparison := f.fs.String("comparison", "", "group the tests compare with (default: highest pass rate)")
	path, err := f.parse(args)
	if err != nil {
		return err
	}
	if *group == "" || (*passCol == "") == (*cut < 0) {
		f.fs.Usage()
		return usageError{"analyse impact: --group and exactly one of --pass or --cut are required"}
	}
	columns := []string{*group}
	if *passCol != "" {
		columns = append(columns, *passCol)
	}
	m, err := f.readGrouped(path, columns...)
	if err != nil {
		return err
	}
	var im *fairness.Impact
	if *passCol != "" {
		var pass []bool
		if pass, err = fairness.ParsePass(m.Persons, m.Groups[*passCol]); err != nil {
			return fmt.Errorf("%s, column %q: %w", path, *passCol, err)
		}
		im, err = fairness.AdverseImpact(m.Groups[*group], pass, *comparison)
	} else {
		im, err = fairness.AdverseImpactAtCut(m, m.Groups[*group], *cut, *comparison)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return emit(stdout, *f.format, im)
}
