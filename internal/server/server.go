package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/store"

	"github.com/accredit/accredit/internal/httpjson"
	"github.com/accredit/accredit/internal/throttle"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/internal/webui"
	ssweb "github.com/accredit/accredit/standardsetting/web"
)

// Config assembles a Server.
type Config struct {
	Engine   *engine.Engine
	Library  *content.Library
	Store    store.Store
	Registry *prometheus.Registry // served on /metrics; nil serves none
	WS       engine.WSConfig
	Logger   *slog.Logger
	Now      func() time.Time // nil means time.Now
}

// Server is the HTTP handler of an engine node.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	sessions *sessions
	log      *slog.Logger
	// guard counts wrong sign-in codes by client address, for staff and
	// candidates alike (internal/throttle).
	guard *throttle.Failures
}

// Sign-in throttle: 30 wrong codes in a row from one address, then one more
// every 2 seconds. A room of candidates behind one address mistyping their
// codes stays far below it; guessing a code of 4 random characters
// (about 800,000 possibilities) takes weeks per address.
const (
	guardBurst = 30
	guardEvery = 2 * time.Second
)

// New returns the server's handler.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	srv := &Server{cfg: cfg, mux: http.NewServeMux(), sessions: newSessions(cfg.Store, cfg.Library, cfg.Now), log: cfg.Logger,
		guard: throttle.New(guardBurst, guardEvery, cfg.Now)}
	if srv.cfg.WS.Guard == nil {
		srv.cfg.WS.Guard = srv.guard
	}
	srv.routes()
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
	return srv
}

// MountStandards serves the psychometricians' standard-setting page at
// /standards/ over the panel and score files in dir.
func (srv *Server) MountStandards(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	page, err := ssweb.New(ssweb.Config{Dir: dir, Who: srv.StaffName, Now: srv.cfg.Now})
	if err != nil {
		return err
	}
	h := srv.requireRole(http.StripPrefix("/standards", page).ServeHTTP, content.RolePsychometrician)
	srv.mux.Handle("GET /standards/", h)
	srv.mux.Handle("POST /standards/", h)
	return nil
}

// Handle mounts an extra handler (for example another module's pages).
func (srv *Server) Handle(pattern string, h http.Handler) { srv.mux.Handle(pattern, h) }

// RequireRole wraps h with the server's sign-in and role check.
func (srv *Server) RequireRole(h http.Handler, roles ...content.Role) http.Handler {
	return srv.requireRole(h.ServeHTTP, roles...)
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
	h.Set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	srv.mux.ServeHTTP(w, r)
}

func (srv *Server) routes() {
	m := srv.mux
	m.Handle("GET /ws/candidate", srv.cfg.Engine.WebSocketHandler(srv.cfg.WS))
	m.Handle("GET /", webui.Handler())
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	m.HandleFunc("GET /readyz", srv.ready)
	if srv.cfg.Registry != nil {
		m.Handle("GET /metrics", promhttp.HandlerFor(srv.cfg.Registry, promhttp.HandlerOpts{Registry: srv.cfg.Registry}))
	}
	m.HandleFunc("POST /api/login", srv.login)
	m.HandleFunc("POST /api/logout", srv.logout)
	m.HandleFunc("GET /api/me", srv.me)
	inv := []content.Role{content.RoleInvigilator}
	m.Handle("GET /api/sittings", srv.requireRole(srv.listSittings, content.RoleInvigilator, content.RolePsychometrician))
	m.Handle("GET /api/sittings/{id}", srv.requireRole(srv.sittingStatus, inv...))
	m.Handle("POST /api/sittings/{id}/release", srv.requireRole(srv.release, inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/extra-time", srv.requireRole(srv.extraTime, inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/pause", srv.requireRole(srv.attemptAction(srv.cfg.Engine.Pause, false), inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/resume", srv.requireRole(srv.attemptAction(srv.cfg.Engine.Resume, false), inv...))
	m.Handle("POST /api/sittings/{id}/candidates/{cand}/void", srv.requireRole(srv.attemptAction(srv.cfg.Engine.Void, true), inv...))
	psy := content.RolePsychometrician
	m.Handle("GET /api/sittings/{id}/responses.csv", srv.requireRole(srv.exportMatrix, psy))
	m.Handle("GET /api/sittings/{id}/employers", srv.requireRole(srv.employers, psy))
	m.Handle("GET /api/sittings/{id}/analysis/items", srv.requireRole(srv.analyseItems, psy))
	m.Handle("GET /api/sittings/{id}/analysis/rasch", srv.requireRole(srv.analyseRasch, psy))
	m.Handle("GET /api/sittings/{id}/analysis/dif", srv.requireRole(srv.analyseDIF, psy))
	m.Handle("GET /api/sittings/{id}/analysis/impact", srv.requireRole(srv.analyseImpact, psy))
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
	var req struct {
		Code string `json:"code"`
	}
	if !httpjson.Read(w, r, &req, 4<<10) {
		return
	}
	ip := throttle.Client(r)
	if !srv.guard.Allow(ip) {
		w.Header().Set("Retry-After", fmt.Sprint(int(guardEvery.Seconds())))
		httpjson.Error(w, http.StatusTooManyRequests, errTooManyCodes.Error())
		return
	}
	st, ok := srv.cfg.Library.StaffByCode(req.Code)
	if !ok {
		srv.guard.Fail(ip)
		httpjson.Error(w, http.StatusUnauthorized, "unknown staff code")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), sessionTimeout)
	defer cancel()
	tok, err := srv.sessions.create(ctx, st)
	if err != nil {
		srv.sessionsDown(w, err, "cannot sign you in just now; try again in a moment")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL.Seconds())})
	srv.log.Info("staff signed in", "staff", st.ID, "role", st.Role)
	httpjson.Write(w, http.StatusOK, meOf(st))
}

// logout ends the session on every node. The browser forgets the cookie
// even when the store cannot be reached, so a shared device is signed out;
// the session itself then lapses at its expiry.
func (srv *Server) logout(w http.ResponseWriter, r *http.Request) {
	var err error
	if c, cerr := r.Cookie(sessionCookie); cerr == nil {
		ctx, cancel := context.WithTimeout(r.Context(), sessionTimeout)
		defer cancel()
		err = srv.sessions.delete(ctx, c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	if err != nil {
		srv.sessionsDown(w, err, "this browser is signed out, but the session could not be ended on the server; it lapses within 12 hours")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func meOf(st *content.Staff) map[string]any {
	return map[string]any{"id": st.ID, "name": st.Name, "role": st.Role, "sittings": st.Sittings}
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
	httpjson.Write(w, http.StatusOK, meOf(st))
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

func (srv *Server) exportMatrix(w http.ResponseWriter, r *http.Request) {
	id, _, ok := srv.sittingFor(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+`-responses.csv"`)
	if err := srv.cfg.Engine.ExportMatrix(r.Context(), id, w); err != nil {
		srv.log.Error("export", "sitting", id, "err", err)
	}
}

func (srv *Server) internal(w http.ResponseWriter, err error) {
	srv.log.Error("request failed", "err", err)
	httpjson.Error(w, http.StatusInternalServerError, "the server could not do that; try again")
}
