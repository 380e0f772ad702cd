package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/internal/httpjson"
)

// The room: the live feed of a sitting's rows, check-in and admission, acts
// on several candidates at once, announcements and the incident log.

func (srv *Server) roomRoutes() {
	m := srv.mux
	inv := srv.invigilatorOnly
	m.Handle("GET /api/sittings/{id}/live", inv(srv.live))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/checkin", inv(srv.sittingAct(audit.AttemptCheckIn, srv.cfg.Engine.CheckInRecorded)))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/admit", inv(srv.sittingAct(audit.AttemptAdmit, srv.cfg.Engine.AdmitRecorded)))
	m.Handle("POST /api/sittings/{id}/room/pause", inv(srv.roomAct(engine.CmdPause)))
	m.Handle("POST /api/sittings/{id}/room/resume", inv(srv.roomAct(engine.CmdResume)))
	m.Handle("POST /api/sittings/{id}/room/extra-time", inv(srv.roomAct(engine.CmdExtraTime)))
	m.Handle("POST /api/sittings/{id}/announce", inv(srv.announce))
	m.Handle("POST /api/sittings/{id}/incidents", inv(srv.logIncident))
	m.Handle("GET /api/sittings/{id}/incidents", srv.requireRole(srv.incidents, invAndPsy...))
	m.Handle("GET /api/sittings/{id}/incidents.csv", srv.requireRole(srv.incidentsCSV, invAndPsy...))
}

// live streams a sitting's room as Server-Sent Events: one "room" event
// with the whole sitting, then a "rows" event with the candidates whose
// rows changed, on any node, each time some do.
func (srv *Server) live(w http.ResponseWriter, r *http.Request) {
	id, _, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		httpjson.Error(w, http.StatusInternalServerError, "streaming is not supported here")
		return
	}
	watch := srv.cfg.Engine.WatchRoom(id)
	defer watch.Stop()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	send := func(event string, v any) bool {
		_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, state(v))
		fl.Flush()
		return err == nil
	}
	sum, err := srv.cfg.Engine.Sitting(r.Context(), id)
	if err != nil || !send("room", sum) {
		return
	}
	keep := time.NewTicker(20 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keep.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		case <-watch.C():
			cands, all := watch.Take()
			if all {
				sum, err := srv.cfg.Engine.Sitting(r.Context(), id)
				if err != nil || !send("room", sum) {
					return
				}
				continue
			}
			rows, err := srv.cfg.Engine.Rows(r.Context(), id, cands)
			if err != nil || !send("rows", rows) {
				return
			}
		}
	}
}

// sittingAct serves an act on a candidate of the sitting that needs no
// attempt (check-in, admission), its audit entry stored with it.
func (srv *Server) sittingAct(action audit.Action, act func(ctx context.Context, sitting, cand, by string, rec *audit.Entry) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, st, ok := srv.sittingFor(w, r)
		if !ok {
			return
		}
		cand := r.PathValue("cand")
		err := act(r.Context(), id, cand, st.ID, srv.entry(r, audit.Entry{Action: action, Target: target(audit.TargetAttempt, engine.AttemptID(id, cand))}))
		switch {
		case srv.refused(w, action, err):
		case errors.Is(err, engine.ErrUnknownAttempt):
			httpjson.Error(w, http.StatusNotFound, "no such candidate in this sitting")
		case err != nil:
			srv.internal(w, err)
		default:
			srv.sittingStatus(w, r)
		}
	}
}

// roomRequest is the body of an act on several candidates.
type roomRequest struct {
	Candidates []string `json:"candidates"` // empty: every candidate in progress
	Reason     string   `json:"reason"`
	Minutes    int      `json:"minutes"` // extra-time
}

// roomAct serves pause, resume or extra time for several candidates or the
// whole room: each attempt's act is recorded and taken in turn. It answers
// {"done": [...], "refused": {"cand": "why"}}.
func (srv *Server) roomAct(kind engine.CommandKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, st, ok := srv.sittingFor(w, r)
		if !ok {
			return
		}
		var req roomRequest
		if !httpjson.Read(w, r, &req, 64<<10) {
			return
		}
		cmd, msg := srv.command(r.Context(), kind, id, req.Minutes, req.Reason, st.ID)
		if msg != "" {
			httpjson.Error(w, http.StatusBadRequest, msg)
			return
		}
		cands, err := srv.roomCandidates(r.Context(), id, req.Candidates)
		if err != nil {
			srv.internal(w, err)
			return
		}
		out := struct {
			Done    []string          `json:"done"`
			Refused map[string]string `json:"refused"`
		}{Done: []string{}, Refused: map[string]string{}}
		for _, c := range cands {
			code, why := srv.actOn(w, r, engine.AttemptID(id, c), cmd)
			if code == http.StatusServiceUnavailable {
				return // the audit log refused: nothing more is done
			}
			if why != "" {
				out.Refused[c] = why
				continue
			}
			out.Done = append(out.Done, c)
		}
		httpjson.Write(w, http.StatusOK, out)
	}
}

// roomCandidates is the candidates named, or every candidate in progress
// (paused or not).
func (srv *Server) roomCandidates(ctx context.Context, id string, named []string) ([]string, error) {
	if len(named) > 0 {
		return slices.Compact(slices.Sorted(slices.Values(named))), nil
	}
	sum, err := srv.cfg.Engine.Sitting(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range sum.Candidates {
		if c.Status == string(engine.StatusInProgress) || c.Status == engine.StatusPausedView {
			out = append(out, c.Candidate)
		}
	}
	return out, nil
}

// command builds an invigilator's command from a request, or says what is
// wrong with it.
func (srv *Server) command(ctx context.Context, kind engine.CommandKind, sitting string, minutes int, reason, by string) (engine.Command, string) {
	cmd := engine.Command{Kind: kind, Reason: strings.TrimSpace(reason), By: by}
	if len(cmd.Reason) > audit.MaxReason/2 {
		return cmd, "the reason is too long"
	}
	if kind == engine.CmdExtraTime {
		s, err := srv.cfg.Engine.Roster().Sitting(ctx, sitting)
		if err != nil {
			return cmd, "the sitting cannot be read now: try again"
		}
		limit := int(s.MaxExtra() / time.Minute)
		if minutes == 0 || minutes < -limit || minutes > limit {
			return cmd, fmt.Sprintf("minutes must be from -%d to %d, and not 0", limit, limit)
		}
		cmd.Extra = time.Duration(minutes) * time.Minute
	}
	return cmd, ""
}

// actionOf is the audit action of an invigilator's command.
var actionOf = map[engine.CommandKind]audit.Action{
	engine.CmdPause: audit.AttemptPause, engine.CmdResume: audit.AttemptResume,
	engine.CmdExtraTime: audit.AttemptExtraTime, engine.CmdVoid: audit.AttemptVoid,
	engine.CmdApprove: audit.AttemptApproveRejoin,
}

// actOn takes cmd on one attempt, its audit entry stored in the same write.
// It returns the HTTP status and, when the act was refused, why; on 503 it
// has answered w itself (the act and its record could not be stored).
func (srv *Server) actOn(w http.ResponseWriter, r *http.Request, attempt string, cmd engine.Command) (int, string) {
	a, _, err := srv.cfg.Engine.Attempt(r.Context(), attempt)
	switch {
	case errors.Is(err, engine.ErrUnknownAttempt):
		return http.StatusConflict, "that candidate's attempt is not in progress"
	case err != nil:
		return http.StatusInternalServerError, err.Error()
	}
	// A second press of Pause or Resume is refused, so it is answered.
	switch {
	case cmd.Kind == engine.CmdPause && a.Paused:
		return http.StatusConflict, "already paused"
	case cmd.Kind == engine.CmdResume && !a.Paused && a.Status == engine.StatusInProgress:
		return http.StatusConflict, "not paused"
	}
	ent := audit.Entry{Action: actionOf[cmd.Kind], Reason: reasonOf(cmd), Target: target(audit.TargetAttempt, attempt),
		Before: a.AuditState(), After: state(afterCmd(a, cmd))}
	cmd.Record = srv.entry(r, ent)
	err = srv.cfg.Engine.Invigilate(r.Context(), attempt, cmd)
	switch {
	case srv.refused(w, ent.Action, err):
		return http.StatusServiceUnavailable, "not recorded"
	case err == nil:
		return http.StatusOK, ""
	case errors.Is(err, engine.ErrUnknownAttempt), errors.Is(err, engine.ErrNotInProgress):
		return http.StatusConflict, "that candidate's attempt is not in progress"
	case errors.Is(err, engine.ErrExtraTime):
		return http.StatusConflict, strings.TrimPrefix(err.Error(), engine.ErrExtraTime.Error()+": ")
	case errors.Is(err, engine.ErrNotAway):
		return http.StatusConflict, "that candidate is not waiting to rejoin"
	}
	return http.StatusInternalServerError, err.Error()
}

// reasonOf is what an audit entry records as the reason of cmd.
func reasonOf(cmd engine.Command) string {
	if cmd.Kind == engine.CmdExtraTime {
		return strings.TrimSpace(fmt.Sprintf("%d minutes %s", int(cmd.Extra/time.Minute), cmd.Reason))
	}
	return cmd.Reason
}

// afterCmd is the state cmd makes of attempt a, for its audit record.
func afterCmd(a *engine.Attempt, cmd engine.Command) any {
	switch cmd.Kind {
	case engine.CmdPause:
		return map[string]bool{"paused": true}
	case engine.CmdResume:
		return map[string]bool{"paused": false}
	case engine.CmdExtraTime:
		return map[string]string{"deadline": a.Deadline.Add(cmd.Extra).UTC().Format(time.RFC3339)}
	case engine.CmdApprove:
		return map[string]bool{"away": true, "rejoin_approved": true}
	}
	reason := engine.ReasonVoided
	if cmd.Withdraw {
		reason = engine.ReasonWithdrawn
	}
	return map[string]string{"status": string(engine.StatusSubmitted), "reason": reason}
}
