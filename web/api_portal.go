package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/internal/httpjson"
)

// The candidate's own portal: a person signs in with their personal code
// (web/programme.go says how it is made) and sees and acts on themselves
// only: their endorsements, the sittings and role-play days, their
// bookings and access codes. Wrong codes count against the same sign-in
// throttle as every other code.

func (srv *Server) portalRoutes() {
	m := srv.mux
	m.HandleFunc("POST /api/portal/login", srv.portalLogin)
	m.HandleFunc("POST /api/portal/logout", srv.portalLogout)
	me := srv.requirePortal
	m.Handle("GET /api/portal/me", me(srv.portalMe))
	m.Handle("GET /api/portal/events", me(srv.eventsJSON))
	m.Handle("POST /api/portal/bookings", me(srv.portalBook))
	m.Handle("POST /api/portal/bookings/{booking}/cancel", me(srv.portalCancel))
	m.Handle("POST /api/portal/bookings/{booking}/move", me(srv.portalMove))
}

type portalKey struct{}

// requirePortal lets through only a request carrying a portal session; the
// handler acts on that person and no other.
func (srv *Server) requirePortal(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		person, err := srv.portalPerson(r)
		if errors.Is(err, errSessionStore) {
			srv.sessionsDown(w, err, "your sign-in cannot be checked just now: try again in a moment")
			return
		}
		if err != nil {
			httpjson.Error(w, http.StatusUnauthorized, "sign in with your personal code first")
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), portalKey{}, person)))
	})
}

func portalSelf(r *http.Request) string { s, _ := r.Context().Value(portalKey{}).(string); return s }

func candidateActor(person string) audit.Actor {
	return audit.Actor{Kind: audit.ActorCandidate, ID: person}
}

func (srv *Server) portalLogin(w http.ResponseWriter, r *http.Request) {
	code, ip, ok := srv.readCode(w, r)
	if !ok {
		return
	}
	person, ok, err := srv.personByCode(r.Context(), code)
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	if !ok {
		srv.guard.Fail(ip)
		httpjson.Error(w, http.StatusUnauthorized, "unknown personal code")
		return
	}
	srv.guard.Succeed(ip, normalCode(code))
	done, ok := srv.record(w, r, audit.Entry{Actor: candidateActor(person), Action: audit.PortalSignIn, Target: personTarget(person)})
	if !ok {
		return
	}
	tok, err := srv.sessions.createPortal(r.Context(), person, portalTTL)
	done(err)
	if err != nil {
		srv.internal(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: tok, Path: "/", Secure: srv.secure(r),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(portalTTL.Seconds())})
	httpjson.Write(w, http.StatusOK, map[string]string{"person": person})
}

// portalLogout ends the portal session on every node and forgets the
// cookie.
func (srv *Server) portalLogout(w http.ResponseWriter, r *http.Request) {
	if person, err := srv.portalPerson(r); err == nil {
		done, ok := srv.record(w, r, audit.Entry{Actor: candidateActor(person), Action: audit.PortalSignOut, Target: personTarget(person)})
		if !ok {
			return
		}
		c, _ := r.Cookie(portalCookie)
		err := srv.sessions.delete(r.Context(), portalStreams, c.Value)
		done(err)
		if err != nil {
			srv.sessionsDown(w, err, "you could not be signed out just now: try again in a moment")
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: "", Path: "/", MaxAge: -1, Secure: srv.secure(r),
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
}

func (srv *Server) portalMe(w http.ResponseWriter, r *http.Request) {
	v, err := srv.personRecord(r.Context(), programme.Actor{Kind: programme.ActorCandidate, ID: portalSelf(r)}, portalSelf(r))
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

func (srv *Server) portalBook(w http.ResponseWriter, r *http.Request) {
	p := portalSelf(r)
	srv.book(w, r, programme.Actor{Kind: programme.ActorCandidate, ID: p}, candidateActor(p), p)
}

func (srv *Server) portalCancel(w http.ResponseWriter, r *http.Request) {
	p := portalSelf(r)
	srv.cancelBooking(w, r, programme.Actor{Kind: programme.ActorCandidate, ID: p}, candidateActor(p), p)
}

func (srv *Server) portalMove(w http.ResponseWriter, r *http.Request) {
	p := portalSelf(r)
	srv.moveBooking(w, r, programme.Actor{Kind: programme.ActorCandidate, ID: p}, candidateActor(p), p)
}
