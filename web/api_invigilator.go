package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/internal/httpjson"
)

// The invigilator's API: the sittings they are assigned to, each sitting's
// live state, and the actions on a sitting and on one candidate's attempt.
// Every route checks the role and the assignment to the sitting.

func (srv *Server) invigilatorRoutes() {
	m := srv.mux
	inv := []content.Role{content.RoleInvigilator}
	m.Handle("GET /api/sittings", srv.requireRole(srv.listSittings, content.RoleInvigilator, content.RolePsychometrician))
	m.Handle("GET /api/sittings/{id}", srv.requireRole(srv.sittingStatus, inv...))
	m.Handle("POST /api/sittings/{id}/release", srv.requireRole(srv.release, inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/extra-time", srv.requireRole(srv.extraTime, inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/pause", srv.requireRole(srv.attemptAction(srv.cfg.Engine.Pause, false), inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/resume", srv.requireRole(srv.attemptAction(srv.cfg.Engine.Resume, false), inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/void", srv.requireRole(srv.attemptAction(srv.cfg.Engine.Void, true), inv...))
}

func (srv *Server) listSittings(w http.ResponseWriter, r *http.Request) {
	st, _ := srv.staffFrom(r)
	type row struct {
		ID        string    `json:"id"`
		Centre    string    `json:"centre"`
		Form      string    `json:"form"`
		Scheduled time.Time `json:"scheduled"`
	}
	out := []row{}
	for id, s := range srv.cfg.Library.Sittings {
		if st.Role == content.RolePsychometrician || mayRunSitting(st, id) {
			out = append(out, row{ID: id, Centre: s.Centre, Form: s.Form, Scheduled: s.Scheduled})
		}
	}
	httpjson.Write(w, http.StatusOK, out)
}

// sittingFor resolves the {id} path value and checks the caller's assignment.
func (srv *Server) sittingFor(w http.ResponseWriter, r *http.Request) (string, *content.Staff, bool) {
	st, _ := srv.staffFrom(r)
	id := r.PathValue("id")
	if _, ok := srv.cfg.Library.Sittings[id]; !ok {
		httpjson.Error(w, http.StatusNotFound, "no such sitting")
		return "", nil, false
	}
	if st.Role != content.RolePsychometrician && !mayRunSitting(st, id) {
		httpjson.Error(w, http.StatusForbidden, "you are not assigned to this sitting")
		return "", nil, false
	}
	return id, st, true
}

func (srv *Server) sittingStatus(w http.ResponseWriter, r *http.Request) {
	id, _, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	sum, err := srv.cfg.Engine.Sitting(r.Context(), id)
	if err != nil {
		srv.internal(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, sum)
}

func (srv *Server) release(w http.ResponseWriter, r *http.Request) {
	id, st, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	if err := srv.cfg.Engine.Release(r.Context(), id, st.ID); err != nil {
		srv.internal(w, err)
		return
	}
	srv.sittingStatus(w, r)
}

func (srv *Server) extraTime(w http.ResponseWriter, r *http.Request) {
	id, st, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	var req struct {
		Minutes int `json:"minutes"`
	}
	if !httpjson.Read(w, r, &req, 4<<10) {
		return
	}
	if req.Minutes < 1 || req.Minutes > 120 {
		httpjson.Error(w, http.StatusBadRequest, "minutes must be between 1 and 120")
		return
	}
	err := srv.cfg.Engine.AddTime(r.Context(), engine.AttemptID(id, r.PathValue("cand")), time.Duration(req.Minutes)*time.Minute, st.ID)
	switch {
	case errors.Is(err, engine.ErrUnknownAttempt), errors.Is(err, engine.ErrNotInProgress):
		httpjson.Error(w, http.StatusConflict, "that candidate's attempt is not in progress")
	case err != nil:
		srv.internal(w, err)
	default:
		srv.sittingStatus(w, r)
	}
}

// attemptAction serves an invigilator's action on one candidate's attempt;
// with needReason the body must give {"reason": "..."}, kept in the record.
func (srv *Server) attemptAction(act func(ctx context.Context, id, by string) error, needReason bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, st, ok := srv.sittingFor(w, r)
		if !ok {
			return
		}
		by := st.ID
		if needReason {
			var req struct {
				Reason string `json:"reason"`
			}
			if !httpjson.Read(w, r, &req, 4<<10) {
				return
			}
			if strings.TrimSpace(req.Reason) == "" {
				httpjson.Error(w, http.StatusBadRequest, "give a reason")
				return
			}
			by += ": " + req.Reason
		}
		err := act(r.Context(), engine.AttemptID(id, r.PathValue("cand")), by)
		switch {
		case errors.Is(err, engine.ErrUnknownAttempt), errors.Is(err, engine.ErrNotInProgress):
			httpjson.Error(w, http.StatusConflict, "that candidate's attempt is not in progress")
		case err != nil:
			srv.internal(w, err)
		default:
			srv.sittingStatus(w, r)
		}
	}
}
