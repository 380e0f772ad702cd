package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/internal/httpjson"
)

// The programme administrator's API: employers, people, their staff, CSV
// imports, sittings and role-play days, bookings, and the adjustments to
// approve. Administrators only (requireRole with no other role).

func (srv *Server) adminRoutes() {
	m := srv.mux
	adm := func(h http.HandlerFunc) http.Handler { return srv.requireRole(h) }
	m.Handle("GET /api/admin/employers", adm(srv.adminEmployers))
	m.Handle("POST /api/admin/employers", adm(adminCreate(srv, (*programme.Programme).CreateEmployers)))
	m.Handle("POST /api/admin/employers/import", adm(srv.adminImport(audit.ImportEmployers)))
	m.Handle("GET /api/admin/staff", adm(srv.adminStaff))
	m.Handle("POST /api/admin/staff", adm(adminCreate(srv, (*programme.Programme).CreateStaff)))
	m.Handle("GET /api/admin/people", adm(srv.adminPeople))
	m.Handle("POST /api/admin/people", adm(srv.adminCreatePerson))
	m.Handle("POST /api/admin/people/import", adm(srv.adminImport(audit.ImportPeople)))
	m.Handle("GET /api/admin/people/{person}", adm(srv.adminPerson))
	m.Handle("GET /api/admin/people/{person}/portal-code", adm(srv.adminPortalCode))
	m.Handle("POST /api/admin/people/{person}/bookings", adm(srv.adminBook))
	m.Handle("POST /api/admin/people/{person}/bookings/{booking}/cancel", adm(srv.adminCancel))
	m.Handle("POST /api/admin/people/{person}/bookings/{booking}/move", adm(srv.adminMove))
	m.Handle("POST /api/admin/people/{person}/bookings/{booking}/approve", adm(srv.adminApprove))
	m.Handle("POST /api/admin/people/{person}/endorsements/{endorsement}/withdraw", adm(srv.adminWithdraw))
	m.Handle("GET /api/admin/events", adm(srv.eventsJSON))
	m.Handle("POST /api/admin/sittings", adm(adminCreateEvent(srv, (*programme.Programme).CreateSitting, 8<<10)))
	m.Handle("POST /api/admin/roleplay-days", adm(adminCreateEvent(srv, (*programme.Programme).CreateRolePlayDay, 32<<10)))
	m.Handle("GET /api/admin/bookings", adm(srv.adminBookings))
}

// signedIn is the staff member requireRole let through.
func (srv *Server) signedIn(r *http.Request) *content.Staff {
	st, _ := r.Context().Value(staffKey{}).(*content.Staff)
	return st
}

func (srv *Server) adminEmployers(w http.ResponseWriter, r *http.Request) {
	es, err := srv.cfg.Programme.Employers(r.Context())
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"employers": nonNil(es)})
}

func (srv *Server) adminStaff(w http.ResponseWriter, r *http.Request) {
	emp := r.URL.Query().Get("employer")
	if emp == "" {
		httpjson.Error(w, http.StatusBadRequest, "name the employer: ?employer=ID")
		return
	}
	ss, err := srv.cfg.Programme.StaffOf(r.Context(), emp)
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"staff": nonNil(ss)})
}

func (srv *Server) adminPeople(w http.ResponseWriter, r *http.Request) {
	ps, err := srv.cfg.Programme.People(r.Context(), r.URL.Query().Get("employer"))
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	out := make([]personView, len(ps))
	for i, p := range ps {
		out[i] = viewPerson(p)
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"people": out})
}

// newPersonRequest is a person to add, with their monitoring answers,
// which are stored apart and never shown again.
type newPersonRequest struct {
	personView
	Monitoring programme.Monitoring `json:"monitoring"`
}

func (srv *Server) adminCreatePerson(w http.ResponseWriter, r *http.Request) {
	var req newPersonRequest
	if !httpjson.Read(w, r, &req, 8<<10) {
		return
	}
	started, err := parseDay("started", req.Started)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	p := programme.Person{ID: req.ID, Name: req.Name, Registration: req.Registration, Employer: req.Employer,
		Employment: programme.Employment(req.Employment), Started: started, Email: req.Email, Seeks: programme.Status(req.Seeks)}
	srv.programmeAct(w, r,
		func() error {
			return srv.cfg.Programme.CreatePeople(srv.progCtx(r), actorOf(srv.signedIn(r)), []programme.NewPerson{{Person: p, Monitoring: req.Monitoring}})
		}, http.StatusCreated, viewPerson(p))
}

// importRequest is a CSV file sent as JSON, so that no cross-site form
// can send one.
type importRequest struct {
	File string `json:"file"`
	CSV  string `json:"csv"`
}

// maxImport bounds an imported file: 30,000 people fit in about 3 MiB.
const maxImport = 16 << 20

// adminImport imports a CSV file of employers or people, all or nothing;
// a refusal locates every fault.
func (srv *Server) adminImport(act audit.Action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req importRequest
		if !httpjson.Read(w, r, &req, maxImport) {
			return
		}
		if req.File == "" {
			req.File = "upload.csv"
		}
		by := actorOf(srv.signedIn(r))
		var n int
		var err error
		if act == audit.ImportEmployers {
			n, err = srv.cfg.Programme.ImportEmployers(srv.progCtx(r), by, req.File, strings.NewReader(req.CSV))
		} else {
			n, err = srv.cfg.Programme.ImportPeople(srv.progCtx(r), by, req.File, strings.NewReader(req.CSV))
		}
		if err != nil {
			srv.programmeError(w, err)
			return
		}
		httpjson.Write(w, http.StatusOK, map[string]int{"imported": n})
	}
}

func (srv *Server) adminPerson(w http.ResponseWriter, r *http.Request) {
	st, _ := srv.staffFrom(r)
	v, err := srv.personRecord(r.Context(), actorOf(st), r.PathValue("person"))
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

func (srv *Server) adminPortalCode(w http.ResponseWriter, r *http.Request) {
	per, err := srv.cfg.Programme.Person(r.Context(), r.PathValue("person"))
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	key, err := srv.portal.get(r.Context())
	if err != nil {
		srv.internal(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]string{"person": per.ID, "code": personalCode(key, per.ID)})
}

func (srv *Server) adminBook(w http.ResponseWriter, r *http.Request) {
	st := srv.signedIn(r)
	srv.book(w, r, actorOf(st), staffActor(st), r.PathValue("person"))
}

func (srv *Server) adminCancel(w http.ResponseWriter, r *http.Request) {
	st := srv.signedIn(r)
	srv.cancelBooking(w, r, actorOf(st), staffActor(st), r.PathValue("person"))
}

func (srv *Server) adminMove(w http.ResponseWriter, r *http.Request) {
	st := srv.signedIn(r)
	srv.moveBooking(w, r, actorOf(st), staffActor(st), r.PathValue("person"))
}

func (srv *Server) adminApprove(w http.ResponseWriter, r *http.Request) {
	person, id := r.PathValue("person"), r.PathValue("booking")
	err := srv.cfg.Programme.ApproveAdjustments(srv.progCtx(r), actorOf(srv.signedIn(r)), person, id)
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (srv *Server) adminWithdraw(w http.ResponseWriter, r *http.Request) {
	withdraw(srv, w, r, actorOf(srv.signedIn(r)))
}

// adminBookings lists the bookings with a place at one event, or at every
// event, with ?pending=adjustments only those whose adjustments await
// approval.
func (srv *Server) adminBookings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	evs, err := srv.events(r.Context())
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	out := []programme.Booking{}
	for _, ev := range evs {
		id := eventID(ev)
		if e := q.Get("event"); e != "" && e != id {
			continue
		}
		as, err := srv.cfg.Programme.Attendance(r.Context(), ev.Kind, id)
		if err != nil {
			srv.programmeError(w, err)
			return
		}
		for _, a := range as {
			if q.Get("pending") == "adjustments" && (!a.Booking.Adjustments.Any() || a.Booking.Approved) {
				continue
			}
			out = append(out, a.Booking)
		}
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"bookings": out})
}

func eventID(ev eventView) string {
	if ev.Sitting != nil {
		return ev.Sitting.ID
	}
	return ev.Day.ID
}

// orUnnamed is id, or a placeholder for an entry's target when the
// request names none (the Programme refuses it).
func orUnnamed(id string) string {
	if id == "" {
		return "(none)"
	}
	return id
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// adminCreate creates the one T of the request's body with create, which
// takes a list, and answers 201 with the T as sent.
func adminCreate[T any](srv *Server, create func(*programme.Programme, context.Context, programme.Actor, []T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var v T
		if !httpjson.Read(w, r, &v, 8<<10) {
			return
		}
		srv.programmeAct(w, r,
			func() error {
				return create(srv.cfg.Programme, srv.progCtx(r), actorOf(srv.signedIn(r)), []T{v})
			}, http.StatusCreated, v)
	}
}

// adminCreateEvent creates the sitting or role-play day of the request's
// body, of limit bytes at the most, with create, and answers 201 with it
// as created.
func adminCreateEvent[T any](srv *Server, create func(*programme.Programme, context.Context, programme.Actor, T) (T, error), limit int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var v T
		if !httpjson.Read(w, r, &v, limit) {
			return
		}
		srv.programmeAct(w, r,
			func() (err error) {
				v, err = create(srv.cfg.Programme, srv.progCtx(r), actorOf(srv.signedIn(r)), v)
				return err
			},
			http.StatusCreated, &v)
	}
}

// programmeAct takes act, which the Programme records, and answers v with
// status once it is taken, or the programme's refusal; v may point to what
// act fills in.
func (srv *Server) programmeAct(w http.ResponseWriter, r *http.Request, act func() error, status int, v any) {
	if err := act(); err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, status, v)
}
