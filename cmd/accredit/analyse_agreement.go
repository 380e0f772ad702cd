package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/accredit/accredit/scoring/agreement"
)

const agreementUsage = `usage: accredit analyse agreement [--format json|table] [--alpha A] FILE.csv

FILE has the columns target,rater,score, one rating per line, every rater
scoring every target. Prints the six Shrout-Fleiss ICCs, Fleiss' kappa, rater
severity and, with exactly two raters, Cohen's kappa (unweighted, linear,
quadratic).
`

func runAnalyseAgreement(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := analyseFlags("agreement", agreementUsage, stderr)
	format := formatFlag(fs)
	alpha := fs.Float64("alpha", 0.05, "confidence intervals cover 1-alpha")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, "agreement", *format); err != nil {
		return err
	}
	if !(*alpha > 0 && *alpha < 1) {
		return usageError{fmt.Sprintf("analyse agreement: alpha %g outside (0, 1)", *alpha)}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	ratings, err := agreement.ReadCSV(f, fs.Arg(0))
	if err != nil {
		return err
	}
	rep, err := agreement.Analyse(ratings, *alpha)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	return emit(stdout, *format, rep)
}
