package agreement

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable writes the report as aligned plain text.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "targets %d, raters %d, confidence %g%%\n\n", r.Targets, len(r.Raters), 100*(1-r.Alpha))
	fmt.Fprintln(tw, "form\tICC\tF\tdf1\tdf2\tp\tlower\tupper\t")
	for _, f := range r.ICC.Forms() {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%g\t%.4g\t%.4g\t%.4f\t%.4f\t\n",
			f.Type, f.Value, f.F, f.DF1, f.DF2, f.P, f.Lower, f.Upper)
	}
	fmt.Fprintf(tw, "\nmean squares: targets %.4f, raters %.4f, residual %.4f, within %.4f\n",
		r.ICC.MSR, r.ICC.MSC, r.ICC.MSE, r.ICC.MSW)
	if c := r.Cohen; c != nil {
		fmt.Fprintln(tw, "\nCohen's kappa\testimate\tSE\tlower\tupper\t")
		for _, row := range []struct {
			name string
			e    Estimate
		}{{"unweighted", c.Kappa}, {"linear", c.Linear}, {"quadratic", c.Quadratic}} {
			fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t\n", row.name, row.e.Value, row.e.SE, row.e.Lower, row.e.Upper)
		}
	}
	fmt.Fprintf(tw, "\nFleiss' kappa (each distinct score a category): %.4f\n", r.FleissKappa)
	fmt.Fprintln(tw, "\nrater\tn\tmean deviation\tSE\t")
	for _, s := range r.Severity {
		se := "-"
		if s.SE != nil {
			se = fmt.Sprintf("%.4f", *s.SE)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.4f\t%s\t\n", s.Rater, s.N, s.Mean, se)
	}
	return tw.Flush()
}
