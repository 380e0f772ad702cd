package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/httpjson"
	ss "github.com/accredit/accredit/standardsetting"
)

// floatParam parses an optional float query parameter (def when absent).
func floatParam(r *http.Request, name string, def float64) (float64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("parameter %s=%q is not a finite number", name, s)
	}
	return v, nil
}

// angoff runs the Angoff study on the panels named by repeated "panel"
// parameters (a panel's rounds comma-separated).
func (h *standards) angoff(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	scale := ss.Probability
	if q.Get("yesno") == "1" || q.Get("yesno") == "true" {
		scale = ss.YesNo
	}
	var panels []*ss.Panel
	for _, arg := range q["panel"] {
		files := strings.Split(arg, ",")
		p := &ss.Panel{Name: strings.TrimSuffix(files[0], ".csv")}
		for _, f := range files {
			rt, err := readWith(h, f, func(n string, fh *os.File) (*ss.Ratings, error) { return ss.ReadRatings(n, fh, scale) })
			if err != nil {
				fail(w, err)
				return
			}
			p.Rounds = append(p.Rounds, rt)
		}
		panels = append(panels, p)
	}
	if len(panels) == 0 {
		fail(w, errors.New("give at least one panel parameter"))
		return
	}
	o, err := h.studyOptions(r)
	if err != nil {
		fail(w, err)
		return
	}
	st, err := ss.AngoffStudy(panels, o)
	if err != nil {
		fail(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, st)
}

func (h *standards) studyOptions(r *http.Request) (ss.StudyOptions, error) {
	q := r.URL.Query()
	var o ss.StudyOptions
	var err error
	if o.K, err = floatParam(r, "k", 0); err != nil {
		return o, err
	}
	if o.Rule, err = ss.ParseRule(q.Get("rule")); err != nil {
		return o, err
	}
	if o.Rounding, err = ss.ParseRounding(q.Get("rounding")); err != nil {
		return o, err
	}
	if q.Get("alpha") != "" {
		a, err := floatParam(r, "alpha", 0)
		if err != nil {
			return o, err
		}
		o.Alpha = &a
	}
	if name := q.Get("scores"); name != "" {
		if o.Scores, err = h.candidates(name); err != nil {
			return o, err
		}
	}
	if name := q.Get("responses"); name != "" {
		fh, err := h.open(name)
		if err != nil {
			return o, err
		}
		defer fh.Close()
		if o.ResponseItems, o.Responses, err = ss.ReadResponses(name, fh); err != nil {
			return o, err
		}
	}
	return o, nil
}

// ImpactResponse is the impact of one tried cut.
type ImpactResponse struct {
	Cut       float64          `json:"cut"`
	K         float64          `json:"k"`
	SEM       float64          `json:"sem"`
	Unrounded float64          `json:"unrounded"`
	Applied   float64          `json:"applied"`
	Rounding  ss.Rounding      `json:"rounding"`
	N         int              `json:"n"`
	PassRate  float64          `json:"pass_rate"`
	Groups    []ss.GroupImpact `json:"groups,omitempty"`
}

// impact returns the pass rate at cut + k x sem, rounded, overall and by group.
func (h *standards) impact(w http.ResponseWriter, r *http.Request) {
	var resp ImpactResponse
	var err error
	for _, p := range []struct {
		name string
		dst  *float64
	}{{"cut", &resp.Cut}, {"k", &resp.K}, {"sem", &resp.SEM}} {
		if *p.dst, err = floatParam(r, p.name, 0); err != nil {
			fail(w, err)
			return
		}
	}
	if r.URL.Query().Get("cut") == "" {
		fail(w, errors.New("parameter cut is required"))
		return
	}
	if resp.Rounding, err = ss.ParseRounding(r.URL.Query().Get("rounding")); err != nil {
		fail(w, err)
		return
	}
	c, err := h.candidates(r.URL.Query().Get("scores"))
	if err != nil {
		fail(w, err)
		return
	}
	op := ss.OperationalCut(resp.Cut, resp.K, resp.SEM, resp.Rounding, c.Scores)
	resp.Unrounded, resp.Applied, resp.PassRate, resp.N = op.Unrounded, op.Cut, *op.PassRate, len(c.Scores)
	resp.Groups = ss.ImpactByGroup(c, []ss.NamedCut{{Name: "tried", Cut: op.Cut}})
	httpjson.Write(w, http.StatusOK, resp)
}

// DecisionRequest is what the page posts: the final cut of one element.
type DecisionRequest struct {
	Element string   `json:"element"`
	Method  string   `json:"method"`
	Panels  []string `json:"panels,omitempty"`
	K       float64  `json:"k"`
	Cut     float64  `json:"cut"`
	Note    string   `json:"note,omitempty"`
}

// Decision is a recorded decision: the request plus who made it and when,
// both set by the handler (a request naming them is rejected).
type Decision struct {
	DecisionRequest
	Who string    `json:"who"`
	At  time.Time `json:"at"`
}

// record appends the posted decision, with who and when, to the store.
func (h *standards) record(w http.ResponseWriter, r *http.Request) {
	who := h.who(r)
	if who == "" {
		httpjson.Error(w, http.StatusForbidden, "no signed-in user may record decisions")
		return
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	var req DecisionRequest
	if err := dec.Decode(&req); err != nil {
		fail(w, fmt.Errorf("decision: %w", err))
		return
	}
	if strings.TrimSpace(req.Element) == "" || strings.TrimSpace(req.Method) == "" {
		fail(w, errors.New("decision: element and method are required"))
		return
	}
	d := Decision{DecisionRequest: req, Who: who, At: h.clock.Now().UTC()}
	rec, err := json.Marshal(d)
	if err != nil {
		panic(err) // a Decision always encodes
	}
	write := store.Write{Stream: decisionsStream, Expect: -1, Records: [][]byte{rec}}
	if h.appendRecorded != nil {
		err = h.appendRecorded(r, h.store, audit.Entry{Action: audit.StandardDecision,
			Target: audit.Target{Kind: audit.TargetStandard, ID: req.Element}, Reason: req.Note, After: rec}, write)
		if h.refused(w, audit.StandardDecision, err) {
			return
		}
	} else {
		_, err = h.store.Append(r.Context(), write.Stream, write.Expect, write.Records...)
	}
	if err != nil {
		httpjson.Error(w, http.StatusServiceUnavailable, "the decision was not recorded: the store could not be reached; try again")
		return
	}
	httpjson.Write(w, http.StatusCreated, d)
}

// decisions lists the recorded decisions, oldest first.
func (h *standards) decisions(w http.ResponseWriter, r *http.Request) {
	recs, err := h.store.Read(r.Context(), decisionsStream, 0)
	if err != nil {
		httpjson.Error(w, http.StatusServiceUnavailable, "the decisions cannot be read just now; try again")
		return
	}
	out := make([]Decision, 0, len(recs))
	for i, b := range recs {
		var d Decision
		if err := json.Unmarshal(b, &d); err != nil {
			httpjson.Error(w, http.StatusInternalServerError, fmt.Sprintf("recorded decision %d does not decode: %v", i+1, err))
			return
		}
		out = append(out, d)
	}
	httpjson.Write(w, http.StatusOK, map[string][]Decision{"decisions": out})
}
