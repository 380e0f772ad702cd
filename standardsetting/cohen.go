package standardsetting

// CohenOptions configures Cohen's method; the zero value gives the
// published defaults through Defaults.
type CohenOptions struct {
	Percentile float64      // reference candidate's percentile, default 0.95
	Fraction   float64      // share of the reference score required, default 0.60
	Options    int          // options per item for the guessing score K/Options; 0 = no correction
	Type       QuantileType // Hyndman-Fan quantile type, default Type7 (R's default)
}

func (o CohenOptions) withDefaults() CohenOptions {
	if o.Percentile == 0 {
		o.Percentile = 0.95
	}
	if o.Fraction == 0 {
		o.Fraction = 0.60
	}
	if o.Type == 0 {
		o.Type = Type7
	}
	return o
}

// CohenResult is the Cohen cut under one quantile type.
type CohenResult struct {
	QuantileType int     `json:"quantile_type"`
	Percentile   float64 `json:"percentile"`
	Reference    float64 `json:"reference_score"` // the percentile's score, e.g. P95
	Guessing     float64 `json:"guessing_score"`  // C = K/options
	Cut          float64 `json:"cut"`
	CutPct       float64 `json:"cut_pct"`
	// Modified is Taylor's (2011) variant: Fraction x P90, no guessing correction.
	Modified    float64 `json:"modified_cut"`
	ModifiedPct float64 `json:"modified_cut_pct"`
	PassRate    float64 `json:"pass_rate"`
}

// Cohen computes the Cohen method cut (Cohen-Schotanus and van der Vleuten
// 2010, "A standard setting method with the best performing students as
// point of reference", Medical Teacher 32(2), 154-160):
// PM = f (P_q - C) + C, with P_q the q-quantile of the raw scores (q = 0.95,
// f = 0.60) and C = K/options the expected score from guessing. The
// modified form (Taylor 2011, "Development of a modified Cohen method of
// standard setting", Medical Teacher 33(12), e678-e682) is f x P90.
// It panics if scores is empty or maxScore < 1.
func Cohen(scores []float64, maxScore int, o CohenOptions) CohenResult {
	if len(scores) == 0 || maxScore < 1 {
		panic("standardsetting: Cohen needs scores and a positive maximum score")
	}
	o = o.withDefaults()
	K := float64(maxScore)
	res := CohenResult{QuantileType: int(o.Type), Percentile: o.Percentile, Reference: Quantile(scores, o.Percentile, o.Type)}
	if o.Options > 0 {
		res.Guessing = K / float64(o.Options)
	}
	res.Cut = o.Fraction*(res.Reference-res.Guessing) + res.Guessing
	res.CutPct = 100 * res.Cut / K
	res.Modified = o.Fraction * Quantile(scores, 0.90, o.Type)
	res.ModifiedPct = 100 * res.Modified / K
	res.PassRate = PassRate(scores, Ceiling.Round(res.Cut, 1))
	return res
}
