package chart

import (
	"fmt"
	"image/color"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/accredit/accredit/standardsetting"
)

// palette colours the marked cuts in order.
var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
}

// Impact plots the pass rate (percent) at every cut of curve as a step-free
// line with a vertical line at each marked cut, labelled in the legend.
func Impact(title string, curve []standardsetting.ImpactPoint, marks []standardsetting.NamedCut) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "cut (raw score)"
	p.Y.Label.Text = "pass rate (%)"
	p.Y.Min, p.Y.Max = 0, 100
	pts := make(plotter.XYs, len(curve))
	for i, c := range curve {
		pts[i].X, pts[i].Y = c.Cut, 100*c.PassRate
	}
	line, dots, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, fmt.Errorf("impact curve: %w", err)
	}
	dots.Radius = vg.Points(2)
	p.Add(line, dots, plotter.NewGrid())
	for i, m := range marks {
		v, err := plotter.NewLine(plotter.XYs{{X: m.Cut, Y: 0}, {X: m.Cut, Y: 100}})
		if err != nil {
			return nil, fmt.Errorf("impact mark %q: %w", m.Name, err)
		}
		v.Color = palette[i%len(palette)]
		v.Width = vg.Points(1.5)
		if i > 0 {
			v.Dashes = []vg.Length{vg.Points(4), vg.Points(2 * float64(i))}
		}
		p.Add(v)
		p.Legend.Add(fmt.Sprintf("%s %.2f", m.Name, m.Cut), v)
	}
	p.Legend.Top = true
	return p, nil
}

// Spread is one panel's judges' cuts.
type Spread struct {
	Panel string
	Cuts  []float64
}

// JudgeSpread draws a box plot of each panel's judges' cuts, side by side,
// with every judge's cut as a point over the box.
func JudgeSpread(title string, panels []Spread) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = "judge's cut (raw score)"
	names := make([]string, len(panels))
	for i, s := range panels {
		names[i] = s.Panel
		box, err := plotter.NewBoxPlot(vg.Points(30), float64(i), plotter.Values(s.Cuts))
		if err != nil {
			return nil, fmt.Errorf("spread of panel %q: %w", s.Panel, err)
		}
		pts := make(plotter.XYs, len(s.Cuts))
		for j, c := range s.Cuts {
			pts[j].X, pts[j].Y = float64(i)+0.15, c
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("spread of panel %q: %w", s.Panel, err)
		}
		sc.Color = palette[i%len(palette)]
		p.Add(box, sc)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(panels))-0.4
	return p, nil
}

// Save writes p to dir/base.png and dir/base.svg, 6 by 4 inches, and
// returns the two paths.
func Save(p *plot.Plot, dir, base string) ([]string, error) {
	var out []string
	for _, ext := range []string{".png", ".svg"} {
		path := filepath.Join(dir, base+ext)
		if err := p.Save(6*vg.Inch, 4*vg.Inch, path); err != nil {
			return out, fmt.Errorf("save chart: %w", err)
		}
		out = append(out, path)
	}
	return out, nil
}
