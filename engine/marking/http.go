package marking

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
)

// HeaderAssessorCode carries the lead assessor's code on the lead's API
// requests: the view and moderation act as that lead.
const HeaderAssessorCode = "X-Assessor-Code"

// Routes mounts the assessor WebSocket and the lead assessor's JSON API:
//
//	GET  /ws/assessor                                        the protocol of docs/marking-protocol.md
//	GET  /api/marking/circuits                               circuits the lead leads
//	GET  /api/marking/circuits/{id}                          the lead's live view (LeadView)
//	GET  /api/marking/circuits/{id}/sheets/{station}/{candidate}/{assessor}   a sheet and its audit trail
//	POST /api/marking/circuits/{id}/moderate                 a moderation (Moderation), with a reason
//
// The API needs a staff session with the lead assessor role (requireRole;
// nil mounts it without one) and the lead's assessor code in the
// X-Assessor-Code header.
func (s *Service) Routes(mount func(pattern string, h http.Handler), requireRole func(h http.Handler, roles ...content.Role) http.Handler) {
	if requireRole == nil {
		requireRole = func(h http.Handler, _ ...content.Role) http.Handler { return h }
	}
	lead := func(h http.HandlerFunc) http.Handler {
		return requireRole(s.asLead(h), content.RoleLeadAssessor)
	}
	mount("GET /ws/assessor", s.WebSocketHandler())
	mount("GET /api/marking/circuits", lead(s.listCircuits))
	mount("GET /api/marking/circuits/{id}", lead(s.leadView))
	mount("GET /api/marking/circuits/{id}/sheets/{station}/{candidate}/{assessor}", lead(s.sheetDetail))
	mount("POST /api/marking/circuits/{id}/moderate", lead(s.moderate))
}

// asLead checks the X-Assessor-Code header names a lead assessor and, for
// a circuit's routes, that circuit's lead.
func (s *Service) asLead(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code := strings.ToUpper(strings.TrimSpace(r.Header.Get(HeaderAssessorCode)))
		a, ok := s.m.Assessors[code]
		if !ok || a.Role != content.RoleLeadAssessor {
			writeError(w, http.StatusForbidden, "give your lead assessor code")
			return
		}
		if id := r.PathValue("id"); id != "" {
			c, ok := s.m.Circuits[id]
			if !ok {
				writeError(w, http.StatusNotFound, "no such circuit")
				return
			}
			if c.LeadAssessor != code {
				writeError(w, http.StatusForbidden, "you do not lead this circuit")
				return
			}
		}
		h(w, r)
	}
}

func leadCode(r *http.Request) string {
	return strings.ToUpper(strings.TrimSpace(r.Header.Get(HeaderAssessorCode)))
}

func (s *Service) listCircuits(w http.ResponseWriter, r *http.Request) {
	out := []CircuitSummary{}
	for _, c := range s.m.Circuits {
		if c.LeadAssessor == leadCode(r) {
			out = append(out, s.summary(c))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	writeJSON(w, http.StatusOK, out)
}

func (s *Service) leadView(w http.ResponseWriter, r *http.Request) {
	v, err := s.View(r.Context(), r.PathValue("id"))
	if err != nil {
		s.internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// SheetDetail is a sheet with its full audit trail.
type SheetDetail struct {
	Sheet roleplay.State   `json:"sheet"`
	Log   []roleplay.Entry `json:"log"`
}

func (s *Service) sheetDetail(w http.ResponseWriter, r *http.Request) {
	k := roleplay.SheetKey{Circuit: r.PathValue("id"), Station: r.PathValue("station"),
		Candidate: r.PathValue("candidate"), Assessor: r.PathValue("assessor")}
	st, err := s.Sheet(r.Context(), k)
	if err != nil {
		writeError(w, http.StatusNotFound, codeOf(err).Message)
		return
	}
	log, err := s.Log(r.Context(), k)
	if err != nil {
		s.internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, SheetDetail{Sheet: st, Log: log})
}

func (s *Service) moderate(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Content-Type") != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "send application/json")
		return
	}
	var mod Moderation
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&mod); err != nil {
		writeError(w, http.StatusBadRequest, "bad request body: "+err.Error())
		return
	}
	st, err := s.Moderate(r.Context(), r.PathValue("id"), leadCode(r), mod)
	var pe *ProtocolError
	switch {
	case errors.Is(err, ErrNotLead):
		writeError(w, http.StatusForbidden, err.Error())
	case errors.As(err, &pe) && pe.Code == CodeStore:
		s.internal(w, err)
	case errors.As(err, &pe):
		writeJSON(w, http.StatusConflict, map[string]any{"error": pe.Message, "code": pe.Code})
	case err != nil:
		s.internal(w, err)
	default:
		writeJSON(w, http.StatusOK, st)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Service) internal(w http.ResponseWriter, err error) {
	s.log.Error("marking request failed", "err", err)
	writeError(w, http.StatusInternalServerError, "the server could not do that; try again")
}
