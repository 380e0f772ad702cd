package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	ss "github.com/accredit/accredit/standardsetting"
	"github.com/accredit/accredit/standardsetting/chart"
)

// angoffReport is the Angoff study plus the charts written.
type angoffReport struct {
	*ss.Study
	Charts []string `json:"charts,omitempty"`
}

func runAngoff(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	fs := newFlags("angoff", stderr)
	scores := fs.String("scores", "", "candidates' total scores: candidate,score[,group columns]")
	responses := fs.String("responses", "", "scored response matrix (items as in the ratings) for alpha/KR-20 and item facility")
	alpha := fs.Float64("alpha", -1, "reliability to use instead of computing it from --responses")
	k := fs.Float64("k", 0, "operational cut = reconciled + k x SEM (e.g. -1)")
	rule := fs.String("rule", "inverse-variance", "reconciliation: inverse-variance, mean or dersimonian-laird")
	rounding := fs.String("rounding", "ceiling", "rounding of the operational cut: ceiling, nearest or floor")
	yesno := fs.Bool("yesno", false, "ratings are yes/no (0 or 1) rather than probabilities")
	chartDir := fs.String("chart", "", "write impact and judge-spread charts (PNG and SVG) to this directory")
	files, err := parse(fs, args, 1, -1)
	if err != nil {
		return nil, err
	}
	o := ss.StudyOptions{K: *k}
	if o.Rule, err = ss.ParseRule(*rule); err != nil {
		return nil, usageErr("%v", err)
	}
	if o.Rounding, err = ss.ParseRounding(*rounding); err != nil {
		return nil, usageErr("%v", err)
	}
	if *alpha >= 0 {
		o.Alpha = alpha
	}
	scale := ss.Probability
	if *yesno {
		scale = ss.YesNo
	}
	panels, err := readPanels(files, scale)
	if err != nil {
		return nil, err
	}
	if *scores != "" {
		if o.Scores, err = read(*scores, ss.ReadCandidates); err != nil {
			return nil, err
		}
	}
	if *responses != "" {
		fh, err := os.Open(*responses)
		if err != nil {
			return nil, err
		}
		o.ResponseItems, o.Responses, err = ss.ReadResponses(*responses, fh)
		fh.Close()
		if err != nil {
			return nil, err
		}
	}
	st, err := ss.AngoffStudy(panels, o)
	if err != nil {
		return nil, err
	}
	rep := &angoffReport{Study: st}
	if *chartDir != "" {
		if rep.Charts, err = angoffCharts(st, *chartDir); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// readPanels reads one panel per argument; an argument may list a panel's
// rounds as comma-separated files, in order.
func readPanels(args []string, scale ss.Scale) ([]*ss.Panel, error) {
	var panels []*ss.Panel
	for _, arg := range args {
		files := strings.Split(arg, ",")
		p := &ss.Panel{Name: panelName(files[0])}
		for _, f := range files {
			r, err := read(f, func(name string, rd io.Reader) (*ss.Ratings, error) { return ss.ReadRatings(name, rd, scale) })
			if err != nil {
				return nil, err
			}
			p.Rounds = append(p.Rounds, r)
		}
		panels = append(panels, p)
	}
	return panels, nil
}

func angoffCharts(st *ss.Study, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []string
	if st.Impact != nil {
		p, err := chart.Impact("Impact: pass rate by cut", st.Impact.Curve, st.NamedCuts())
		if err != nil {
			return nil, err
		}
		files, err := chart.Save(p, dir, "impact")
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	var spreads []chart.Spread
	for _, p := range st.Panels {
		s := chart.Spread{Panel: p.Panel}
		for _, jc := range p.JudgeCuts {
			s.Cuts = append(s.Cuts, jc.Cut)
		}
		spreads = append(spreads, s)
	}
	p, err := chart.JudgeSpread("Judges' cuts by panel", spreads)
	if err != nil {
		return nil, err
	}
	files, err := chart.Save(p, dir, "judges")
	return append(out, files...), err
}

func (r *angoffReport) table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Modified Angoff, %d items\n\n", r.Items)
	fmt.Fprintln(tw, "panel\tjudges\tcut\tcut %\tSE\trounds\tpass rate")
	for _, p := range r.Panels {
		fmt.Fprintf(tw, "%s\t%d\t%.4f\t%.2f\t%.4f\t%d\t%s\n", p.Panel, p.Judges, p.Cut, p.CutPct, p.SE, len(p.Rounds), optPct(p.PassRate))
	}
	fmt.Fprintf(tw, "\nreconciled (%s)\t%.4f\tSE %.4f\n", r.Reconciled.Rule, r.Reconciled.Cut, r.Reconciled.SE)
	if a := r.Agreement; a != nil {
		fmt.Fprintf(tw, "agreement\tz %.4f\tp %.4f\tQ %.4f (df %d, p %.4f)\n", a.Z, a.P, a.Q, a.DF, a.QP)
	}
	if m := r.Measurement; m != nil {
		fmt.Fprintf(tw, "reliability (%s)\t%.4f\tSEM %.4f\tCSEM at cut %.4f\n", m.Source, m.Alpha, m.SEM, m.CSEM)
	}
	op := r.Operational
	fmt.Fprintf(tw, "operational cut\t%g\t(%.4f %+g SEM, %s)\tpass rate %s\n", op.Cut, r.Reconciled.Cut, op.K, op.Rounding, optPct(op.PassRate))
	if im := r.Impact; im != nil {
		fmt.Fprintln(tw, "\ncut\tpass rate")
		for _, p := range im.Curve {
			fmt.Fprintf(tw, "%g\t%.1f%%\n", p.Cut, 100*p.PassRate)
		}
	}
	for _, c := range r.Charts {
		fmt.Fprintf(tw, "chart\t%s\n", c)
	}
	return tw.Flush()
}

func optPct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100**p)
}
