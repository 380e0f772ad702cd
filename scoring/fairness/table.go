package fairness

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable writes the DIF report as aligned text for a terminal.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "reference n=%d  focal n=%d\n\n", r.NReference, r.NFocal)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "item\talpha_MH\tdelta_MH\tSE\tchi2\tp\tETS\tLR_unif\tLR_nonunif\tdR2\tZT\tJG\t")
	for _, it := range r.Items {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.4f\t%s\t", it.ID, it.AlphaMH, it.DeltaMH, it.SEDeltaMH, it.ChiSquare, it.P, it.ETSClass)
		if lr := it.Logistic; lr != nil {
			fmt.Fprintf(tw, "%.3f\t%.3f\t%.4f\t%s\t%s\t\n", lr.LRUniform, lr.LRNonUniform, lr.DeltaR2, lr.ZumboThomas, lr.JodoinGierl)
		} else {
			fmt.Fprint(tw, "-\t-\t-\t-\t-\t\n")
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range r.Excluded {
		fmt.Fprintf(w, "excluded item %s: %s\n", e.ID, e.Reason)
	}
	return nil
}

// WriteTable writes the adverse-impact analysis as aligned text.
func (im *Impact) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "compared with %s\n\n", im.Comparison)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "group\tn\tpassed\tpass_rate\tratio\t4/5\tz\tp_z\tfisher_p\t")
	for _, g := range im.Groups {
		flag := ""
		if g.FourFifthsViolated {
			flag = "VIOLATED"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.4f\t%s\t%s\t%s\t%s\t%s\t\n", g.Group, g.N, g.Passed, g.PassRate,
			fmtOpt(g.ImpactRatio, "%.4f"), flag, fmtOpt(g.Z, "%.3f"), fmtOpt(g.PZ, "%.4g"), fmtOpt(g.FisherP, "%.4g"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if im.Unlabelled > 0 {
		fmt.Fprintf(w, "left out %d persons with no group label\n", im.Unlabelled)
	}
	if im.NoResponses > 0 {
		fmt.Fprintf(w, "left out %d persons with no responses\n", im.NoResponses)
	}
	return nil
}

func fmtOpt(p *float64, f string) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf(f, *p)
}
