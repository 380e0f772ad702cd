package raschplot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/accredit/accredit/scoring/irt"
	"github.com/accredit/accredit/scoring/rasch"
)

// ErrNoCalibration: the result carries no calibration to draw.
var ErrNoCalibration = errors.New("raschplot: result has no calibration")

// formats are the file formats WriteAll writes.
var formats = []string{"png", "svg"}

// WriteAll writes into dir (created if needed) wright_map, information and
// one icc_<item> chart per item, each as PNG and SVG, and returns the paths.
func WriteAll(dir string, res *rasch.Result) ([]string, error) {
	if res.Stats == nil || res.Calibration == nil {
		return nil, ErrNoCalibration
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	save := func(name string, w, h vg.Length, draw func(dc draw.Canvas)) error {
		for _, f := range formats {
			path := filepath.Join(dir, name+"."+f)
			if err := render(path, f, w, h, draw); err != nil {
				return fmt.Errorf("chart %s: %w", path, err)
			}
			paths = append(paths, path)
		}
		return nil
	}
	if err := save("wright_map", 6*vg.Inch, 7*vg.Inch, func(dc draw.Canvas) { WrightMap(res).Draw(dc) }); err != nil {
		return paths, err
	}
	if err := save("information", 6*vg.Inch, 6*vg.Inch, func(dc draw.Canvas) { drawInformation(dc, res) }); err != nil {
		return paths, err
	}
	for i, it := range res.Items {
		p := ICC(res, i)
		if err := save("icc_"+fileSafe(it.ID), 5*vg.Inch, 4*vg.Inch, func(dc draw.Canvas) { p.Draw(dc) }); err != nil {
			return paths, err
		}
	}
	return paths, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileSafe(id string) string { return unsafeChars.ReplaceAllString(id, "_") }

func render(path, format string, w, h vg.Length, drawFn func(draw.Canvas)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	switch format {
	case "svg":
		sc := vgsvg.New(w, h)
		drawFn(draw.New(sc))
		_, err = sc.WriteTo(f)
	default:
		ic := vgimg.New(w, h)
		drawFn(draw.New(ic))
		_, err = vgimg.PngCanvas{Canvas: ic}.WriteTo(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// thetaRange spans the difficulties and abilities with a margin.
func thetaRange(res *rasch.Result) (lo, hi float64) {
	lo, hi = -4, 4
	for _, it := range res.Items {
		lo, hi = math.Min(lo, it.Difficulty-2), math.Max(hi, it.Difficulty+2)
	}
	return lo, hi
}

// ICC draws item i's model curve P(θ) = 1/(1 + exp(β_i − θ)) and the
// observed proportion correct of each score group at its ability estimate,
// pooled into bins of half a logit (point size grows with the group).
func ICC(res *rasch.Result, i int) *plot.Plot {
	it := res.Items[i]
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Item %s (difficulty %.2f)", it.ID, it.Difficulty)
	p.X.Label.Text, p.Y.Label.Text = "ability θ (logits)", "P(correct)"
	lo, hi := thetaRange(res)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, 0, 1
	curve := plotter.NewFunction(func(t float64) float64 { return irt.Logistic(t, 1, it.Difficulty) })
	curve.Samples = 200
	curve.Color = color.RGBA{B: 180, A: 255}
	curve.Width = vg.Points(1.5)
	p.Add(curve, plotter.NewGrid())
	p.Legend.Add("model", curve)
	pts := observed(res, i)
	if len(pts) > 0 {
		sc, err := plotter.NewScatter(pts)
		if err == nil {
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			sc.GlyphStyle.Color = color.RGBA{R: 200, A: 255}
			p.Add(sc)
			p.Legend.Add("observed (score groups)", sc)
		}
	}
	p.Legend.Top, p.Legend.Left = true, true
	return p
}

// observed pools the score groups that were presented item i into half-logit
// bins of ability: weighted mean θ and proportion correct per bin.
func observed(res *rasch.Result, i int) plotter.XYs {
	type bin struct{ n, theta, correct float64 }
	bins := map[int]*bin{}
	beta := res.Calibration.Difficulty
	for _, pt := range res.Stats.Patterns {
		b := make([]float64, len(pt.Items))
		pos := -1
		for j, it := range pt.Items {
			b[j] = beta[it]
			if it == i {
				pos = j
			}
		}
		if pos < 0 {
			continue
		}
		for r, g := range pt.Groups {
			if g == nil {
				continue
			}
			a, ok := rasch.MLE(b, r)
			if !ok {
				continue
			}
			key := int(math.Floor(a.Theta * 2))
			bn := bins[key]
			if bn == nil {
				bn = &bin{}
				bins[key] = bn
			}
			bn.n += g.N
			bn.theta += g.N * a.Theta
			bn.correct += g.Totals[pos]
		}
	}
	keys := make([]int, 0, len(bins))
	for k := range bins {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var pts plotter.XYs
	for _, k := range keys {
		bn := bins[k]
		pts = append(pts, plotter.XY{X: bn.theta / bn.n, Y: bn.correct / bn.n})
	}
	return pts
}
