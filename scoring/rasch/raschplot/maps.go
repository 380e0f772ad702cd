package raschplot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/accredit/accredit/scoring/rasch"
)

// TestInformation returns I(θ) = Σ_i P_i(θ)(1 − P_i(θ)) over the calibrated
// items and the conditional standard error of measurement 1/sqrt(I(θ)).
func TestInformation(res *rasch.Result, theta float64) (info, csem float64) {
	for _, it := range res.Items {
		p := 1 / (1 + math.Exp(it.Difficulty-theta))
		info += p * (1 - p)
	}
	return info, 1 / math.Sqrt(info)
}

// drawInformation draws test information above the conditional SEM.
func drawInformation(dc draw.Canvas, res *rasch.Result) {
	lo, hi := thetaRange(res)
	mk := func(title, ylab string, f func(float64) float64, c color.Color) *plot.Plot {
		p := plot.New()
		p.Title.Text = title
		p.X.Label.Text, p.Y.Label.Text = "ability θ (logits)", ylab
		p.X.Min, p.X.Max = lo, hi
		fn := plotter.NewFunction(f)
		fn.Samples = 200
		fn.Color, fn.Width = c, vg.Points(1.5)
		p.Add(fn, plotter.NewGrid())
		return p
	}
	info := mk("Test information", "I(θ)", func(t float64) float64 { i, _ := TestInformation(res, t); return i }, color.RGBA{B: 180, A: 255})
	info.Y.Min = 0
	for t := lo; t <= hi; t += (hi - lo) / 200 {
		i, _ := TestInformation(res, t)
		info.Y.Max = math.Max(info.Y.Max, 1.05*i)
	}
	csem := mk("Conditional standard error of measurement", "SEM(θ) = 1/√I(θ)", func(t float64) float64 {
		_, s := TestInformation(res, t)
		return math.Min(s, 5)
	}, color.RGBA{R: 200, A: 255})
	csem.Y.Min, csem.Y.Max = 0, 5
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4), PadY: vg.Points(10)}
	plots := [][]*plot.Plot{{info}, {csem}}
	canvases := plot.Align(plots, tiles, dc)
	info.Draw(canvases[0][0])
	csem.Draw(canvases[1][0])
}

// WrightMap draws the person-item map on one logit scale: the distribution
// of person abilities (WLE, so extreme scores are included) as bars to the
// left, item difficulties as labelled points to the right.
func WrightMap(res *rasch.Result) *plot.Plot {
	p := plot.New()
	p.Title.Text = "Person-item map"
	p.Y.Label.Text = "logits"
	p.X.Label.Text = "persons  |  items"
	counts, width, lo := personBins(res)
	var top float64
	for _, c := range counts {
		top = math.Max(top, c)
	}
	for b, c := range counts {
		if c == 0 {
			continue
		}
		y0 := lo + float64(b)*width
		x := -c / top
		poly, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: y0}, {X: x, Y: y0}, {X: x, Y: y0 + width}, {X: 0, Y: y0 + width}})
		if err == nil {
			poly.Color = color.RGBA{R: 120, G: 150, B: 200, A: 255}
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
	}
	var pts plotter.XYs
	var labels []string
	for i, it := range res.Items {
		pts = append(pts, plotter.XY{X: 0.1 + 0.25*float64(i%4), Y: it.Difficulty})
		labels = append(labels, it.ID)
	}
	if sc, err := plotter.NewScatter(pts); err == nil {
		sc.GlyphStyle.Shape = draw.BoxGlyph{}
		sc.GlyphStyle.Color = color.RGBA{R: 200, A: 255}
		p.Add(sc)
	}
	if lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels}); err == nil {
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font.Size = vg.Points(7)
			lb.TextStyle[i].XAlign = draw.XLeft
		}
		lb.Offset = vg.Point{X: vg.Points(4)}
		p.Add(lb)
	}
	p.X.Min, p.X.Max = -1.05, 1.2
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: -1, Label: fmt.Sprintf("%.0f", top)}, {Value: 0, Label: "0"}})
	p.Add(plotter.NewGrid())
	return p
}

// personBins returns person counts in bins of 0.25 logits of WLE ability,
// the bin width and the lower edge of the first bin.
func personBins(res *rasch.Result) (counts []float64, width, lo float64) {
	width = 0.25
	type group struct{ theta, n float64 }
	var groups []group
	beta := res.Calibration.Difficulty
	for _, pt := range res.Stats.Patterns {
		b := make([]float64, len(pt.Items))
		for j, it := range pt.Items {
			b[j] = beta[it]
		}
		for r, g := range pt.Groups {
			if g != nil {
				groups = append(groups, group{rasch.WLE(b, r).Theta, g.N})
			}
		}
	}
	if len(groups) == 0 {
		return nil, width, 0
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, g := range groups {
		lo, hi = math.Min(lo, g.theta), math.Max(hi, g.theta)
	}
	lo = math.Floor(lo/width) * width
	counts = make([]float64, int((hi-lo)/width)+1)
	for _, g := range groups {
		counts[int((g.theta-lo)/width)] += g.n
	}
	return counts, width, lo
}
