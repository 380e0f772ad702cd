package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
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
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/pause", srv.requireRole(srv.attemptAction(audit.AttemptPause, srv.cfg.Engine.Pause, false), inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/resume", srv.requireRole(srv.attemptAction(audit.AttemptResume, srv.cfg.Engine.Resume, false), inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/void", srv.requireRole(srv.attemptAction(audit.AttemptVoid, srv.cfg.Engine.Void, true), inv...))
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
	done, ok := srv.record(w, r, audit.Entry{Action: audit.SittingRelease, Target: target(audit.TargetSitting, id)})
	if !ok {
		return
	}
	err := srv.cfg.Engine.Release(r.Context(), id, st.ID)
	done(err)
	if err != nil {
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
	d := time.Duration(req.Minutes) * time.Minute
	srv.onAttempt(w, r, id, audit.Entry{Action: audit.AttemptExtraTime, Reason: fmt.Sprintf("%d minutes", req.Minutes)},
		func(a *engine.Attempt) any {
			return map[string]string{"deadline": a.Deadline.Add(d).UTC().Format(time.RFC3339)}
		},
		func(ctx context.Context, attempt string) error { return srv.cfg.Engine.AddTime(ctx, attempt, d, st.ID) })
}

// attemptAction serves an invigilator's action on one candidate's attempt;
// with needReason the body must give {"reason": "..."}, kept in the record.
func (srv *Server) attemptAction(action audit.Action, act func(ctx context.Context, id, by string) error, needReason bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, st, ok := srv.sittingFor(w, r)
		if !ok {
			return
		}
		by, reason := st.ID, ""
		if needReason {
			var req struct {
				Reason string `json:"reason"`
			}
			if !httpjson.Read(w, r, &req, 4<<10) {
				return
			}
			if reason = strings.TrimSpace(req.Reason); reason == "" {
				httpjson.Error(w, http.StatusBadRequest, "give a reason")
				return
			}
			by += ": " + req.Reason
		}
		srv.onAttempt(w, r, id, audit.Entry{Action: action, Reason: reason}, afterOf[action],
			func(ctx context.Context, attempt string) error { return act(ctx, attempt, by) })
	}
}

// afterOf is what each invigilator's act makes of an attempt, for its
// audit record.
var afterOf = map[audit.Action]func(*engine.Attempt) any{
	audit.AttemptPause:  func(*engine.Attempt) any { return map[string]bool{"paused": true} },
	audit.AttemptResume: func(*engine.Attempt) any { return map[string]bool{"paused": false} },
	audit.AttemptVoid: func(*engine.Attempt) any {
		return map[string]string{"status": string(engine.StatusSubmitted), "reason": engine.ReasonVoided}
	},
}

// onAttempt records ent, an act on the attempt of the {cand} path value in
// sitting id, with the attempt's state before and the state after says it
// makes, then takes the act and answers with the sitting's state.
func (srv *Server) onAttempt(w http.ResponseWriter, r *http.Request, id string, ent audit.Entry,
	after func(*engine.Attempt) any, act func(ctx context.Context, attempt string) error) {
	attempt := engine.AttemptID(id, r.PathValue("cand"))
	a, _, err := srv.cfg.Engine.Attempt(r.Context(), attempt)
	switch {
	case errors.Is(err, engine.ErrUnknownAttempt):
		httpjson.Error(w, http.StatusConflict, "that candidate's attempt is not in progress")
		return
	case err != nil:
		srv.internal(w, err)
		return
	}
	ent.Target = target(audit.TargetAttempt, attempt)
	ent.Before, ent.After = a.AuditState(), state(after(a))
	done, ok := srv.record(w, r, ent)
	if !ok {
		return
	}
	err = act(r.Context(), attempt)
	done(err)
	switch {
	case errors.Is(err, engine.ErrUnknownAttempt), errors.Is(err, engine.ErrNotInProgress):
		httpjson.Error(w, http.StatusConflict, "that candidate's attempt is not in progress")
	case err != nil:
		srv.internal(w, err)
	default:
		srv.sittingStatus(w, r)
	}
}
