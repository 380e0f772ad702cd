package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/internal/httpjson"
)

// The assessors' and lead assessor's API:
//
//	GET  /ws/assessor                                        the protocol of docs/marking-protocol.md
//	GET  /api/marking/circuits                               circuits the lead leads
//	GET  /api/marking/circuits/{id}                          the lead's live view (marking.LeadView)
//	GET  /api/marking/circuits/{id}/sheets/{station}/{candidate}/{assessor}   a sheet, its rubric and its audit trail
//	POST /api/marking/circuits/{id}/moderate                 a moderation (marking.Moderation), with a reason
//	POST /api/marking/circuits/{id}/assign                   a third marker for a flagged station (marking.Assignment)
//	GET  /api/marking/results                                the circuits whose results the caller may read
//	GET  /api/marking/circuits/{id}/results                  scores from the stored sheets (marking.Results)
//	GET  /api/marking/circuits/{id}/results.csv?shape=sheets|standard-setting
//	GET  /api/marking/circuits/{id}/agreement                rater agreement per double-marked station
//
// Assessors sign in on the WebSocket with their staff code or their staff
// session. The lead's routes need a staff session with the lead assessor
// role and act for the lead it names, only on the circuits they lead.
// Results are also open to psychometricians, for every circuit.

func (srv *Server) assessorRoutes() {
	ms := srv.cfg.Marking
	if ms == nil {
		return
	}
	m := srv.mux
	lead := func(h func(w http.ResponseWriter, r *http.Request, lead string)) http.Handler {
		return srv.requireRole(srv.asLead(h), content.RoleLeadAssessor)
	}
	m.Handle("GET /ws/assessor", ms.WebSocketHandler())
	m.Handle("GET /api/marking/circuits", lead(srv.listCircuits))
	m.Handle("GET /api/marking/circuits/{id}", lead(srv.leadView))
	m.Handle("GET /api/marking/circuits/{id}/sheets/{station}/{candidate}/{assessor}", lead(srv.sheetDetail))
	m.Handle("POST /api/marking/circuits/{id}/moderate", lead(srv.moderate))
	m.Handle("POST /api/marking/circuits/{id}/assign", lead(srv.assign))
	m.Handle("GET /api/marking/results", srv.forResults(srv.resultsList))
	m.Handle("GET /api/marking/circuits/{id}/results", srv.forResults(srv.resultsJSON))
	m.Handle("GET /api/marking/circuits/{id}/results.csv", srv.forResults(srv.resultsCSV))
	m.Handle("GET /api/marking/circuits/{id}/agreement", srv.forResults(srv.agreementJSON))
}

// asLead checks that the caller is a lead assessor of the model and, for a
// circuit's routes, that circuit's lead.
func (srv *Server) asLead(h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	model := srv.cfg.Marking.Model()
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := srv.SignedInAssessor(r)
		a, known := model.Assessors[id]
		if !ok || !known || a.Role != content.RoleLeadAssessor {
			httpjson.Error(w, http.StatusForbidden, "you are not a lead assessor of any circuit")
			return
		}
		if cid := r.PathValue("id"); cid != "" {
			c, ok := model.Circuits[cid]
			if !ok {
				httpjson.Error(w, http.StatusNotFound, "no such circuit")
				return
			}
			if c.LeadAssessor != id {
				httpjson.Error(w, http.StatusForbidden, "you do not lead this circuit")
				return
			}
		}
		h(w, r, id)
	}
}

// forResults lets the circuit's lead and psychometricians (who tune the
// cut scores, for every circuit) reach h.
func (srv *Server) forResults(h http.HandlerFunc) http.Handler {
	return srv.requireRole(func(w http.ResponseWriter, r *http.Request) {
		if role, _ := srv.SignedInRole(r); role == content.RoleLeadAssessor {
			srv.asLead(func(w http.ResponseWriter, r *http.Request, _ string) { h(w, r) })(w, r)
			return
		}
		h(w, r)
	}, content.RoleLeadAssessor, content.RolePsychometrician)
}

func (srv *Server) listCircuits(w http.ResponseWriter, r *http.Request, lead string) {
	httpjson.Write(w, http.StatusOK, srv.cfg.Marking.Led(lead))
}

func (srv *Server) leadView(w http.ResponseWriter, r *http.Request, _ string) {
	v, err := srv.cfg.Marking.View(r.Context(), r.PathValue("id"))
	if err != nil {
		srv.internal(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

// SheetDetail is a sheet with its rubric, the judgement scale (for the
// values a moderation may give), its full audit trail, and the names of
// the assessors it mentions (its own, and everyone who changed it), by id.
type SheetDetail struct {
	Sheet     roleplay.State            `json:"sheet"`
	Rubric    *roleplay.Rubric          `json:"rubric"`
	Judgement []roleplay.JudgementPoint `json:"judgement"`
	Log       []roleplay.Entry          `json:"log"`
	Names     map[string]string         `json:"names"`
}

func (srv *Server) sheetDetail(w http.ResponseWriter, r *http.Request, _ string) {
	ms := srv.cfg.Marking
	k := roleplay.SheetKey{Circuit: r.PathValue("id"), Station: r.PathValue("station"),
		Candidate: r.PathValue("candidate"), Assessor: r.PathValue("assessor")}
	st, err := ms.Sheet(r.Context(), k)
	if err != nil {
		httpjson.Error(w, http.StatusNotFound, marking.Refusal(err).Message)
		return
	}
	log, err := ms.Log(r.Context(), k)
	if err != nil {
		srv.internal(w, err)
		return
	}
	model := ms.Model()
	rb, _ := model.RubricOf(model.Circuits[k.Circuit], k.Station)
	httpjson.Write(w, http.StatusOK, SheetDetail{Sheet: st, Rubric: rb, Judgement: model.Judgement.Points, Log: log,
		Names: assessorNames(model, k.Assessor, st, log)})
}

// assessorNames names, by id, the sheet's assessor and everyone its log
// and moderations name, as the model knows them.
func assessorNames(model *roleplay.Model, assessor string, st roleplay.State, log []roleplay.Entry) map[string]string {
	names := map[string]string{}
	add := func(id string) {
		if a, ok := model.Assessors[id]; ok {
			names[id] = a.Name
		}
	}
	add(assessor)
	for _, m := range st.Moderations {
		add(m.By)
	}
	for _, e := range log {
		add(e.By)
	}
	return names
}

func (srv *Server) moderate(w http.ResponseWriter, r *http.Request, lead string) {
	var mod marking.Moderation
	if !httpjson.Read(w, r, &mod, 16<<10) {
		return
	}
	mod.Record = srv.entry(r, audit.Entry{Action: audit.SheetModerate, Reason: mod.Reason,
		Target: target(audit.TargetSheet, sheetID(r.PathValue("id"), mod.Station, mod.Candidate, mod.Assessor)),
		After:  state(map[string]any{"criterion": mod.Criterion, "value": mod.Value})})
	st, err := srv.cfg.Marking.Moderate(r.Context(), r.PathValue("id"), lead, mod)
	if !srv.refused(w, audit.SheetModerate, err) {
		srv.leadAnswer(w, st, err)
	}
}

func (srv *Server) assign(w http.ResponseWriter, r *http.Request, lead string) {
	var a marking.Assignment
	if !httpjson.Read(w, r, &a, 16<<10) {
		return
	}
	a.By, a.At = "", time.Time{}
	a.Record = srv.entry(r, audit.Entry{Action: audit.SheetAssignThirdMarker,
		Target: target(audit.TargetSheet, sheetID(r.PathValue("id"), a.Station, a.Candidate, "")),
		After:  state(map[string]string{"third_marker": a.Assessor})})
	out, err := srv.cfg.Marking.Assign(r.Context(), r.PathValue("id"), lead, a)
	if !srv.refused(w, audit.SheetAssignThirdMarker, err) {
		srv.leadAnswer(w, out, err)
	}
}

// sheetID names a sheet (or, with no assessor, a candidate's station) in
// the audit log: circuit/station/candidate[/assessor].
func sheetID(circuit, station, candidate, assessor string) string {
	id := circuit + "/" + station + "/" + candidate
	if assessor != "" {
		id += "/" + assessor
	}
	return id
}

// leadAnswer writes the result of a lead's action: a refusal is 409 with
// its protocol code.
func (srv *Server) leadAnswer(w http.ResponseWriter, v any, err error) {
	var pe *marking.ProtocolError
	switch {
	case errors.Is(err, marking.ErrNotLead):
		httpjson.Error(w, http.StatusForbidden, err.Error())
	case errors.As(err, &pe) && pe.Code == marking.CodeStore:
		srv.internal(w, err)
	case errors.As(err, &pe):
		httpjson.Write(w, http.StatusConflict, map[string]any{"error": pe.Message, "code": pe.Code})
	case err != nil:
		srv.internal(w, err)
	default:
		httpjson.Write(w, http.StatusOK, v)
	}
}

// resultsList lists the circuits whose results the caller may read: all of
// them for a psychometrician, the ones they lead for a lead assessor.
func (srv *Server) resultsList(w http.ResponseWriter, r *http.Request) {
	lead := ""
	if role, _ := srv.SignedInRole(r); role == content.RoleLeadAssessor {
		lead, _ = srv.SignedInAssessor(r)
	}
	out, err := srv.cfg.Marking.ResultsList(r.Context(), lead)
	if err != nil {
		srv.internal(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, out)
}

func (srv *Server) resultsJSON(w http.ResponseWriter, r *http.Request) {
	res, err := srv.cfg.Marking.Results(r.Context(), r.PathValue("id"))
	if err != nil {
		srv.internal(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, res)
}

// resultsCSV serves a circuit's results as CSV: shape "sheets" (the
// default) writes candidate,station,assessor,score,global; shape
// "standard-setting" writes candidate,station,checklist,global with the
// settled station scores, the input of borderline regression.
func (srv *Server) resultsCSV(w http.ResponseWriter, r *http.Request) {
	shape := r.URL.Query().Get("shape")
	if shape != "" && shape != "sheets" && shape != "standard-setting" {
		httpjson.Error(w, http.StatusBadRequest, `shape is "sheets" or "standard-setting"`)
		return
	}
	res, err := srv.cfg.Marking.Results(r.Context(), r.PathValue("id"))
	if err != nil {
		srv.internal(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if shape == "" {
		shape = "sheets"
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, res.Circuit, shape))
	if err := marking.WriteResults(w, res, shape); err != nil {
		srv.log.Warn("results not written", "err", err)
	}
}

func (srv *Server) agreementJSON(w http.ResponseWriter, r *http.Request) {
	a, err := srv.cfg.Marking.Agreement(r.Context(), r.PathValue("id"))
	if err != nil {
		srv.internal(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, a)
}
