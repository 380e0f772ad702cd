package web

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
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
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/pause", srv.requireRole(srv.pauseOrResume(engine.CmdPause), inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/resume", srv.requireRole(srv.pauseOrResume(engine.CmdResume), inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/void", srv.requireRole(srv.void, inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/approve-rejoin", srv.requireRole(srv.pauseOrResume(engine.CmdApprove), inv...))
	srv.roomRoutes()
}

func (srv *Server) listSittings(w http.ResponseWriter, r *http.Request) {
	st, _ := srv.staffFrom(r)
	type row struct {
		ID        string    `json:"id"`
		Centre    string    `json:"centre"`
		Form      string    `json:"form"`
		Scheduled time.Time `json:"scheduled"`
	}
	ids, err := srv.cfg.Engine.Roster().Sittings(r.Context())
	if err != nil {
		srv.internal(w, err)
		return
	}
	out := []row{}
	for _, id := range ids {
		s, err := srv.cfg.Engine.Roster().Sitting(r.Context(), id)
		if err != nil {
			srv.internal(w, err)
			return
		}
		if st.Role != content.RolePsychometrician && !mayRunSitting(st, s) {
			continue
		}
		out = append(out, row{ID: id, Centre: s.Centre, Form: s.Form, Scheduled: s.Scheduled})
	}
	slices.SortFunc(out, func(a, b row) int { return cmp.Or(a.Scheduled.Compare(b.Scheduled), cmp.Compare(a.ID, b.ID)) })
	httpjson.Write(w, http.StatusOK, out)
}

// sittingFor resolves the {id} path value and checks the caller's assignment.
func (srv *Server) sittingFor(w http.ResponseWriter, r *http.Request) (string, *content.Staff, bool) {
	st, _ := srv.staffFrom(r)
	id := r.PathValue("id")
	s, err := srv.cfg.Engine.Roster().Sitting(r.Context(), id)
	if errors.Is(err, engine.ErrUnknownSitting) {
		httpjson.Error(w, http.StatusNotFound, "no such sitting")
		return "", nil, false
	} else if err != nil {
		srv.internal(w, err)
		return "", nil, false
	}
	if st.Role != content.RolePsychometrician && !mayRunSitting(st, s) {
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

// sittingActed answers the sitting's status once the engine has taken an
// act on it recorded with its audit entry (err nil); otherwise the audit
// log's refusal to record it, or the engine's error.
func (srv *Server) sittingActed(w http.ResponseWriter, r *http.Request, action audit.Action, err error) {
	if srv.refused(w, action, err) {
		return
	}
	if err != nil {
		srv.internal(w, err)
		return
	}
	srv.sittingStatus(w, r)
}

func (srv *Server) release(w http.ResponseWriter, r *http.Request) {
	id, st, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	ent := srv.entry(r, audit.Entry{Action: audit.SittingRelease, Target: target(audit.TargetSitting, id)})
	err := srv.cfg.Engine.ReleaseRecorded(r.Context(), id, st.ID, ent)
	srv.sittingActed(w, r, audit.SittingRelease, err)
}

func (srv *Server) extraTime(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Minutes int    `json:"minutes"`
		Reason  string `json:"reason"`
	}
	srv.oneAct(w, r, engine.CmdExtraTime, &req, func() (int, string) { return req.Minutes, req.Reason })
}

// pauseOrResume serves pause, resume or a rejoin's approval for one
// candidate, with an optional {"reason"}.
func (srv *Server) pauseOrResume(kind engine.CommandKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Reason string `json:"reason"`
		}
		srv.oneAct(w, r, kind, &req, func() (int, string) { return 0, req.Reason })
	}
}

// oneAct reads req (an empty body is allowed for pause and resume), builds
// the command from what fields says and takes it on the {cand} path
// value's attempt, answering with the sitting's state.
func (srv *Server) oneAct(w http.ResponseWriter, r *http.Request, kind engine.CommandKind, req any, fields func() (int, string)) {
	id, st, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	if r.ContentLength != 0 || kind == engine.CmdExtraTime {
		if !httpjson.Read(w, r, req, 8<<10) {
			return
		}
	}
	minutes, reason := fields()
	cmd, msg := srv.command(r.Context(), kind, id, minutes, reason, st.ID)
	if msg != "" {
		httpjson.Error(w, http.StatusBadRequest, msg)
		return
	}
	srv.answerAct(w, r, engine.AttemptID(id, r.PathValue("cand")), cmd)
}

func (srv *Server) answerAct(w http.ResponseWriter, r *http.Request, attempt string, cmd engine.Command) {
	switch code, why := srv.actOn(w, r, attempt, cmd); {
	case code == http.StatusServiceUnavailable:
	case code == http.StatusInternalServerError:
		srv.internal(w, errors.New(why))
	case why != "":
		httpjson.Error(w, code, why)
	default:
		srv.sittingStatus(w, r)
	}
}

// void ends one candidate's attempt for a reason from the sitting's list,
// with the invigilator's text, confirmed by the candidate's id typed again.
func (srv *Server) void(w http.ResponseWriter, r *http.Request) {
	id, st, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	var req struct {
		Reason   string `json:"reason"`
		Text     string `json:"text"`
		Confirm  string `json:"confirm"`
		Withdraw bool   `json:"withdraw"`
	}
	if !httpjson.Read(w, r, &req, 8<<10) {
		return
	}
	s, err := srv.cfg.Engine.Roster().Sitting(r.Context(), id)
	if err != nil {
		srv.internal(w, err)
		return
	}
	cand := r.PathValue("cand")
	reason := strings.TrimSpace(req.Reason)
	switch {
	case !slices.Contains(s.Reasons(), reason):
		httpjson.Error(w, http.StatusBadRequest, "give a reason from the list: "+strings.Join(s.Reasons(), ", "))
		return
	case !strings.EqualFold(strings.TrimSpace(req.Confirm), cand):
		httpjson.Error(w, http.StatusBadRequest, "type the candidate's id to confirm: this cannot be undone")
		return
	}
	if text := strings.TrimSpace(req.Text); text != "" {
		reason += ": " + text
	}
	cmd, msg := srv.command(r.Context(), engine.CmdVoid, id, 0, reason, st.ID)
	if msg != "" {
		httpjson.Error(w, http.StatusBadRequest, msg)
		return
	}
	cmd.Withdraw = req.Withdraw
	srv.answerAct(w, r, engine.AttemptID(id, cand), cmd)
}
