package standardsetting

import (
	"io"
	"math"
)

// Station holds one role-play station's observations: each candidate's
// checklist score and the assessor's global grade (1 clear fail,
// 2 borderline, 3 pass, 4 good, 5 excellent, in the reference scale).
type Station struct {
	ID         string
	Candidates []string
	Checklist  []float64
	Global     []float64
	line       int // first line of the station in its file
}

// OSCE is a set of stations read from one file, in order of first appearance.
type OSCE struct {
	File     string
	Stations []*Station
}

// ReadOSCE reads candidate,station,checklist,global rows. Checklist scores
// are finite and non-negative; global grades are whole numbers. A candidate
// seen twice at the same station is an error.
func ReadOSCE(file string, r io.Reader) (*OSCE, error) {
	t, cols, err := readColumns(file, r, 1, "observations", "candidate", "station", "checklist", "global")
	if err != nil {
		return nil, err
	}
	o := &OSCE{File: file}
	byID := map[string]*Station{}
	seen := map[[2]string]int{}
	for i := range t.rows {
		cand, err := t.label(i, cols[0])
		if err != nil {
			return nil, err
		}
		sid, err := t.label(i, cols[1])
		if err != nil {
			return nil, err
		}
		if first, dup := seen[[2]string{cand, sid}]; dup {
			return nil, inputErr(file, t.lines[i], "candidate", ErrDuplicate, "candidate %q already scored at station %q on row %d", cand, sid, first)
		}
		seen[[2]string{cand, sid}] = t.lines[i]
		chk, err := t.floatIn(i, cols[2], 0, math.Inf(1))
		if err != nil {
			return nil, err
		}
		g, err := t.float(i, cols[3])
		if err != nil {
			return nil, err
		}
		if g != math.Trunc(g) {
			return nil, inputErr(file, t.lines[i], "global", ErrRange, "global grade %v is not a whole number", g)
		}
		s := byID[sid]
		if s == nil {
			s = &Station{ID: sid, line: t.lines[i]}
			byID[sid] = s
			o.Stations = append(o.Stations, s)
		}
		s.Candidates = append(s.Candidates, cand)
		s.Checklist = append(s.Checklist, chk)
		s.Global = append(s.Global, g)
	}
	return o, nil
}
