package main

import (
	"context"
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
	return dispatch(ctx, args, stdout, stderr, analyseUsage, "analyse: ", "analysis", map[string]command{
		"items": runAnalyseItems, "rasch": runAnalyseRasch, "twopl": runAnalyseTwoPL,
		"dif": runAnalyseDIF, "impact": runAnalyseImpact, "agreement": runAnalyseAgreement,
	})
}
