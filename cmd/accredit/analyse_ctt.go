package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/scoring/fairness"
	"github.com/accredit/accredit/scoring/fairness/difplot"
	"github.com/accredit/accredit/scoring/itemanalysis"
	"github.com/accredit/accredit/scoring/respmatrix"
)

const itemsUsage = `usage: accredit analyse items [--format json|table] [--key KEY.csv] [--bank DIR] FILE.csv

FILE is a response matrix (header of item ids, optional first column person,
cells 1 right, 0 wrong, 9 omitted, empty not presented). An omitted item
scores 0; the omissions of each item are reported beside the analysis. With
--key, FILE holds raw option codes instead (- omitted) and KEY.csv (columns
item,key) gives each item's correct option; a distractor analysis is added.
An item column not in the key, or with --bank not in the item bank of the
content directory DIR, is an error naming it.
`

const difUsage = `usage: accredit analyse dif --group COLUMN --reference LABEL --focal LABEL
       [--candidates CANDIDATES.csv] [--mh-only] [--chart DIR] [--bank DIR] [--format json|table] FILE.csv

Mantel-Haenszel and logistic-regression DIF between two groups, matched on
the total score. COLUMN is read from FILE or, with --candidates, from a
candidate file joined on person. --chart writes dif_delta.png and .svg to DIR.
`

const impactUsage = `usage: accredit analyse impact --group COLUMN (--pass COLUMN | --cut SCORE)
       [--candidates CANDIDATES.csv] [--comparison LABEL] [--bank DIR] [--format json|table] FILE.csv

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
	bank       *string
	candidates *string
}

// newRespFlags returns the flags of the analysis name of a response
// matrix: --format and --bank, to which the analysis adds its own.
func newRespFlags(name, usage string, stderr io.Writer) respFlags {
	fs := analyseFlags(name, usage, stderr)
	return respFlags{fs: fs, format: formatFlag(fs), bank: bankFlag(fs)}
}

// analyseFlags returns the flag set of the analysis name, whose usage is
// followed by the flags and their defaults.
func analyseFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := newFlagSet("analyse "+name, usage, stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	return fs
}

// formatFlag adds --format, json or table, to fs.
func formatFlag(fs *flag.FlagSet) *string {
	return fs.String("format", "table", "output format: json or table")
}

// bankFlag adds --bank to fs.
func bankFlag(fs *flag.FlagSet) *string {
	return fs.String("bank", "", "content directory: refuse item ids not in its item bank")
}

// readBanked reads the response matrix in file and refuses its item columns
// that the item bank of the content directory bank does not hold. Items with
// partial scores, which the analyses leave out, are named on warn.
func readBanked(file, bank string, opt respmatrix.Options, warn io.Writer) (*respmatrix.Matrix, error) {
	m, err := respmatrix.ReadFile(file, opt)
	if err != nil {
		return nil, err
	}
	if len(m.Partial) > 0 {
		fmt.Fprintf(warn, "%s: left out %d item(s) with partial scores, which these analyses of right and wrong do not model: %s\n",
			file, len(m.Partial), strings.Join(m.Partial, ", "))
	}
	if err := checkBank(bank, file, m.Items); err != nil {
		return nil, err
	}
	return m, nil
}

// checkBank refuses the item columns of file that the item bank of the
// content directory dir does not hold; an empty dir checks nothing.
func checkBank(dir, file string, items []string) error {
	if dir == "" {
		return nil
	}
	lib, err := content.LoadDir(dir)
	if err != nil {
		return fmt.Errorf("--bank %s: %w", dir, err)
	}
	return respmatrix.CheckItems(file, items, "the item bank of "+dir, func(id string) bool {
		_, ok := lib.Items[id]
		return ok
	})
}

func (f respFlags) parse(args []string) (string, error) {
	if err := f.fs.Parse(args); err != nil {
		return "", err
	}
	if err := checkArgs(f.fs, strings.TrimPrefix(f.fs.Name(), "analyse "), *f.format); err != nil {
		return "", err
	}
	return f.fs.Arg(0), nil
}

// readGrouped reads FILE with the named columns as groups, from FILE itself
// or from the candidate file when one is given.
func (f respFlags) readGrouped(path string, columns ...string) (*respmatrix.Matrix, error) {
	opt := respmatrix.Options{}
	if *f.candidates == "" {
		opt.GroupColumns = columns
	}
	m, err := readBanked(path, *f.bank, opt, f.fs.Output())
	if err != nil {
		return nil, err
	}
	if *f.candidates == "" {
		return m, nil
	}
	return respmatrix.JoinGroupsFile(m, *f.candidates, columns)
}

type tableWriter interface{ WriteTable(io.Writer) error }

// emit writes v as a table or as indented JSON.
func emit(stdout io.Writer, format string, v tableWriter) error {
	return emitJSON(stdout, format, v, true)
}

// emitJSON is emit with the JSON indented only when indent holds.
func emitJSON(stdout io.Writer, format string, v tableWriter, indent bool) error {
	if format == "table" {
		return v.WriteTable(stdout)
	}
	return writeJSON(stdout, v, indent)
}

func runAnalyseItems(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newRespFlags("items", itemsUsage, stderr)
	keyPath := f.fs.String("key", "", "answer key CSV (item,key): FILE holds option codes")
	path, err := f.parse(args)
	if err != nil {
		return err
	}
	rep, err := itemsReport(path, *keyPath, *f.bank, stderr)
	if err != nil {
		return err
	}
	return emit(stdout, *f.format, rep)
}

// itemsReport analyses a response matrix, or raw choices against a key,
// refusing item ids the key or the bank in bankDir does not know.
func itemsReport(path, keyPath, bankDir string, warn io.Writer) (*itemsOutput, error) {
	if keyPath == "" {
		m, err := readBanked(path, bankDir, respmatrix.Options{}, warn)
		if err != nil {
			return nil, err
		}
		rep, err := itemanalysis.Analyse(m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return withOmissions(rep, m.Items, m.Omissions, func(p, i int) bool { return m.At(p, i) != respmatrix.Missing }, m.NumPersons()), nil
	}
	key, err := respmatrix.ReadKeyFile(keyPath)
	if err != nil {
		return nil, err
	}
	c, err := respmatrix.ReadChoicesFile(path, respmatrix.Options{})
	if err != nil {
		return nil, err
	}
	if err := respmatrix.CheckItems(path, c.Items, "the key "+keyPath, func(id string) bool { _, ok := key[id]; return ok }); err != nil {
		return nil, err
	}
	if err := checkBank(bankDir, path, c.Items); err != nil {
		return nil, err
	}
	rep, err := itemanalysis.AnalyseChoices(c, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return withOmissions(rep, c.Items, c.Omissions, func(p, i int) bool { return c.At(p, i) >= 0 }, c.NumPersons()), nil
}

// itemsOutput is the item analysis with each item's omissions: presented
// and left unanswered, which the analysis scores 0.
type itemsOutput struct {
	*itemanalysis.Report
	Omissions []itemOmissions `json:"omissions,omitempty"` // every item, when any was omitted
}

type itemOmissions struct {
	ID        string  `json:"id"`
	Presented int     `json:"presented"` // persons presented with the item
	Omitted   int     `json:"omitted"`
	Rate      float64 `json:"omission_rate"` // omitted / presented
}

// withOmissions counts omissions of every item of the file, when there are any.
func withOmissions(rep *itemanalysis.Report, items []string, omitted func(i int) int, presented func(p, i int) bool, persons int) *itemsOutput {
	out := &itemsOutput{Report: rep}
	total := 0
	for i := range items {
		total += omitted(i)
	}
	if total == 0 {
		return out
	}
	for i, id := range items {
		o := itemOmissions{ID: id, Omitted: omitted(i)}
		for p := range persons {
			if presented(p, i) {
				o.Presented++
			}
		}
		if o.Presented > 0 {
			o.Rate = float64(o.Omitted) / float64(o.Presented)
		}
		out.Omissions = append(out.Omissions, o)
	}
	return out
}

// WriteTable writes the report, then the omissions.
func (o *itemsOutput) WriteTable(w io.Writer) error {
	if err := o.Report.WriteTable(w); err != nil {
		return err
	}
	if len(o.Omissions) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\nitem\tpresented\tomitted\trate\t")
	for _, it := range o.Omissions {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t\n", it.ID, it.Presented, it.Omitted, it.Rate)
	}
	return tw.Flush()
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
