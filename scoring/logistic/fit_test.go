package logistic

import (
	"errors"
	"math"
	"testing"
)

// With one 0/1 predictor the maximum-likelihood fit is closed-form: the
// intercept is the log-odds at x = 0 and the slope the log odds ratio.
func TestFitTwoByTwo(t *testing.T) {
	// x = 0: 3 of 10 correct; x = 1: 6 of 8 correct.
	var x, y []float64
	add := func(xv float64, ones, n int) {
		for i := range n {
			yv := 0.0
			if i < ones {
				yv = 1
			}
			x, y = append(x, xv), append(y, yv)
		}
	}
	add(0, 3, 10)
	add(1, 6, 8)
	m, err := Fit(y, nil, x)
	if err != nil {
		t.Fatal(err)
	}
	logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
	b0, b1 := logit(0.3), logit(0.75)-logit(0.3)
	if math.Abs(m.Coef[0]-b0) > 1e-9 || math.Abs(m.Coef[1]-b1) > 1e-9 {
		t.Errorf("coef = %v, want [%v %v]", m.Coef, b0, b1)
	}
	want := 3*math.Log(0.3) + 7*math.Log(0.7) + 6*math.Log(0.75) + 2*math.Log(0.25)
	if math.Abs(m.LogLik-want) > 1e-9 {
		t.Errorf("loglik = %v, want %v", m.LogLik, want)
	}
	if got, want := NullLogLik(y), 9*math.Log(0.5)*2; math.Abs(got-want) > 1e-12 {
		t.Errorf("null loglik = %v, want %v", got, want)
	}
}

func TestFitSingular(t *testing.T) {
	y := []float64{0, 1, 0, 1}
	if _, err := Fit(y, nil, []float64{2, 2, 2, 2}); !errors.Is(err, ErrSingular) {
		t.Errorf("constant predictor: err = %v, want ErrSingular", err)
	}
}

func TestFitPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"length":   func() { Fit([]float64{0, 1}, nil, []float64{1}) },
		"response": func() { Fit([]float64{0, 2}, nil, []float64{1, 2}) },
		"start":    func() { Fit([]float64{0, 1}, []float64{0, 0, 0}, []float64{1, 2}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
