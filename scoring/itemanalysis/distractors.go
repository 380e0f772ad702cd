package itemanalysis

import (
	"slices"

	"github.com/accredit/accredit/scoring/respmatrix"
)

// ItemDistractors is the distractor analysis of one multiple-choice item.
type ItemDistractors struct {
	ID      string        `json:"id"`
	Key     string        `json:"key"`
	N       int           `json:"n"` // analysed persons who chose an option
	Options []OptionStats `json:"options"`
}

// OptionStats describes the persons who chose one option.
type OptionStats struct {
	Option    string  `json:"option"`
	IsKey     bool    `json:"is_key"`
	Count     int     `json:"count"`
	Share     float64 `json:"share"`      // Count / N
	MeanTotal float64 `json:"mean_total"` // mean total score of the choosers
	// PointBiserial correlates choosing the option (1/0) with the total over
	// the persons who answered the item; nil when everyone chose it.
	PointBiserial *float64 `json:"point_biserial"`
}

// AnalyseChoices scores raw multiple-choice responses against key, runs
// Analyse on the scored matrix and adds a distractor analysis of every item
// (analysed or excluded) to the report. Totals are those of the item
// analysis: number correct over the analysed items, for the analysed persons.
// Options are listed in Choices.Options order; options nobody chose are
// absent. An analysed item whose distractor draws choosers with a higher mean
// total than the key gets FlagDistractorOutscoresKey.
func AnalyseChoices(c *respmatrix.Choices, key map[string]string) (*Report, error) {
	m, err := c.Score(key)
	if err != nil {
		return nil, err
	}
	d, err := prepare(m)
	if err != nil {
		return nil, err
	}
	r, err := analysePrepared(d)
	if err != nil {
		return nil, err
	}
	r.Distractors = make([]ItemDistractors, c.NumItems())
	for i := range c.NumItems() {
		r.Distractors[i] = distractors(c, i, key[c.Items[i]], d)
	}
	for j, i := range d.items {
		if outscoresKey(r.Distractors[i]) {
			r.Items[j].Flags = append(r.Items[j].Flags, FlagDistractorOutscoresKey)
		}
	}
	return r, nil
}

// distractors tabulates item i over the analysed persons. The option
// point-biserial is Pearson's r between the choice indicator and the total
// from integer moments, as in sums.go.
func distractors(c *respmatrix.Choices, i int, key string, d *prepared) ItemDistractors {
	opts := c.Options(i)
	count := make([]int64, len(opts))
	sumT := make([]int64, len(opts))
	var n, st, stt int64
	for r, p := range d.persons {
		o := c.At(p, i)
		if o < 0 {
			continue
		}
		t := int64(d.totals[r])
		n++
		st += t
		stt += t * t
		count[o]++
		sumT[o] += t
	}
	out := ItemDistractors{ID: c.Items[i], Key: key, N: int(n), Options: []OptionStats{}}
	for o, code := range opts {
		if count[o] == 0 {
			continue
		}
		out.Options = append(out.Options, OptionStats{
			Option:        code,
			IsKey:         code == key,
			Count:         int(count[o]),
			Share:         float64(count[o]) / float64(n),
			MeanTotal:     float64(sumT[o]) / float64(count[o]),
			PointBiserial: corr(n, count[o], st, count[o], stt, sumT[o]),
		})
	}
	return out
}

func outscoresKey(it ItemDistractors) bool {
	k := slices.IndexFunc(it.Options, func(o OptionStats) bool { return o.IsKey })
	if k < 0 {
		return false
	}
	for _, o := range it.Options {
		if !o.IsKey && o.MeanTotal > it.Options[k].MeanTotal {
			return true
		}
	}
	return false
}
