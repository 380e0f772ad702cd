package standardsetting

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// BorderlineGroupResult is the borderline-group cut at one station.
type BorderlineGroupResult struct {
	Station  string   `json:"station"`
	N        int      `json:"n"`
	Cut      float64  `json:"cut"` // mean checklist score of the borderline group
	Median   float64  `json:"median"`
	SE       float64  `json:"se"` // sd/sqrt(n); 0 when n = 1
	CutPct   *float64 `json:"cut_pct,omitempty"`
	PassRate float64  `json:"pass_rate"`
}

// BorderlineGroup computes the borderline-group cut (Livingston and Zieky
// 1982, Passing Scores, ETS, ch. 4): the mean checklist score of the
// candidates whose global grade is borderline, with median and standard
// error sd/sqrt(n). maxScore > 0 gives the percent scale. A station with
// no borderline candidate is an ErrNoBorderline error naming the file, the
// station's first row and the station.
func BorderlineGroup(file string, s *Station, borderline float64, maxScore float64) (BorderlineGroupResult, error) {
	var bg []float64
	for i, g := range s.Global {
		if g == borderline {
			bg = append(bg, s.Checklist[i])
		}
	}
	if len(bg) == 0 {
		return BorderlineGroupResult{}, inputErr(file, s.line, "global", ErrNoBorderline, "station %q: no candidate graded %v", s.ID, borderline)
	}
	res := BorderlineGroupResult{Station: s.ID, N: len(bg), Cut: stat.Mean(bg, nil), Median: Median(bg)}
	if len(bg) > 1 {
		res.SE = seMean(bg)
	}
	res.CutPct = pct(res.Cut, maxScore)
	res.PassRate = PassRate(s.Checklist, res.Cut)
	return res, nil
}

// pct is 100 x / max, or nil when max is not positive (scale unknown).
func pct(x, max float64) *float64 {
	if max <= 0 {
		return nil
	}
	v := 100 * x / max
	return &v
}

// RegressionStation is the borderline-regression cut at one station.
type RegressionStation struct {
	Station   string  `json:"station"`
	N         int     `json:"n"`
	Intercept float64 `json:"intercept"`
	// Slope is the checklist gain per global grade (inter-grade discrimination).
	Slope    float64  `json:"slope"`
	R2       float64  `json:"r2"`
	Cut      float64  `json:"cut"`
	CutPct   *float64 `json:"cut_pct,omitempty"`
	SE       float64  `json:"se"` // standard error of the fitted value at the borderline grade
	ResidSD  float64  `json:"resid_sd"`
	PassRate float64  `json:"pass_rate"`
	// Borderline counts candidates graded borderline; with none the cut is
	// still defined by the regression line (stated in Warning).
	Borderline int    `json:"borderline_n"`
	Warning    string `json:"warning,omitempty"`
}

// BorderlineRegression fits checklist = a + b global by least squares at
// one station and reads the cut at the borderline grade g0 (Kramer et al.
// 2003, "Comparison of a rational and an empirical standard setting
// procedure for an OSCE", Medical Education 37(2), 132-139; Pell et al.
// 2010, "How to measure the quality of the OSCE", Medical Teacher 32(10),
// 802-811): cut = a + b g0, SE = s sqrt(1/n + (g0 - gbar)^2 / Sxx) with
// s^2 = RSS/(n-2). It needs three candidates and two distinct grades
// (ErrTooFew, naming the file and station).
func BorderlineRegression(file string, s *Station, borderline, maxScore float64) (RegressionStation, error) {
	n := len(s.Global)
	if n < 3 {
		return RegressionStation{}, inputErr(file, s.line, "", ErrTooFew, "station %q: %d candidates, regression needs 3", s.ID, n)
	}
	gbar := stat.Mean(s.Global, nil)
	var sxx float64
	for _, g := range s.Global {
		sxx += (g - gbar) * (g - gbar)
	}
	if sxx == 0 {
		return RegressionStation{}, inputErr(file, s.line, "global", ErrTooFew, "station %q: every candidate has the same global grade", s.ID)
	}
	a, b := stat.LinearRegression(s.Global, s.Checklist, nil, false)
	var rss float64
	for i, g := range s.Global {
		e := s.Checklist[i] - a - b*g
		rss += e * e
	}
	sigma := math.Sqrt(rss / float64(n-2))
	res := RegressionStation{Station: s.ID, N: n, Intercept: a, Slope: b, R2: rSquared(s, a, b), ResidSD: sigma,
		Cut: a + b*borderline}
	res.SE = sigma * math.Sqrt(1/float64(n)+(borderline-gbar)*(borderline-gbar)/sxx)
	res.CutPct = pct(res.Cut, maxScore)
	res.PassRate = PassRate(s.Checklist, res.Cut)
	for _, g := range s.Global {
		if g == borderline {
			res.Borderline++
		}
	}
	if math.IsNaN(res.Cut) || math.IsNaN(res.SE) || math.IsNaN(res.R2) || math.IsInf(res.SE, 0) {
		return RegressionStation{}, inputErr(file, s.line, "", ErrDegenerate, "station %q: the regression is numerically undefined", s.ID)
	}
	if res.Borderline == 0 {
		res.Warning = "no candidate graded borderline: the cut is read off the regression line"
	}
	return res, nil
}

// rSquared is 1 - RSS/TSS, 0 when the checklist scores do not vary.
func rSquared(s *Station, a, b float64) float64 {
	if stat.Variance(s.Checklist, nil) == 0 {
		return 0
	}
	return stat.RSquared(s.Global, s.Checklist, nil, a, b)
}

// ExamRegression combines the stations' borderline-regression cuts.
type ExamRegression struct {
	Cut     float64  `json:"cut"` // sum of station cuts
	SE      float64  `json:"se"`  // sqrt(sum SE^2), stations independent
	MeanCut float64  `json:"mean_cut"`
	MeanSE  float64  `json:"mean_se"`
	CutPct  *float64 `json:"cut_pct,omitempty"`
	// PassRate counts candidates seen at every station whose total reaches
	// Cut; Excluded counts those missing a station.
	PassRate float64 `json:"pass_rate"`
	N        int     `json:"n"`
	Excluded int     `json:"excluded"`
}

// CombineStations sums station cuts into an exam cut (SE from summed
// variances) and computes the exam pass rate over candidates' totals.
// maxScore is the maximum per station (0 if unknown). It panics on no stations.
func CombineStations(o *OSCE, st []RegressionStation, maxScore float64) ExamRegression {
	if len(st) == 0 {
		panic("standardsetting: no stations")
	}
	var e ExamRegression
	var v float64
	for _, s := range st {
		e.Cut += s.Cut
		v += s.SE * s.SE
	}
	S := float64(len(st))
	e.SE = math.Sqrt(v)
	e.MeanCut, e.MeanSE = e.Cut/S, e.SE/S
	e.CutPct = pct(e.Cut, maxScore*S)
	totals, excluded := Totals(o)
	e.N, e.Excluded = len(totals), excluded
	var ts []float64
	for _, t := range totals {
		ts = append(ts, t)
	}
	e.PassRate = PassRate(ts, e.Cut)
	return e
}

// Totals sums each candidate's checklist scores over the stations; a
// candidate missing any station is left out and counted in excluded.
func Totals(o *OSCE) (totals map[string]float64, excluded int) {
	sum, count := map[string]float64{}, map[string]int{}
	for _, s := range o.Stations {
		for i, c := range s.Candidates {
			sum[c] += s.Checklist[i]
			count[c]++
		}
	}
	totals = map[string]float64{}
	for c, n := range count {
		if n == len(o.Stations) {
			totals[c] = sum[c]
		} else {
			excluded++
		}
	}
	return totals, excluded
}
