package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/internal/httpjson"
)

// Roles that read a sitting's incident log: its invigilators, and
// psychometricians who read it beside the attempts it touched.
var invAndPsy = []content.Role{content.RoleInvigilator, content.RolePsychometrician}

func (srv *Server) invigilatorOnly(h http.HandlerFunc) http.Handler {
	return srv.requireRole(h, content.RoleInvigilator)
}

func (srv *Server) announce(w http.ResponseWriter, r *http.Request) {
	id, st, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	var req struct {
		Text string `json:"text"`
	}
	if !httpjson.Read(w, r, &req, 8<<10) {
		return
	}
	text := strings.TrimSpace(req.Text)
	if text == "" || len(text) > engine.MaxAnnouncement {
		httpjson.Error(w, http.StatusBadRequest, "an announcement needs text, at most 500 bytes")
		return
	}
	err := srv.cfg.Engine.AnnounceRecorded(r.Context(), id, text, st.ID,
		srv.entry(r, audit.Entry{Action: audit.SittingAnnounce, Reason: text, Target: target(audit.TargetSitting, id)}))
	srv.sittingActed(w, r, audit.SittingAnnounce, err)
}

func (srv *Server) logIncident(w http.ResponseWriter, r *http.Request) {
	id, st, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	var in engine.Incident
	if !httpjson.Read(w, r, &in, 16<<10) {
		return
	}
	in.Reporter = st.ID
	in.Record = srv.entry(r, audit.Entry{Action: audit.SittingIncident, Reason: in.Category + ": " + in.Text,
		Target: target(audit.TargetSitting, id)})
	stored, err := srv.cfg.Engine.LogIncident(r.Context(), id, in)
	switch {
	case srv.refused(w, audit.SittingIncident, err):
	case errors.Is(err, engine.ErrBadIncident):
		httpjson.Error(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), engine.ErrBadIncident.Error()+": "))
	case err != nil:
		srv.internal(w, err)
	default:
		httpjson.Write(w, http.StatusCreated, stored)
	}
}

// incidents answers a sitting's incident log and, for each candidate, the
// incidents that touched them, and their attempt beside them.
func (srv *Server) incidents(w http.ResponseWriter, r *http.Request) {
	id, ins, ok := srv.sittingIncidents(w, r)
	if !ok {
		return
	}
	by, err := srv.cfg.Engine.IncidentsByCandidate(r.Context(), id, ins)
	if err != nil {
		srv.internal(w, err)
		return
	}
	attempts, err := srv.cfg.Engine.IncidentAttempts(r.Context(), id, ins)
	if err != nil {
		srv.internal(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{
		"categories":   engine.IncidentCategories(),
		"incidents":    ins,
		"by_candidate": by,
		"attempts":     attempts,
	})
}

func (srv *Server) incidentsCSV(w http.ResponseWriter, r *http.Request) {
	id, ins, ok := srv.sittingIncidents(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+`-incidents.csv"`)
	if err := engine.WriteIncidentsCSV(w, id, ins); err != nil {
		srv.log.Warn("incidents csv", "sitting", id, "err", err)
	}
}

// sittingIncidents reads the incident log of the sitting the request
// names, answering for itself when the caller may not see it or the
// store cannot tell.
func (srv *Server) sittingIncidents(w http.ResponseWriter, r *http.Request) (string, []engine.Incident, bool) {
	id, _, ok := srv.sittingFor(w, r)
	if !ok {
		return "", nil, false
	}
	ins, err := srv.cfg.Engine.Incidents(r.Context(), id)
	if err != nil {
		srv.internal(w, err)
		return "", nil, false
	}
	return id, ins, true
}
