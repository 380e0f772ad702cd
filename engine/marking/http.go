package marking

import (
	"errors"
	"net/http"
	"sort"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/internal/httpjson"
)

// Access tells the lead's API who is calling.
type Access struct {
	// RequireRole wraps a handler so that only staff signed in with one of
	// roles reach it; nil checks nothing (tests).
	RequireRole func(h http.Handler, roles ...content.Role) http.Handler
	// Assessor returns the model ID of the assessor signed in on r.
	Assessor func(r *http.Request) (string, bool)
	// Role returns the role of the staff member signed in on r.
	Role func(r *http.Request) (content.Role, bool)
}

// Routes mounts the assessor WebSocket and the lead assessor's JSON API:
//
//	GET  /ws/assessor                                        the protocol of docs/marking-protocol.md
//	GET  /api/marking/circuits                               circuits the lead leads
//	GET  /api/marking/circuits/{id}                          the lead's live view (LeadView)
//	GET  /api/marking/circuits/{id}/sheets/{station}/{candidate}/{assessor}   a sheet, its rubric and its audit trail
//	POST /api/marking/circuits/{id}/moderate                 a moderation (Moderation), with a reason
//	POST /api/marking/circuits/{id}/assign                   a third marker for a flagged station (Assignment)
//	GET  /api/marking/results                                the circuits whose results the caller may read
//	GET  /api/marking/circuits/{id}/results                  scores from the stored sheets (Results)
//	GET  /api/marking/circuits/{id}/results.csv?shape=sheets|standard-setting
//	GET  /api/marking/circuits/{id}/agreement                rater agreement per double-marked station
//
// The API needs a staff session with the lead assessor role, and acts for
// the lead that session names: only on the circuits they lead. Results are
// also open to psychometricians.
func (s *Service) Routes(mount func(pattern string, h http.Handler), acc Access) {
	if acc.RequireRole == nil {
		acc.RequireRole = func(h http.Handler, _ ...content.Role) http.Handler { return h }
	}
	if acc.Assessor == nil {
		acc.Assessor = func(*http.Request) (string, bool) { return "", false }
	}
	if acc.Role == nil {
		acc.Role = func(*http.Request) (content.Role, bool) { return "", false }
	}
	lead := func(h func(w http.ResponseWriter, r *http.Request, lead string)) http.Handler {
		return acc.RequireRole(s.asLead(acc.Assessor, h), content.RoleLeadAssessor)
	}
	mount("GET /ws/assessor", s.WebSocketHandler())
	mount("GET /api/marking/circuits", lead(s.listCircuits))
	mount("GET /api/marking/circuits/{id}", lead(s.leadView))
	mount("GET /api/marking/circuits/{id}/sheets/{station}/{candidate}/{assessor}", lead(s.sheetDetail))
	mount("POST /api/marking/circuits/{id}/moderate", lead(s.moderate))
	mount("POST /api/marking/circuits/{id}/assign", lead(s.assign))
	mount("GET /api/marking/results", s.forResults(acc, s.resultsList(acc)))
	mount("GET /api/marking/circuits/{id}/results", s.forResults(acc, s.resultsJSON))
	mount("GET /api/marking/circuits/{id}/results.csv", s.forResults(acc, s.resultsCSV))
	mount("GET /api/marking/circuits/{id}/agreement", s.forResults(acc, s.agreementJSON))
}

// asLead checks that the caller is a lead assessor of the model and, for a
// circuit's routes, that circuit's lead.
func (s *Service) asLead(who func(*http.Request) (string, bool), h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := who(r)
		a, known := s.m.Assessors[id]
		if !ok || !known || a.Role != content.RoleLeadAssessor {
			httpjson.Error(w, http.StatusForbidden, "you are not a lead assessor of any circuit")
			return
		}
		if cid := r.PathValue("id"); cid != "" {
			c, ok := s.m.Circuits[cid]
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

func (s *Service) listCircuits(w http.ResponseWriter, r *http.Request, lead string) {
	out := []CircuitSummary{}
	for _, c := range s.m.Circuits {
		if c.LeadAssessor == lead {
			out = append(out, s.summary(c))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	httpjson.Write(w, http.StatusOK, out)
}

func (s *Service) leadView(w http.ResponseWriter, r *http.Request, _ string) {
	v, err := s.View(r.Context(), r.PathValue("id"))
	if err != nil {
		s.internal(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

// SheetDetail is a sheet with its rubric, the judgement scale (for the
// values a moderation may give) and its full audit trail.
type SheetDetail struct {
	Sheet     roleplay.State            `json:"sheet"`
	Rubric    *roleplay.Rubric          `json:"rubric"`
	Judgement []roleplay.JudgementPoint `json:"judgement"`
	Log       []roleplay.Entry          `json:"log"`
}

func (s *Service) sheetDetail(w http.ResponseWriter, r *http.Request, _ string) {
	k := roleplay.SheetKey{Circuit: r.PathValue("id"), Station: r.PathValue("station"),
		Candidate: r.PathValue("candidate"), Assessor: r.PathValue("assessor")}
	st, err := s.Sheet(r.Context(), k)
	if err != nil {
		httpjson.Error(w, http.StatusNotFound, codeOf(err).Message)
		return
	}
	log, err := s.Log(r.Context(), k)
	if err != nil {
		s.internal(w, err)
		return
	}
	rb, _ := s.m.RubricOf(s.m.Circuits[k.Circuit], k.Station)
	httpjson.Write(w, http.StatusOK, SheetDetail{Sheet: st, Rubric: rb, Judgement: s.m.Judgement.Points, Log: log})
}

func (s *Service) moderate(w http.ResponseWriter, r *http.Request, lead string) {
	var mod Moderation
	if !httpjson.Read(w, r, &mod, 16<<10) {
		return
	}
	st, err := s.Moderate(r.Context(), r.PathValue("id"), lead, mod)
	s.answer(w, st, err)
}

// answer writes the result of a lead's action.
func (s *Service) answer(w http.ResponseWriter, v any, err error) {
	var pe *ProtocolError
	switch {
	case errors.Is(err, ErrNotLead):
		httpjson.Error(w, http.StatusForbidden, err.Error())
	case errors.As(err, &pe) && pe.Code == CodeStore:
		s.internal(w, err)
	case errors.As(err, &pe):
		httpjson.Write(w, http.StatusConflict, map[string]any{"error": pe.Message, "code": pe.Code})
	case err != nil:
		s.internal(w, err)
	default:
		httpjson.Write(w, http.StatusOK, v)
	}
}

func (s *Service) internal(w http.ResponseWriter, err error) {
	s.log.Error("marking request failed", "err", err)
	httpjson.Error(w, http.StatusInternalServerError, "the server could not do that; try again")
}
