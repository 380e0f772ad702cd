package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/internal/httpjson"
	"github.com/accredit/accredit/scoring/fairness"
	"github.com/accredit/accredit/scoring/itemanalysis"
	"github.com/accredit/accredit/scoring/rasch"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// The psychometrician's API: a sitting's responses and their analyses, and
// the standard-setting page's endpoints. Each analysis runs the same
// function as `accredit analyse` on the same response matrix that
// GET /api/sittings/{id}/responses.csv exports, so page and CLI agree. The
// role-play results and rater agreement, which psychometricians share with
// lead assessors, are in api_assessor.go.

func (srv *Server) psychometricianRoutes() error {
	m := srv.mux
	psy := content.RolePsychometrician
	m.Handle("GET /api/sittings/{id}/responses.csv", srv.requireRole(srv.exportCSV("responses", srv.cfg.Engine.ExportMatrix), psy))
	m.Handle("GET /api/sittings/{id}/choices.csv", srv.requireRole(srv.exportCSV("choices", srv.cfg.Engine.ExportChoices), psy))
	m.Handle("GET /api/sittings/{id}/key.csv", srv.requireRole(srv.exportCSV("key", srv.cfg.Engine.ExportKey), psy))
	m.Handle("GET /api/sittings/{id}/persons.csv", srv.requireRole(srv.exportCSV("persons", srv.cfg.Engine.ExportPersons), psy))
	m.Handle("GET /api/sittings/{id}/employers", srv.requireRole(srv.employers, psy))
	m.Handle("GET /api/sittings/{id}/groups", srv.requireRole(srv.groups, psy))
	m.Handle("GET /api/sittings/{id}/analysis/items", srv.requireRole(analysis(srv, itemanalysis.Analyse), psy))
	m.Handle("GET /api/sittings/{id}/analysis/rasch", srv.requireRole(analysis(srv, analyseRasch), psy))
	m.Handle("GET /api/sittings/{id}/analysis/dif", srv.requireRole(srv.analyseDIF, psy))
	m.Handle("GET /api/sittings/{id}/analysis/impact", srv.requireRole(srv.analyseImpact, psy))
	if srv.cfg.StandardsDir == "" {
		return nil
	}
	if err := os.MkdirAll(srv.cfg.StandardsDir, 0o750); err != nil {
		return err
	}
	h, err := newStandards(srv.cfg.StandardsDir, srv.cfg.Store, srv.cfg.Clock, srv.StaffName)
	if err != nil {
		return err
	}
	h.appendRecorded, h.refused = srv.appendRecorded, srv.refused
	srv.standards = h
	h.routes(m.Handle, func(f http.HandlerFunc) http.Handler { return srv.requireRole(f, psy) })
	return nil
}

// sittingMatrix exports the sitting's submitted attempts and reads them back
// as a response matrix, with the candidates' group column of ?by=
// (employer when none is given; groupLabels) and that field.
func (srv *Server) sittingMatrix(w http.ResponseWriter, r *http.Request) (*respmatrix.Matrix, string, bool) {
	id, _, ok := srv.sittingFor(w, r)
	if !ok {
		return nil, "", false
	}
	by, err := groupBy(r)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return nil, "", false
	}
	var buf bytes.Buffer
	if err := srv.cfg.Engine.ExportMatrix(r.Context(), id, &buf); err != nil {
		srv.internal(w, err)
		return nil, "", false
	}
	m, err := respmatrix.Read(&buf, id+"-responses.csv", respmatrix.Options{})
	if err != nil {
		srv.internal(w, err)
		return nil, "", false
	}
	if m.NumPersons() == 0 {
		httpjson.Error(w, http.StatusConflict, "no submitted attempts in this sitting yet")
		return nil, "", false
	}
	if !srv.groupsOf(w, r, id, by, m) {
		return nil, "", false
	}
	return m, by, true
}

// analysis serves what analyse makes of the sitting's response matrix; an
// error from analyse is the data's, not the server's (422).
func analysis[T any](srv *Server, analyse func(*respmatrix.Matrix) (T, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, _, ok := srv.sittingMatrix(w, r)
		if !ok {
			return
		}
		v, err := analyse(m)
		if err != nil {
			httpjson.Error(w, http.StatusUnprocessableEntity, err.Error())
			return
		}
		httpjson.Write(w, http.StatusOK, v)
	}
}

// analyseRasch fits the Rasch model with the default options.
func analyseRasch(m *respmatrix.Matrix) (*rasch.Result, error) {
	return rasch.Analyse(m, rasch.Options{})
}

// analyseDIF compares two groups of ?by= (employer when none is given):
// ?reference=A&focal=B, each of MinGroup candidates or more.
func (srv *Server) analyseDIF(w http.ResponseWriter, r *http.Request) {
	m, by, ok := srv.sittingMatrix(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	member, err := fairness.Membership(m.Groups[by], q.Get("reference"), q.Get("focal"))
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	for _, g := range countGroups(m.Groups[by]) {
		if g.Small && (g.Group == q.Get("reference") || g.Group == q.Get("focal")) {
			httpjson.Error(w, http.StatusUnprocessableEntity, fmt.Sprintf("%s %q has fewer than %d candidates: too few to compare, and so small a group could single people out", by, g.Group, MinGroup))
			return
		}
	}
	httpjson.Write(w, http.StatusOK, fairness.DIF(m, member, fairness.Options{}))
}

// groupedImpact is the adverse-impact table of one grouping: groups of
// fewer than MinGroup candidates are left out of it, named in Suppressed
// and counted in Unlabelled with those not stated.
type groupedImpact struct {
	*fairness.Impact
	By         string   `json:"by"`
	MinGroup   int      `json:"min_group"`
	Suppressed []string `json:"suppressed"`
}

// analyseImpact reports pass rates by the groups of ?by= (employer when
// none is given) at a raw cut: ?cut=N.
func (srv *Server) analyseImpact(w http.ResponseWriter, r *http.Request) {
	m, by, ok := srv.sittingMatrix(w, r)
	if !ok {
		return
	}
	cut, err := strconv.ParseFloat(r.URL.Query().Get("cut"), 64)
	if err != nil || cut < 0 {
		httpjson.Error(w, http.StatusBadRequest, "give cut, a raw score of 0 or more")
		return
	}
	pass := make([]bool, m.NumPersons())
	for p := range pass {
		total := 0
		for _, c := range m.Row(p) {
			if c == 1 {
				total++
			}
		}
		pass[p] = float64(total) >= cut
	}
	labels, small := suppressSmall(m.Groups[by])
	imp, err := fairness.AdverseImpact(labels, pass, r.URL.Query().Get("comparison"))
	if err != nil {
		httpjson.Error(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, groupedImpact{Impact: imp, By: by, MinGroup: MinGroup, Suppressed: append([]string{}, small...)})
}

// employers lists the distinct employers of a sitting's candidates, the
// groups the DIF and impact analyses compare.
func (srv *Server) employers(w http.ResponseWriter, r *http.Request) {
	id, _, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	s, err := srv.cfg.Engine.Roster().Sitting(r.Context(), id)
	if err != nil {
		srv.internal(w, err)
		return
	}
	seen := map[string]bool{}
	out := []string{}
	for _, c := range s.Candidates {
		if c.Employer != "" && !seen[c.Employer] {
			seen[c.Employer] = true
			out = append(out, c.Employer)
		}
	}
	sort.Strings(out)
	httpjson.Write(w, http.StatusOK, out)
}

// exportCSV serves one of a sitting's exports (engine/export.go) as the
// attachment ID-name.csv. The export is written to memory first, so that a
// failure is an error status rather than a truncated file.
func (srv *Server) exportCSV(name string, export func(context.Context, string, io.Writer) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, _, ok := srv.sittingFor(w, r)
		if !ok {
			return
		}
		done, ok := srv.record(w, r, audit.Entry{Action: audit.ResponsesExport,
			Target: target(audit.TargetSitting, id), Reason: name + ".csv"})
		if !ok {
			return
		}
		var buf bytes.Buffer
		err := export(r.Context(), id, &buf)
		done(err)
		if err != nil {
			srv.internal(w, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+id+"-"+name+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	}
}
