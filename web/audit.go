package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/httpjson"
)

// Every act of staff that changes state, or hands out candidates'
// responses, is recorded in the audit log (Config.Audit): no act without
// its record. An act that stores a change hands its entry (entry) to the
// owner that takes it, which stores both in one durable write and fails
// with audit.ErrNotRecorded when it cannot (refused); an act that stores
// nothing else, or whose owner takes no entry, is recorded first (record).
// The acts the engine takes itself (takeovers, deadline submissions) it
// records itself.

// entry completes ent for the act of the staff member signed in on r,
// unless ent names its actor; with no audit log configured it is nil and
// nothing is recorded.
func (srv *Server) entry(r *http.Request, ent audit.Entry) *audit.Entry {
	if srv.cfg.Audit == nil {
		return nil
	}
	if ent.Actor.ID == "" {
		if st, signedIn := srv.staffFrom(r); signedIn {
			ent.Actor = staffActor(st)
		}
	}
	return &ent
}

// refused answers 503 and returns true when err says that an act and its
// entry could not be stored: nothing was changed.
func (srv *Server) refused(w http.ResponseWriter, action audit.Action, err error) bool {
	if !errors.Is(err, audit.ErrNotRecorded) {
		return false
	}
	srv.log.Error("audit", "action", action, "err", err)
	w.Header().Set("Retry-After", "5")
	httpjson.Error(w, http.StatusServiceUnavailable, "not done: the audit log could not record it, so nothing was changed; try again in a moment")
	return true
}

// appendRecorded stores w on s, the whole of an act the web takes itself,
// with its entry ent in the same write (audit.Log.AppendWith); with no
// audit log configured, w alone.
func (srv *Server) appendRecorded(r *http.Request, s store.Store, ent audit.Entry, w store.Write) error {
	e := srv.entry(r, ent)
	if e == nil {
		_, err := s.Append(r.Context(), w.Stream, w.Expect, w.Records...)
		return err
	}
	return srv.cfg.Audit.AppendWith(r.Context(), s, *e, w)
}

// record appends ent before the act it records, the actor being the staff
// member signed in on r unless ent names one. When the entry cannot be
// stored it answers 503 and returns ok false: the caller must not act.
// Otherwise the caller takes the act and calls done with its error, so an
// act that failed is recorded as not taken. With no audit log configured
// nothing is recorded.
func (srv *Server) record(w http.ResponseWriter, r *http.Request, ent audit.Entry) (done func(error), ok bool) {
	e := srv.entry(r, ent)
	if e == nil {
		return func(error) {}, true
	}
	i, err := srv.cfg.Audit.Append(r.Context(), *e)
	if err != nil {
		srv.refused(w, e.Action, fmt.Errorf("%w: %w", audit.ErrNotRecorded, err))
		return nil, false
	}
	return func(actErr error) {
		if actErr == nil {
			return
		}
		if _, err := srv.cfg.Audit.Abort(r.Context(), i, *e, actErr.Error()); err != nil {
			srv.log.Error("audit: record an act not taken", "entry", i, "err", err)
		}
	}, true
}

func staffActor(st *content.Staff) audit.Actor {
	return audit.Actor{Kind: audit.ActorStaff, ID: st.ID, Role: string(st.Role)}
}

// target names what an act is done to.
func target(kind, id string) audit.Target { return audit.Target{Kind: kind, ID: id} }

// state encodes a small value for an entry's Before or After.
func state(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // callers pass plain values
	}
	return b
}
