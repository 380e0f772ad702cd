package web

import (
	"net/http"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/internal/httpjson"
)

// The employer's API: a supervisor or employer administrator signs in with
// their staff code (role supervisor or employer_admin) and is tied to one
// employer by their staff record in the programme, under the same id. They
// see and act on that employer's people only: a supervisor records
// practice endorsements; either withdraws one, books, cancels and moves.

func (srv *Server) supervisorRoutes() {
	m := srv.mux
	emp := func(h func(http.ResponseWriter, *http.Request, *content.Staff, programme.Staff)) http.Handler {
		return srv.requireRole(srv.employerStaff(h), content.RoleSupervisor, content.RoleEmployerAdmin)
	}
	m.Handle("GET /api/employer/people", emp(srv.teamPeople))
	m.Handle("GET /api/employer/events", emp(srv.teamEvents))
	m.Handle("GET /api/employer/people/{person}", emp(srv.teamPerson))
	m.Handle("POST /api/employer/people/{person}/endorsements", emp(srv.teamEndorse))
	m.Handle("POST /api/employer/people/{person}/endorsements/{endorsement}/withdraw", emp(srv.teamWithdraw))
	m.Handle("POST /api/employer/people/{person}/bookings", emp(srv.teamBook))
	m.Handle("POST /api/employer/people/{person}/bookings/{booking}/cancel", emp(srv.teamCancel))
	m.Handle("POST /api/employer/people/{person}/bookings/{booking}/move", emp(srv.teamMove))
}

// employerStaff finds the signed-in staff member's programme record (their
// employer) and, on routes naming a person, refuses a person of another
// employer with 403.
func (srv *Server) employerStaff(h func(http.ResponseWriter, *http.Request, *content.Staff, programme.Staff)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := srv.signedIn(r)
		ps, err := srv.cfg.Programme.Staff(r.Context(), st.ID)
		if err != nil || string(ps.Role) != string(st.Role) {
			httpjson.Error(w, http.StatusForbidden, "you are not on an employer's staff in the programme")
			return
		}
		if id := r.PathValue("person"); id != "" {
			per, err := srv.cfg.Programme.Person(r.Context(), id)
			if err != nil {
				srv.programmeError(w, err)
				return
			}
			if per.Employer != ps.Employer {
				httpjson.Error(w, http.StatusForbidden, "this person is not one of your employer's people")
				return
			}
		}
		h(w, r, st, ps)
	}
}

// teamMember is one of the employer's people with whatever blocks their
// booking now.
type teamMember struct {
	personView
	Blocked []programme.Reason `json:"blocked"`
}

func (srv *Server) teamPeople(w http.ResponseWriter, r *http.Request, _ *content.Staff, ps programme.Staff) {
	people, err := srv.cfg.Programme.People(r.Context(), ps.Employer)
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	out := make([]teamMember, len(people))
	for i, p := range people {
		blocked, err := srv.cfg.Programme.Eligibility(r.Context(), p.ID, p.Seeks)
		if err != nil {
			srv.programmeError(w, err)
			return
		}
		out[i] = teamMember{personView: viewPerson(p), Blocked: nonNil(blocked)}
	}
	emp, _ := srv.cfg.Programme.Employer(r.Context(), ps.Employer)
	httpjson.Write(w, http.StatusOK, map[string]any{"employer": emp, "role": ps.Role, "people": out})
}

func (srv *Server) teamEvents(w http.ResponseWriter, r *http.Request, _ *content.Staff, _ programme.Staff) {
	srv.eventsJSON(w, r)
}

func (srv *Server) teamPerson(w http.ResponseWriter, r *http.Request, st *content.Staff, _ programme.Staff) {
	v, err := srv.personRecord(r.Context(), actorOf(st), r.PathValue("person"))
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

// endorseRequest is a supervisor's endorsement decision; session days are
// YYYY-MM-DD.
type endorseRequest struct {
	Status             programme.Status  `json:"status"`
	Sessions           []string          `json:"sessions"`
	Summary            string            `json:"summary"`
	FeedbackConsidered bool              `json:"feedback_considered"`
	FeedbackSummary    string            `json:"feedback_summary"`
	Outcome            programme.Outcome `json:"outcome"`
	Reason             string            `json:"reason"`
}

func (srv *Server) teamEndorse(w http.ResponseWriter, r *http.Request, st *content.Staff, _ programme.Staff) {
	person := r.PathValue("person")
	var req endorseRequest
	if !httpjson.Read(w, r, &req, 32<<10) {
		return
	}
	days := make([]time.Time, len(req.Sessions))
	for i, s := range req.Sessions {
		d, err := parseDay("sessions", s)
		if err != nil {
			httpjson.Error(w, http.StatusBadRequest, err.Error())
			return
		}
		days[i] = d
	}
	e, err := srv.cfg.Programme.Endorse(progCtx(r, staffActor(st)), actorOf(st), programme.Endorsement{Person: person, Status: req.Status,
		Sessions: days, Summary: req.Summary, FeedbackConsidered: req.FeedbackConsidered, FeedbackSummary: req.FeedbackSummary,
		Outcome: req.Outcome, Reason: req.Reason})
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusCreated, e)
}

func (srv *Server) teamWithdraw(w http.ResponseWriter, r *http.Request, st *content.Staff, _ programme.Staff) {
	withdraw(srv, w, r, actorOf(st))
}

// withdraw withdraws an endorsement, with the reason the body gives.
func withdraw(srv *Server, w http.ResponseWriter, r *http.Request, by programme.Actor) {
	person, id := r.PathValue("person"), r.PathValue("endorsement")
	var req struct {
		Reason string `json:"reason"`
	}
	if !httpjson.Read(w, r, &req, 8<<10) {
		return
	}
	err := srv.cfg.Programme.Withdraw(srv.progCtx(r), by, person, id, req.Reason)
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (srv *Server) teamBook(w http.ResponseWriter, r *http.Request, st *content.Staff, _ programme.Staff) {
	srv.book(w, r, actorOf(st), staffActor(st), r.PathValue("person"))
}

func (srv *Server) teamCancel(w http.ResponseWriter, r *http.Request, st *content.Staff, _ programme.Staff) {
	srv.cancelBooking(w, r, actorOf(st), staffActor(st), r.PathValue("person"))
}

func (srv *Server) teamMove(w http.ResponseWriter, r *http.Request, st *content.Staff, _ programme.Staff) {
	srv.moveBooking(w, r, actorOf(st), staffActor(st), r.PathValue("person"))
}
