package main

import (
	"context"
	"fmt"
	"io"
)

const analyseUsage = `usage: accredit analyse ANALYSIS [flags] FILE

analyses:
  items      classical item analysis, reliability, distractors
  rasch      Rasch calibration by conditional maximum likelihood
  twopl      two-parameter logistic model by marginal maximum likelihood
  dif        differential item functioning (Mantel-Haenszel, logistic regression)
  impact     adverse impact of pass/fail decisions by group
  agreement  rater agreement: kappa, weighted kappa, ICC
`

func runAnalyse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, analyseUsage)
		return usageError{"analyse: no analysis given"}
	}
	name, rest := args[0], args[1:]
	switch name {
	case "items":
		return runAnalyseItems(ctx, rest, stdout, stderr)
	case "rasch":
		return runAnalyseRasch(ctx, rest, stdout, stderr)
	case "twopl":
		return runAnalyseTwoPL(ctx, rest, stdout, stderr)
	case "dif":
		return runAnalyseDIF(ctx, rest, stdout, stderr)
	case "impact":
		return runAnalyseImpact(ctx, rest, stdout, stderr)
	case "agreement":
		return runAnalyseAgreement(ctx, rest, stdout, stderr)
	default:
		fmt.Fprint(stderr, analyseUsage)
		return usageError{fmt.Sprintf("analyse: unknown analysis %q", name)}
	}
}
