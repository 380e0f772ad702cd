package web

import (
	"bytes"
	"context"
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
	m.Handle("GET /api/sittings/{id}/analysis/items", srv.requireRole(srv.analyseItems, psy))
	m.Handle("GET /api/sittings/{id}/analysis/rasch", srv.requireRole(srv.analyseRasch, psy))
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
// as a response matrix, with the candidates' employers as a group column.
func (srv *Server) sittingMatrix(w http.ResponseWriter, r *http.Request) (*respmatrix.Matrix, bool) {
	id, _, ok := srv.sittingFor(w, r)
	if !ok {
		return nil, false
	}
	var buf bytes.Buffer
	if err := srv.cfg.Engine.ExportMatrix(r.Context(), id, &buf); err != nil {
		srv.internal(w, err)
		return nil, false
	}
	m, err := respmatrix.Read(&buf, id+"-responses.csv", respmatrix.Options{})
	if err != nil {
		srv.internal(w, err)
		return nil, false
	}
	if m.NumPersons() == 0 {
		httpjson.Error(w, http.StatusConflict, "no submitted attempts in this sitting yet")
		return nil, false
	}
	s, err := srv.cfg.Engine.Roster().Sitting(r.Context(), id)
	if err != nil {
		srv.internal(w, err)
		return nil, false
	}
	employer := map[string]string{}
	for _, c := range s.Candidates {
		employer[c.ID] = c.Employer
	}
	groups := make([]string, m.NumPersons())
	for i, p := range m.Persons {
		groups[i] = employer[p]
	}
	m.Groups = map[string][]string{"employer": groups}
	return m, true
}

func (srv *Server) analyseItems(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.sittingMatrix(w, r)
	if !ok {
		return
	}
	rep, err := itemanalysis.Analyse(m)
	if err != nil {
		httpjson.Error(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, rep)
}

func (srv *Server) analyseRasch(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.sittingMatrix(w, r)
	if !ok {
		return
	}
	res, err := rasch.Analyse(m, rasch.Options{})
	if err != nil {
		httpjson.Error(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, res)
}

// analyseDIF compares two employers: ?reference=A&focal=B.
func (srv *Server) analyseDIF(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.sittingMatrix(w, r)
	if !ok {
		return
	}
	member, err := fairness.Membership(m.Groups["employer"], r.URL.Query().Get("reference"), r.URL.Query().Get("focal"))
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, fairness.DIF(m, member, fairness.Options{}))
}

// analyseImpact reports pass rates by employer at a raw cut: ?cut=N.
func (srv *Server) analyseImpact(w http.ResponseWriter, r *http.Request) {
	m, ok := srv.sittingMatrix(w, r)
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
	imp, err := fairness.AdverseImpact(m.Groups["employer"], pass, r.URL.Query().Get("comparison"))
	if err != nil {
		httpjson.Error(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, imp)
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
