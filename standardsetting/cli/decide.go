package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	ss "github.com/accredit/accredit/standardsetting"
)

func runDecide(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	fs := newFlags("decide", stderr)
	rules := fs.String("rules", "", "decision rules JSON: elements, stations, cuts, conjunctive/compensatory/n-of-m (required)")
	files, err := parse(fs, args, 1, 1)
	if err != nil {
		return nil, err
	}
	if *rules == "" {
		return nil, usageErr("decide: --rules is required")
	}
	rs, err := read(*rules, ss.ReadRules)
	if err != nil {
		return nil, err
	}
	es, err := read(files[0], ss.ReadElementScores)
	if err != nil {
		return nil, err
	}
	ds := ss.Decide(rs, es)
	v := struct {
		Method    string        `json:"method"`
		Standard  string        `json:"standard,omitempty"`
		Decisions []ss.Decision `json:"decisions"`
		Summary   ss.Summary    `json:"summary"`
	}{"decide", rs.Standard, ds, ss.Summarise(ds)}
	return simple{v, func(w io.Writer) {
		fmt.Fprint(w, "candidate\toutcome")
		for _, e := range rs.Elements {
			fmt.Fprintf(w, "\t%s", e.Element)
		}
		fmt.Fprintln(w, "\tfast-track re-sit")
		for _, d := range ds {
			fmt.Fprintf(w, "%s\t%s", d.Candidate, d.Outcome)
			for _, e := range d.Elements {
				fmt.Fprintf(w, "\t%s", e.Result)
			}
			fmt.Fprintf(w, "\t%s\n", strings.Join(d.Resit, " "))
		}
	}}, nil
}
