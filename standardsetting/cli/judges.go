package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	ss "github.com/accredit/accredit/standardsetting"
)

// withMethod returns v's JSON object with "method" as its first field.
func withMethod(method string, v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil || len(b) < 2 || b[0] != '{' {
		panic(fmt.Sprintf("cli: result of %s does not encode as an object: %v", method, err))
	}
	head := fmt.Sprintf(`{"method":%q`, method)
	if string(b) != "{}" {
		head += ","
	}
	return append([]byte(head), b[1:]...)
}

func runEbel(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	fs := newFlags("ebel", stderr)
	grid := fs.String("grid", "", "grid CSV: relevance rows x difficulty columns, proportions (required)")
	responses := fs.String("responses", "", "response matrix: classify difficulty from facility (<=.4 hard, <=.7 medium, else easy)")
	files, err := parse(fs, args, 1, 1)
	if err != nil {
		return nil, err
	}
	if *grid == "" {
		return nil, usageErr("ebel: --grid is required")
	}
	g, err := read(*grid, ss.ReadEbelGrid)
	if err != nil {
		return nil, err
	}
	items, err := read(files[0], ss.ReadEbelItems)
	if err != nil {
		return nil, err
	}
	var facility []float64
	if *responses != "" {
		fh, err := os.Open(*responses)
		if err != nil {
			return nil, err
		}
		_, x, err := ss.ReadResponses(*responses, fh)
		fh.Close()
		if err != nil {
			return nil, err
		}
		facility = ss.Facility(x)
	}
	res, err := ss.Ebel(files[0], items, g, facility)
	if err != nil {
		return nil, err
	}
	return simple{withMethod("ebel", res), func(w io.Writer) {
		cutRow(w, fmt.Sprintf("Ebel, %d items", res.Items), res.Cut, res.CutPct, nil)
		fmt.Fprintln(w, "\nrelevance\tdifficulty\tp\titems")
		for _, c := range res.Cells {
			fmt.Fprintf(w, "%s\t%s\t%.2f\t%d\n", c.Relevance, c.Difficulty, c.P, c.Items)
		}
	}}, nil
}

func runNedelsky(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	fs := newFlags("nedelsky", stderr)
	options := fs.Int("options", 5, "options per item (upper bound of a judgement); 0 = no bound")
	files, err := parse(fs, args, 1, 1)
	if err != nil {
		return nil, err
	}
	m, err := read(files[0], func(n string, r io.Reader) (*ss.Ratings, error) { return ss.ReadNedelsky(n, r, *options) })
	if err != nil {
		return nil, err
	}
	res := ss.Nedelsky(m)
	return simple{withMethod("nedelsky", res), func(w io.Writer) {
		cutRow(w, fmt.Sprintf("Nedelsky, %d judges x %d items", res.Judges, res.Items), res.Cut, res.CutPct, &res.SE)
		fmt.Fprintf(w, "sigma\t%.4f\n\njudge\tcut\n", res.Sigma)
		for _, j := range res.JudgeCuts {
			fmt.Fprintf(w, "%s\t%.4f\n", j.Judge, j.Cut)
		}
	}}, nil
}

// scoresAndMax reads --scores and checks --max.
func scoresAndMax(name, scores string, max int) ([]float64, error) {
	if scores == "" || max < 1 {
		return nil, usageErr("%s: --scores and --max (the maximum raw score) are required", name)
	}
	c, err := read(scores, ss.ReadCandidates)
	if err != nil {
		return nil, err
	}
	if err := c.CheckMax(float64(max)); err != nil {
		return nil, err
	}
	return c.Scores, nil
}

// compromise reads what the compromise methods (Hofstee, Beuk) take: the
// judges' file the arguments name, read by readJudges, and the candidates'
// scores with the maximum raw score.
func compromise[J any](name string, args []string, stderr io.Writer, readJudges func(string, io.Reader) (J, error)) (J, []float64, int, error) {
	var js J
	fs := newFlags(name, stderr)
	scoresFile := fs.String("scores", "", "candidates' total scores (required)")
	max := fs.Int("max", 0, "maximum raw score, e.g. the number of items (required)")
	files, err := parse(fs, args, 1, 1)
	if err != nil {
		return js, nil, 0, err
	}
	scores, err := scoresAndMax(name, *scoresFile, *max)
	if err != nil {
		return js, nil, 0, err
	}
	js, err = read(files[0], readJudges)
	return js, scores, *max, err
}

func runHofstee(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	js, scores, max, err := compromise("hofstee", args, stderr, ss.ReadHofstee)
	if err != nil {
		return nil, err
	}
	res := ss.Hofstee(js, scores, max)
	return simple{withMethod("hofstee", res), func(w io.Writer) {
		cutRow(w, "Hofstee ("+res.Case+")", res.Cut, res.CutPct, nil)
		fmt.Fprintf(w, "fail %% at cut\t%.2f\ndiscrete raw cut\t%g\nfail %% there\t%.2f\n", res.FailPctAt, res.DiscreteCut, res.DiscreteFailPct)
		fmt.Fprintf(w, "means\tCmin %.2f\tCmax %.2f\tFmin %.2f\tFmax %.2f\n", res.Cmin, res.Cmax, res.Fmin, res.Fmax)
	}}, nil
}

func runBeuk(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	js, scores, max, err := compromise("beuk", args, stderr, ss.ReadBeuk)
	if err != nil {
		return nil, err
	}
	res := ss.Beuk(js, scores, max)
	return simple{withMethod("beuk", res), func(w io.Writer) {
		cutRow(w, "Beuk ("+res.Case+")", res.Cut, res.CutPct, nil)
		fmt.Fprintf(w, "pass %% at cut\t%.2f\nmean K, V\t%.2f\t%.2f\nslope sd(V)/sd(K)\t%.4f\n", res.PassPctAt, res.KBar, res.VBar, res.Slope)
	}}, nil
}

func runCohen(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	fs := newFlags("cohen", stderr)
	max := fs.Int("max", 0, "maximum raw score (required)")
	options := fs.Int("options", 5, "options per item for the guessing score max/options; 0 = none")
	percentile := fs.Float64("percentile", 0.95, "reference percentile")
	fraction := fs.Float64("fraction", 0.60, "fraction of the reference score")
	files, err := parse(fs, args, 1, 1)
	if err != nil {
		return nil, err
	}
	if *percentile <= 0 || *percentile > 1 || *fraction <= 0 || *fraction > 1 {
		return nil, usageErr("cohen: --percentile and --fraction must lie in (0,1]")
	}
	scores, err := scoresAndMax("cohen", files[0], *max)
	if err != nil {
		return nil, err
	}
	var out []ss.CohenResult
	for _, typ := range []ss.QuantileType{ss.Type7, ss.Type6} {
		out = append(out, ss.Cohen(scores, *max, ss.CohenOptions{Percentile: *percentile, Fraction: *fraction, Options: *options, Type: typ}))
	}
	v := struct {
		Method string           `json:"method"`
		Cut    float64          `json:"cut"` // type 7 (R's default)
		CutPct float64          `json:"cut_pct"`
		ByType []ss.CohenResult `json:"by_quantile_type"`
	}{"cohen", out[0].Cut, out[0].CutPct, out}
	return simple{v, func(w io.Writer) {
		fmt.Fprintln(w, "Cohen's method\nquantile type\treference\tguessing\tcut\tcut %\tmodified (0.6 P90)\tpass rate")
		for _, r := range out {
			fmt.Fprintf(w, "%d\t%.4f\t%.2f\t%.4f\t%.2f\t%.4f\t%.1f%%\n", r.QuantileType, r.Reference, r.Guessing, r.Cut, r.CutPct, r.Modified, 100*r.PassRate)
		}
	}}, nil
}

func runBookmark(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	fs := newFlags("bookmark", stderr)
	judges := fs.String("judges", "", "judges' bookmarks: judge,page (required)")
	rp := fs.Float64("rp", 0.67, "response probability")
	files, err := parse(fs, args, 1, 1)
	if err != nil {
		return nil, err
	}
	if *judges == "" {
		return nil, usageErr("bookmark: --judges is required")
	}
	if *rp <= 0 || *rp >= 1 {
		return nil, usageErr("bookmark: --rp %v must lie in (0,1)", *rp)
	}
	bk, err := read(files[0], ss.ReadBooklet)
	if err != nil {
		return nil, err
	}
	marks, err := read(*judges, func(n string, r io.Reader) ([]ss.Bookmark, error) { return ss.ReadBookmarks(n, r, len(bk.B)) })
	if err != nil {
		return nil, err
	}
	res, err := ss.BookmarkRP(bk, marks, *rp)
	if err != nil {
		return nil, err
	}
	return simple{withMethod("bookmark", res), func(w io.Writer) {
		cutRow(w, fmt.Sprintf("Bookmark, RP %.2f", res.RP), res.Cut, res.CutPct, &res.SE)
		fmt.Fprintf(w, "theta (median)\t%.4f\ntheta SE (mean)\t%.4f\nexpected raw score\t%.4f\n", res.Theta, res.ThetaSE, res.TCC)
	}}, nil
}
