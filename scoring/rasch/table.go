package rasch

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints the analysis for a reader: items with difficulty, SE
// and fit, exclusions, the raw-score table and the LR test.
func (res *Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "Rasch model, conditional maximum likelihood (%d items, %d persons calibrating, %d iterations)\n",
		len(res.Items), res.PersonsUsed, res.Iterations)
	fmt.Fprintf(w, "conditional log-likelihood %.6f, %d parameters, %d missingness pattern(s)\n\n",
		res.ConditionalLogLik, res.Parameters, res.Patterns)
	fmt.Fprintln(tw, "item\tdifficulty\tse\tcorrect\tpresented\toutfit\tinfit\toutfit t\tinfit t\t")
	for _, it := range res.Items {
		f := it.Fit
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%d\t%d\t%.3f\t%.3f\t%.2f\t%.2f\t\n",
			it.ID, it.Difficulty, it.SE, it.Correct, it.Presented, f.OutfitMSQ, f.InfitMSQ, f.OutfitT, f.InfitT)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, ex := range res.ExcludedItems {
		fmt.Fprintf(w, "excluded item %s: %s\n", ex.ID, ex.Reason)
	}
	fmt.Fprintf(w, "\npersons: %d total, %d calibrating, %d extreme score (WLE only), %d without responses\n",
		res.PersonsTotal, res.PersonsUsed, res.PersonsExtreme, res.PersonsNoResponse)
	if res.SeparationReliability != nil {
		fmt.Fprintf(w, "person separation reliability %.4f\n", *res.SeparationReliability)
	}
	fmt.Fprintln(w, "\nraw score to ability (all calibrated items)")
	fmt.Fprintln(tw, "raw\ttheta\tse\twle\twle se\tpersons\t")
	for _, r := range res.RawScores {
		theta, se := "-", "-"
		if r.Theta != nil {
			theta, se = fmt.Sprintf("%.4f", *r.Theta), fmt.Sprintf("%.4f", *r.SE)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.4f\t%.4f\t%d\t\n", r.Raw, theta, se, r.WLE, r.WLESE, r.N)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch {
	case res.LRTest != nil:
		lr := res.LRTest
		fmt.Fprintf(w, "\nAndersen LR test (median split at %g): LR = %.4f, df = %d, p = %.4f\n", lr.Median, lr.LR, lr.DF, lr.P)
		for _, id := range lr.DroppedItems {
			fmt.Fprintf(w, "  item %s dropped: all right or all wrong in a score group\n", id)
		}
	case res.LRTestError != "":
		fmt.Fprintf(w, "\nAndersen LR test not computed: %s\n", res.LRTestError)
	}
	return nil
}
