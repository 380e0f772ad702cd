package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/httpjson"
	"github.com/accredit/accredit/internal/throttle"
)

// Config assembles a Server.
type Config struct {
	Engine  *engine.Engine
	Library *content.Library
	Store   store.Store
	// Registry is served on /metrics to signed-in administrators only;
	// Prometheus scrapes MetricsHandler on a private listener instead. Nil
	// serves none.
	Registry *prometheus.Registry
	WS       engine.WSConfig
	Logger   *slog.Logger
	Clock    clock.Clock // nil means clock.System
	// Marking, if set, is served: the assessor WebSocket, the lead
	// assessor's API and the role-play results.
	Marking *marking.Service
	// Audit, if set, records every staff act (web/audit.go); nil records
	// none. An act that the engine, the marking service or the results
	// take is handed its entry and stored with it in their own log (their
	// Config's Audit or Recorder), which must be this one.
	Audit *audit.Log
	// AuditKey is the verifier (public) key of the audit log's signed
	// checkpoints, served to anyone at /api/audit/key; "" when unsigned.
	AuditKey string
	// SecureCookies marks the session cookie Secure even when a request
	// arrives over plain HTTP: for a proxy that terminates TLS. A request
	// over TLS always gets a Secure cookie.
	SecureCookies bool
	// StandardsDir, if set, holds the panel, score and response files of
	// the standard-setting page; decisions recorded there go to the store.
	StandardsDir string
	// Programme, if set, is served: the administrator's, the employer's
	// and the candidate's portal API (web/programme.go); nil mounts none.
	Programme *programme.Programme
	// Results, if set, serves adopted standards, decisions, releases and
	// the workforce impact (api_results.go).
	Results *results.Results
	// TimeZone is the centres' time zone (an IANA name), in which the
	// pages show and label every time; "" means DefaultTimeZone.
	TimeZone string
}

// DefaultTimeZone is the centres' time zone when Config names none: the
// programme's centres are in England.
const DefaultTimeZone = "Europe/London"

// Server is the HTTP handler of an engine node.
type Server struct {
	cfg      Config
	mux      *routeMux
	sessions *sessions
	log      *slog.Logger
	// guard counts net wrong sign-in codes by client address and over the
	// node, for staff and candidates alike, with the limits of
	// docs/sign-in-throttle.md (internal/throttle).
	guard *throttle.Failures
	// standards serves the standard-setting page's files and decisions;
	// nil without Config.StandardsDir.
	standards *standards
	// portal derives the candidates' personal codes and signs their
	// portal sessions; nil without Config.Programme.
	portal *portalKeys
	// impact keeps the workforce-impact report; nil without
	// Config.Results and Config.Programme.
	impact *results.ImpactCache
	// zone is the centres' time zone (Config.TimeZone).
	zone *time.Location
}

// New returns the server's handler; it fails when Config.TimeZone is not a
// known zone, StandardsDir cannot be opened, or the Programme records its
// acts anywhere but in Audit.
func New(cfg Config) (*Server, error) {
	cfg.Clock = clock.Or(cfg.Clock)
	cfg.TimeZone = cmp.Or(cfg.TimeZone, DefaultTimeZone)
	zone, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", cfg.TimeZone, err)
	}
	if cfg.Audit != nil && cfg.Programme != nil && cfg.Programme.AuditLog() != cfg.Audit {
		return nil, errors.New("the programme must record its acts in the server's audit log (programme.Config.Recorder: programme.LogRecorder of Config.Audit)")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	srv := &Server{cfg: cfg, mux: &routeMux{ServeMux: http.NewServeMux()}, sessions: newSessions(cfg.Store, cfg.Library, cfg.Programme, cfg.Clock), log: cfg.Logger,
		guard: throttle.NewLimits(throttle.Default(), cfg.Clock), zone: zone}
	if srv.cfg.WS.Guard == nil {
		srv.cfg.WS.Guard = srv.guard
	}
	if err := srv.routes(); err != nil {
		return nil, err
	}
	if cfg.Registry != nil {
		for _, role := range []content.Role{content.RoleInvigilator, content.RoleAssessor, content.RoleLeadAssessor,
			content.RolePsychometrician, content.RoleAdministrator} {
			cfg.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "accredit_staff_sessions",
				Help: "Staff sessions signed in through this node since it started that have not expired or been " +
					"seen signed out, by role; every node serves every session, so sum over nodes.",
				ConstLabels: prometheus.Labels{"role": string(role)},
			}, func() float64 { return float64(srv.sessions.count(role)) }))
		}
	}
	return srv, nil
}

// routeMux is the server's mux; it remembers every pattern mounted, so that
// the API's documentation can be held to what is served (Routes).
type routeMux struct {
	*http.ServeMux
	patterns []string // written only while New mounts the routes
}

func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *routeMux) HandleFunc(pattern string, f func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(f))
}

// Routes returns every pattern the server serves, in the order mounted.
func (srv *Server) Routes() []string { return slices.Clone(srv.mux.patterns) }

// MetricsHandler serves reg's metrics to anyone who reaches it: mount it on
// a listener only operators can reach (accredit serve --metrics-addr).
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
}

// Close releases what the server holds open (the standards directory) and
// stops the impact report's background rebuild.
func (srv *Server) Close() error {
	if srv.impact != nil {
		srv.impact.Close()
	}
	if srv.standards != nil {
		return srv.standards.Close()
	}
	return nil
}

// StaffName returns the signed-in staff member's name, for audit records.
func (srv *Server) StaffName(r *http.Request) string {
	if st, ok := srv.staffFrom(r); ok {
		return st.Name + " (" + st.ID + ")"
	}
	return ""
}

func (srv *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	srv.mux.ServeHTTP(w, r)
}

// routes mounts every endpoint: the pages, health and metrics, sign-in,
// and the API of each audience (api_*.go).
func (srv *Server) routes() error {
	m := srv.mux
	srv.mountPages()
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	m.HandleFunc("GET /readyz", srv.ready)
	if srv.cfg.Registry != nil {
		m.Handle("GET /metrics", srv.requireRole(MetricsHandler(srv.cfg.Registry).ServeHTTP)) // administrators only
	}
	m.HandleFunc("POST /api/login", srv.login)
	m.HandleFunc("POST /api/logout", srv.logout)
	m.HandleFunc("GET /api/me", srv.me)
	srv.candidateRoutes()
	srv.invigilatorRoutes()
	srv.assessorRoutes()
	srv.auditRoutes()
	srv.programmeRoutes()
	srv.resultsRoutes()
	return srv.psychometricianRoutes()
}

func (srv *Server) ready(w http.ResponseWriter, r *http.Request) {
	if p, ok := srv.cfg.Store.(store.Pinger); ok {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := p.Ping(ctx); err != nil {
			httpjson.Error(w, http.StatusServiceUnavailable, "store unreachable")
			return
		}
	}
	io.WriteString(w, "ready\n")
}

func (srv *Server) login(w http.ResponseWriter, r *http.Request) {
	code, ip, ok := srv.readCode(w, r)
	if !ok {
		return
	}
	st, err := srv.staffByCode(r.Context(), code)
	switch {
	case errors.Is(err, errNoSession):
		srv.guard.Fail(ip)
		httpjson.Error(w, http.StatusUnauthorized, "unknown staff code")
		return
	case err != nil:
		srv.sessionsDown(w, err, "cannot sign you in just now; try again in a moment")
		return
	}
	srv.guard.Succeed(ip, st.Code)
	done, ok := srv.record(w, r, audit.Entry{Actor: staffActor(st), Action: audit.StaffSignIn,
		Target: target(audit.TargetPerson, st.ID)})
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), sessionTimeout)
	defer cancel()
	tok, err := srv.sessions.create(ctx, st)
	done(err)
	if err != nil {
		srv.sessionsDown(w, err, "cannot sign you in just now; try again in a moment")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", Secure: srv.secure(r),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL.Seconds())})
	srv.log.Info("staff signed in", "staff", st.ID, "role", st.Role)
	httpjson.Write(w, http.StatusOK, srv.meOf(st))
}

// logout ends the session on every node. The browser forgets the cookie
// even when the store cannot be reached, so a shared device is signed out;
// the session itself then lapses at its expiry.
func (srv *Server) logout(w http.ResponseWriter, r *http.Request) {
	var err error
	clear := func() {
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Secure: srv.secure(r),
			HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	if c, cerr := r.Cookie(sessionCookie); cerr == nil {
		if st, signedIn := srv.staffFrom(r); signedIn {
			done, ok := srv.record(&cookieClearing{ResponseWriter: w, clear: clear}, r,
				audit.Entry{Action: audit.StaffSignOut, Target: target(audit.TargetPerson, st.ID)})
			if !ok {
				return // the browser is signed out; the session lapses at its expiry
			}
			defer func() { done(err) }()
		}
		ctx, cancel := context.WithTimeout(r.Context(), sessionTimeout)
		defer cancel()
		err = srv.sessions.delete(ctx, sessionStreams, c.Value)
	}
	clear()
	if err != nil {
		srv.sessionsDown(w, err, "this browser is signed out, but the session could not be ended on the server; it lapses within 12 hours")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// cookieClearing clears the session cookie before any answer is written,
// so a browser is signed out even when the server cannot end the session.
type cookieClearing struct {
	http.ResponseWriter
	clear func()
}

func (c *cookieClearing) WriteHeader(status int) {
	c.clear()
	c.ResponseWriter.WriteHeader(status)
}

// secure reports whether r's session cookie must be Secure.
func (srv *Server) secure(r *http.Request) bool { return srv.cfg.SecureCookies || r.TLS != nil }

// meOf is what login and /api/me answer of st: who, their role and
// sittings, and the centres' time zone.
func (srv *Server) meOf(st *content.Staff) map[string]any {
	return map[string]any{"id": st.ID, "name": st.Name, "role": st.Role, "sittings": st.Sittings, "time_zone": srv.cfg.TimeZone}
}

func (srv *Server) me(w http.ResponseWriter, r *http.Request) {
	st, err := srv.staff(r)
	switch {
	case errors.Is(err, errNoSession):
		httpjson.Error(w, http.StatusUnauthorized, "not signed in")
		return
	case err != nil:
		srv.sessionsDown(w, err, "cannot check your sign-in just now; try again in a moment")
		return
	}
	httpjson.Write(w, http.StatusOK, srv.meOf(st))
}

func (srv *Server) internal(w http.ResponseWriter, err error) {
	srv.log.Error("request failed", "err", err)
	httpjson.Error(w, http.StatusInternalServerError, "the server could not do that; try again")
}
