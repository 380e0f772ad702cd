package standardsetting

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat"
)

// Booklet is an ordered item booklet: items from easiest to hardest with
// their Rasch difficulties (logits), page 1 first.
type Booklet struct {
	Items []string
	B     []float64
}

// ReadBooklet reads page,item,b rows. Pages must run 1, 2, ... in order and
// difficulties must not decrease (that is what orders the booklet).
func ReadBooklet(file string, r io.Reader) (*Booklet, error) {
	t, cols, err := readColumns(file, r, 2, "pages", "page", "item", "b")
	if err != nil {
		return nil, err
	}
	pc, ic, bc := cols[0], cols[1], cols[2]
	ids, err := t.uniqueLabels(ic)
	if err != nil {
		return nil, err
	}
	bk := &Booklet{Items: ids, B: make([]float64, len(t.rows))}
	for i := range t.rows {
		if t.rows[i][pc] != strconv.Itoa(i+1) {
			return nil, inputErr(file, t.lines[i], t.header[pc], ErrFormat, "page %q, want %d: pages must run 1, 2, ... in order", t.rows[i][pc], i+1)
		}
		if bk.B[i], err = t.float(i, bc); err != nil {
			return nil, err
		}
		if i > 0 && bk.B[i] < bk.B[i-1] {
			return nil, inputErr(file, t.lines[i], t.header[bc], ErrRange, "difficulty %v is below the previous page's %v: the booklet is not ordered", bk.B[i], bk.B[i-1])
		}
	}
	return bk, nil
}

// Bookmark is one judge's bookmark: the last page a borderline candidate
// has mastered.
type Bookmark struct {
	Judge string
	Page  int
}

// ReadBookmarks reads judge,page rows; every page must lie in 1..pages.
func ReadBookmarks(file string, r io.Reader, pages int) ([]Bookmark, error) {
	t, cols, err := readColumns(file, r, 2, "judges", "judge", "page")
	if err != nil {
		return nil, err
	}
	jc, pc := cols[0], cols[1]
	ids, err := t.uniqueLabels(jc)
	if err != nil {
		return nil, err
	}
	out := make([]Bookmark, len(t.rows))
	for i := range t.rows {
		v, err := t.floatIn(i, pc, 1, float64(pages))
		if err != nil {
			return nil, err
		}
		if v != math.Trunc(v) {
			return nil, inputErr(file, t.lines[i], t.header[pc], ErrRange, "page %v is not a whole number", v)
		}
		out[i] = Bookmark{Judge: ids[i], Page: int(v)}
	}
	return out, nil
}

// BookmarkResult is the Bookmark cut.
type BookmarkResult struct {
	RP          float64    `json:"rp"`
	Offset      float64    `json:"ln_rp_odds"` // ln(RP/(1-RP))
	JudgeThetas []JudgeCut `json:"judge_thetas"`
	Theta       float64    `json:"theta"` // median of the judges' thetas
	ThetaMean   float64    `json:"theta_mean"`
	ThetaSE     float64    `json:"theta_se"` // sd/sqrt(J) of the judges' thetas
	TCC         float64    `json:"tcc_at_theta"`
	Cut         float64    `json:"cut"` // ceiling of the expected raw score
	CutPct      float64    `json:"cut_pct"`
	// SE of the raw cut by the delta method: TCC'(theta) x ThetaSE, with
	// TCC'(theta) = sum_i P_i (1 - P_i).
	SE float64 `json:"se"`
}

// BookmarkRP returns the bookmark cut (Lewis, Mitzel and Green 1996,
// "Standard setting: a bookmark approach", CCSSO; Mitzel, Lewis, Patz and
// Green 2001, in Cizek (ed.), Setting Performance Standards, 249-281) on a
// Rasch booklet: judge j's bookmark page p_j gives
// theta_j = b_(p_j) + ln(RP/(1-RP)), the ability at which the page's item
// is answered correctly with probability RP. The cut is the median theta,
// mapped to raw scores by the test characteristic curve
// TCC(theta) = sum_i 1/(1 + exp(-(theta - b_i))) and rounded up. rp <= 0
// means 0.67 (Huynh 1998's RP67). It returns ErrConfig for rp >= 1 and
// panics on fewer than two bookmarks or a page out of range.
func BookmarkRP(bk *Booklet, marks []Bookmark, rp float64) (BookmarkResult, error) {
	if rp <= 0 {
		rp = 0.67
	}
	if rp >= 1 {
		return BookmarkResult{}, fmt.Errorf("%w: response probability %v must lie in (0,1)", ErrConfig, rp)
	}
	if len(marks) < 2 {
		panic("standardsetting: bookmark needs two judges")
	}
	res := BookmarkResult{RP: rp, Offset: math.Log(rp / (1 - rp))}
	th := make([]float64, len(marks))
	for j, m := range marks {
		if m.Page < 1 || m.Page > len(bk.B) {
			panic("standardsetting: bookmark page out of range")
		}
		th[j] = bk.B[m.Page-1] + res.Offset
		res.JudgeThetas = append(res.JudgeThetas, JudgeCut{Judge: m.Judge, Cut: th[j]})
	}
	res.Theta, res.ThetaMean, res.ThetaSE = Median(th), stat.Mean(th, nil), seMean(th)
	var slope float64
	for _, b := range bk.B {
		p := 1 / (1 + math.Exp(-(res.Theta - b)))
		res.TCC += p
		slope += p * (1 - p)
	}
	res.Cut = Ceiling.Round(res.TCC, 1)
	res.CutPct = 100 * res.Cut / float64(len(bk.B))
	res.SE = slope * res.ThetaSE
	return res, nil
}
