package irt

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints the fit for a reader.
func (res *Result) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "%s by marginal maximum likelihood (EM, %d Gauss-Hermite nodes, %d cycles)\n",
		res.Model, res.Nodes, res.Iterations)
	fmt.Fprintf(w, "marginal log-likelihood %.6f, %d parameters, AIC %.3f, BIC %.3f\n",
		res.LogLik, res.Parameters, res.AIC, res.BIC)
	fmt.Fprintf(w, "%d persons in %d response patterns, %d without responses\n\n", res.Persons, res.Patterns, res.PersonsNone)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "item\ta\tse(a)\tb\tse(b)\tfacility\t")
	for _, it := range res.Items {
		fmt.Fprintf(tw, "%s\t%.4f\t%s\t%.4f\t%s\t%.3f\t\n", it.ID, it.A, opt(it.SEA), it.B, opt(it.SEB), it.Facility)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, ex := range res.ExcludedItems {
		fmt.Fprintf(w, "excluded item %s: %s\n", ex.ID, ex.Reason)
	}
	return nil
}

func opt(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.4f", *v)
}
