package itemanalysis

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable writes the report as aligned text for a terminal.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "persons\t%d\titems\t%d\tmissing cells\t%d\t\n", r.Persons, r.NumItems, r.MissingCells)
	fmt.Fprintf(tw, "mean\t%.4f\tsd\t%.4f\t\t\t\n", r.MeanTotal, r.SDTotal)
	fmt.Fprintf(tw, "alpha\t%.4f\tKR-20\t%.4f\tKR-21\t%.4f\t\n", r.Alpha, r.KR20, r.KR21)
	fmt.Fprintf(tw, "SEM\t%.4f\t\t\t\t\t\n\n", r.SEM)
	fmt.Fprintln(tw, "item\tn\tfacility\tpbis\tr_rest\talpha_del\tD\tflags\t")
	for _, it := range r.Items {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%s\t%s\t%s\t%s\t%s\t\n", it.ID, it.N, it.Facility,
			opt(it.PointBiserial), opt(it.CorrectedItemTotal), opt(it.AlphaIfDeleted), opt(it.UpperLowerD),
			strings.Join(it.Flags, ","))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range r.ExcludedItems {
		fmt.Fprintf(w, "excluded item %s (n=%d): %s\n", e.ID, e.N, e.Reason)
	}
	if n := len(r.ExcludedPersons); n > 0 {
		fmt.Fprintf(w, "excluded %d persons with no responses\n", n)
	}
	return writeDistractorTable(w, r.Distractors)
}

func writeDistractorTable(w io.Writer, ds []ItemDistractors) error {
	if len(ds) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\nitem\toption\tkey\tcount\tshare\tmean_total\tpbis\t")
	for _, d := range ds {
		for _, o := range d.Options {
			key := ""
			if o.IsKey {
				key = "*"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.3f\t%.3f\t%s\t\n", d.ID, o.Option, key, o.Count, o.Share, o.MeanTotal, opt(o.PointBiserial))
		}
	}
	return tw.Flush()
}

func opt(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *p)
}
