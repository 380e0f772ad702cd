// Package difplot draws DIF results with gonum plot: the Mantel-Haenszel
// ETS delta of each item with ±1.96·SE bars, over shaded ETS bands (A inside
// ±1, B to ±1.5, C beyond), written as PNG and SVG.
//
// Functions are safe for concurrent use on distinct output paths.
package difplot

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/accredit/accredit/scoring/fairness"
)

// BaseName is the file name, without extension, of the delta chart.
const BaseName = "dif_delta"

// formats are the file types Write produces.
var formats = []string{"png", "svg"}

// Write draws r's ETS deltas and saves BaseName.png and BaseName.svg in dir
// (created if needed), returning the paths written.
func Write(dir string, r *fairness.Report, title string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p, err := DeltaPlot(r, title)
	if err != nil {
		return nil, err
	}
	width := vg.Length(max(6, 0.3*float64(len(r.Items)))) * vg.Inch
	var out []string
	for _, ext := range formats {
		path := filepath.Join(dir, BaseName+"."+ext)
		if err := p.Save(width, 4*vg.Inch, path); err != nil {
			return out, fmt.Errorf("difplot: %w", err)
		}
		out = append(out, path)
	}
	return out, nil
}

// DeltaPlot builds the chart: items along x in report order, delta on y.
func DeltaPlot(r *fairness.Report, title string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = "MH delta (negative favours reference)"
	p.X.Label.Text = "item"
	n := len(r.Items)
	pts := make(plotter.XYs, n)
	errs := make(plotter.YErrors, n)
	labels := make([]string, n)
	lim := 2.0
	for i, it := range r.Items {
		pts[i] = plotter.XY{X: float64(i + 1), Y: it.DeltaMH}
		half := 1.96 * it.SEDeltaMH
		errs[i] = struct{ Low, High float64 }{half, half}
		labels[i] = it.ID
		lim = max(lim, math.Abs(it.DeltaMH)+half+0.25)
	}
	xmin, xmax := 0.5, float64(n)+0.5
	addBand(p, xmin, xmax, -1.5, 1.5, color.RGBA{R: 255, G: 235, B: 180, A: 255}) // B
	addBand(p, xmin, xmax, -1, 1, color.RGBA{R: 205, G: 235, B: 205, A: 255})     // A
	for _, y := range []float64{-1.5, -1, 0, 1, 1.5} {
		line, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: y}, {X: xmax, Y: y}})
		if err != nil {
			return nil, err
		}
		line.Color = color.Gray{Y: 120}
		if y != 0 {
			line.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
		}
		p.Add(line)
	}
	if n > 0 {
		bars, err := plotter.NewYErrorBars(struct {
			plotter.XYer
			plotter.YErrorer
		}{pts, errs})
		if err != nil {
			return nil, err
		}
		p.Add(bars)
		if err := addClasses(p, r, pts); err != nil {
			return nil, err
		}
	}
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Min, p.Y.Max = -lim, lim
	p.X.Tick.Marker = itemTicks(labels)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	return p, nil
}

// classColors colours each item's point by its ETS class.
var classColors = map[string]color.Color{
	"A": color.Black,
	"B": color.RGBA{R: 230, G: 130, A: 255},
	"C": color.RGBA{R: 200, A: 255},
}

func addClasses(p *plot.Plot, r *fairness.Report, pts plotter.XYs) error {
	for _, class := range []string{"A", "B", "C"} {
		var sel plotter.XYs
		for i, it := range r.Items {
			if it.ETSClass == class {
				sel = append(sel, pts[i])
			}
		}
		if len(sel) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(sel)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		sc.GlyphStyle.Radius = vg.Points(3.5)
		sc.GlyphStyle.Color = classColors[class]
		p.Add(sc)
		p.Legend.Add("ETS "+class, sc)
	}
	p.Legend.Top = true
	return nil
}

func addBand(p *plot.Plot, x0, x1, y0, y1 float64, c color.Color) {
	poly, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	if err != nil {
		panic(err) // four finite points: cannot fail
	}
	poly.Color = c
	poly.LineStyle.Width = 0
	p.Add(poly)
}

// itemTicks labels each integer x with its item id.
type itemTicks []string

func (t itemTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for i, id := range t {
		out = append(out, plot.Tick{Value: float64(i + 1), Label: id})
	}
	return out
}
