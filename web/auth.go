package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/httpjson"
	"github.com/accredit/accredit/internal/throttle"
)

const (
	sessionCookie = "accredit_session"
	sessionTTL    = 12 * time.Hour
	// sessionStreams prefixes the store streams of staff sessions, and
	// portalStreams those of candidates' portal sessions.
	sessionStreams = "staffsession/"
	portalStreams  = "portalsession/"
	// sessionTimeout bounds one session read or write in the store.
	sessionTimeout = 3 * time.Second
)

// Session errors.
var (
	// errNoSession: the request carries no live session (no cookie, or an
	// unknown, malformed, expired or signed-out token, or a staff member
	// no longer in the library).
	errNoSession = errors.New("no staff session")
	// errSessionStore: the store could not be reached, so whether the
	// session is live is not known. It wraps the store's error.
	errSessionStore = errors.New("staff sessions unavailable")
)

// sessions keeps staff sign-ins in the shared store, so every node on that
// store knows every session, a restart signs nobody out, and a sign-out on
// one node holds on all of them.
//
// Each sign-in is a stream "staffsession/HASH", HASH the hex SHA-256 of the
// token (the store never holds a token): a sign-in record, then at most a
// sign-out record. Every lookup reads the stream; nothing is cached across
// requests, so a sign-out holds everywhere from the next request. Streams
// are never deleted (the store cannot): an expired session reads as absent.
// Staff are looked up by ID in the library at each lookup, so a person
// removed from staff.json loses access at the next start; one not in the
// library is looked up among the sign-ins imported into the programme's
// records (accredit programme import), so a node started without
// staff.json signs them in.
type sessions struct {
	store store.Store
	staff map[string]*content.Staff // by ID; read-only after newSessions
	// prog, if set, holds the sign-ins imported into the programme's
	// records (accredit programme import), looked up when staff misses.
	prog  *programme.Programme
	clock clock.Clock

	mu   sync.Mutex        // protects mine
	mine map[string]minted // sessions signed in through this node, by stream, for count
}

// minted is what count needs of a session this node signed in.
type minted struct {
	role    content.Role
	expires time.Time
}

// sessionRecord is one record of a session's stream.
type sessionRecord struct {
	Type    string    `json:"type"`             // recSignIn or recSignOut
	Staff   string    `json:"staff,omitempty"`  // sign-in: the staff ID
	Person  string    `json:"person,omitempty"` // portal sign-in: the person's ID
	Expires time.Time `json:"expires,omitzero"` // sign-in: when the session lapses
	At      time.Time `json:"at"`
}

const (
	recSignIn  = "signin"
	recSignOut = "signout"
)

func newSessions(st store.Store, lib *content.Library, prog *programme.Programme, clk clock.Clock) *sessions {
	s := &sessions{store: st, staff: map[string]*content.Staff{}, prog: prog, clock: clk, mine: map[string]minted{}}
	if lib != nil {
		for i := range lib.Staff {
			s.staff[lib.Staff[i].ID] = &lib.Staff[i]
		}
	}
	return s
}

// sessionStream names the stream under prefix of the session tok, or ""
// if tok is not shaped like a token this server issues.
func sessionStream(prefix, tok string) string {
	if b, err := base64.RawURLEncoding.DecodeString(tok); err != nil || len(b) != 32 {
		return ""
	}
	h := sha256.Sum256([]byte(tok))
	return prefix + hex.EncodeToString(h[:])
}

// mint stores the sign-in rec under prefix and returns its new token.
func (s *sessions) mint(ctx context.Context, prefix string, rec sessionRecord) (string, string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	stream := sessionStream(prefix, tok)
	// expect 0: a sign-in only ever starts a stream.
	if _, err := s.store.Append(ctx, stream, 0, rec.encode()); err != nil {
		return "", "", fmt.Errorf("%w: sign in: %w", errSessionStore, err)
	}
	return tok, stream, nil
}

// createPortal signs person in to their portal for ttl and returns the
// session's token.
func (s *sessions) createPortal(ctx context.Context, person string, ttl time.Duration) (string, error) {
	now := s.clock.Now()
	tok, _, err := s.mint(ctx, portalStreams, sessionRecord{Type: recSignIn, Person: person, Expires: now.Add(ttl), At: now})
	return tok, err
}

// getPortal returns the person whose live portal session tok is.
func (s *sessions) getPortal(ctx context.Context, tok string) (string, error) {
	rec, err := s.live(ctx, sessionStream(portalStreams, tok))
	if err != nil {
		return "", err
	}
	if rec.Person == "" {
		return "", errNoSession
	}
	return rec.Person, nil
}

// create signs st in and returns the new session's token.
func (s *sessions) create(ctx context.Context, st *content.Staff) (string, error) {
	now := s.clock.Now()
	rec := sessionRecord{Type: recSignIn, Staff: st.ID, Expires: now.Add(sessionTTL), At: now}
	tok, stream, err := s.mint(ctx, sessionStreams, rec)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, m := range s.mine {
		if !now.Before(m.expires) {
			delete(s.mine, k)
		}
	}
	s.mine[stream] = minted{role: st.Role, expires: rec.Expires}
	return tok, nil
}

// get returns the staff member whose live session tok is.
func (s *sessions) get(ctx context.Context, tok string) (*content.Staff, error) {
	rec, err := s.live(ctx, sessionStream(sessionStreams, tok))
	if err != nil {
		return nil, err
	}
	if st, ok := s.staff[rec.Staff]; ok {
		return st, nil
	}
	if s.prog == nil {
		return nil, errNoSession
	}
	return imported(s.prog.SignIn(ctx, rec.Staff))
}

// imported is a sign-in looked up among those imported into the
// programme's records: errNoSession when there is none, errSessionStore
// when the store cannot tell.
func imported(st content.Staff, ok bool, err error) (*content.Staff, error) {
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %w", errSessionStore, err)
	case !ok:
		return nil, errNoSession
	}
	return &st, nil
}

// live returns the sign-in record of stream if its session is live.
func (s *sessions) live(ctx context.Context, stream string) (sessionRecord, error) {
	if stream == "" {
		return sessionRecord{}, errNoSession
	}
	recs, err := s.read(ctx, stream)
	if err != nil {
		return sessionRecord{}, err
	}
	if len(recs) == 0 || recs[0].Type != recSignIn || !s.clock.Now().Before(recs[0].Expires) {
		return sessionRecord{}, errNoSession
	}
	for _, r := range recs[1:] {
		if r.Type == recSignOut {
			s.forget(stream)
			return sessionRecord{}, errNoSession
		}
	}
	return recs[0], nil
}

// delete signs the session tok under prefix out on every node. A token
// that names no live session writes nothing, so made-up tokens leave no
// streams behind.
func (s *sessions) delete(ctx context.Context, prefix, tok string) error {
	stream := sessionStream(prefix, tok)
	if stream == "" {
		return nil
	}
	defer s.forget(stream)
	recs, err := s.read(ctx, stream)
	if err != nil || len(recs) != 1 || recs[0].Type != recSignIn || !s.clock.Now().Before(recs[0].Expires) {
		return err
	}
	rec := sessionRecord{Type: recSignOut, At: s.clock.Now()}
	_, err = s.store.Append(ctx, stream, 1, rec.encode())
	if err != nil && !errors.Is(err, store.ErrConflict) { // a conflict: signed out elsewhere meanwhile
		return fmt.Errorf("%w: sign out: %w", errSessionStore, err)
	}
	return nil
}

// read returns the records of a session's stream; a record that does not
// decode reads as a sign-out, so damage never lets anyone in.
func (s *sessions) read(ctx context.Context, stream string) ([]sessionRecord, error) {
	raw, err := s.store.Read(ctx, stream, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errSessionStore, err)
	}
	recs := make([]sessionRecord, len(raw))
	for i, b := range raw {
		if json.Unmarshal(b, &recs[i]) != nil {
			recs[i] = sessionRecord{Type: recSignOut}
		}
	}
	return recs, nil
}

func (s *sessions) forget(stream string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.mine, stream)
}

// count returns the sessions of staff with role that this node signed in
// since it started and that have neither expired nor been seen signed out.
// Sessions live in the store; this is the per-node share the metric shows.
func (s *sessions) count(role content.Role) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, now := 0, s.clock.Now()
	for _, m := range s.mine {
		if m.role == role && now.Before(m.expires) {
			n++
		}
	}
	return n
}

// encode returns r as JSON; a sessionRecord always marshals.
func (r sessionRecord) encode() []byte {
	b, _ := json.Marshal(r)
	return b
}

// staffKey keys the staff member requireRole found in a request's context,
// so the handlers behind it do not read the store again.
type staffKey struct{}

// staff returns the signed-in staff member of r: errNoSession without a
// live session, errSessionStore when the store cannot tell.
func (srv *Server) staff(r *http.Request) (*content.Staff, error) {
	if st, ok := r.Context().Value(staffKey{}).(*content.Staff); ok {
		return st, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, errNoSession
	}
	ctx, cancel := context.WithTimeout(r.Context(), sessionTimeout)
	defer cancel()
	return srv.sessions.get(ctx, c.Value)
}

// staffFrom returns the signed-in staff member of a request; a store
// failure reads as signed out.
func (srv *Server) staffFrom(r *http.Request) (*content.Staff, bool) {
	st, err := srv.staff(r)
	return st, err == nil
}

// sessionsDown answers a request whose session the store could not check:
// 503, so pages retry rather than send the person to sign in again.
func (srv *Server) sessionsDown(w http.ResponseWriter, err error, msg string) {
	srv.log.Error("staff sessions", "err", err)
	w.Header().Set("Retry-After", "5")
	httpjson.Error(w, http.StatusServiceUnavailable, msg)
}

// requireRole wraps h so that only staff with one of roles reach it.
// Administrators may do anything.
func (srv *Server) requireRole(h http.HandlerFunc, roles ...content.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, err := srv.staff(r)
		switch {
		case errors.Is(err, errNoSession):
			if r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
				// A person opening a page: sign in, then come back.
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			httpjson.Error(w, http.StatusUnauthorized, "sign in first")
			return
		case err != nil:
			srv.sessionsDown(w, err, "cannot check your sign-in just now; try again in a moment")
			return
		}
		if st.Role != content.RoleAdministrator && !slices.Contains(roles, st.Role) {
			httpjson.Error(w, http.StatusForbidden, "your role may not do this")
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), staffKey{}, st)))
	})
}

// mayRunSitting reports whether staff may invigilate the sitting.
// A library sitting's invigilators are named in the staff file; a
// programme sitting names its own.
func mayRunSitting(st *content.Staff, s *content.Sitting) bool {
	return st.Role == content.RoleAdministrator || slices.Contains(st.Sittings, s.ID) ||
		(st.Role == content.RoleInvigilator && slices.Contains(s.Invigilators, st.ID))
}

// Assessor returns the role-play assessor ID of the staff member who signs
// in with code or, when code is empty, of the staff session r carries. The
// error is fit to show the person signing in.
func (srv *Server) Assessor(r *http.Request, code string) (string, error) {
	var st *content.Staff
	if code == "" {
		var err error
		switch st, err = srv.staff(r); {
		case errors.Is(err, errNoSession):
			return "", errors.New("sign in with your assessor code")
		case err != nil:
			srv.log.Error("staff sessions", "err", err)
			return "", errors.New("cannot check your sign-in just now; try again in a moment")
		}
	} else {
		ip := throttle.Client(r)
		if !srv.guard.Allow(ip) {
			return "", errTooManyCodes
		}
		var err error
		switch st, err = srv.staffByCode(r.Context(), code); {
		case errors.Is(err, errNoSession):
			srv.guard.Fail(ip)
			return "", errors.New("no assessor has that code")
		case err != nil:
			srv.log.Error("staff sign-ins", "err", err)
			return "", errors.New("cannot check your code just now; try again in a moment")
		}
		srv.guard.Succeed(ip, st.Code)
	}
	if st.Assessor == "" {
		return "", errors.New("that code is not an assessor's")
	}
	return st.Assessor, nil
}

// SignedInAssessor returns the role-play assessor ID of the staff session
// r carries.
func (srv *Server) SignedInAssessor(r *http.Request) (string, bool) {
	id, err := srv.Assessor(r, "")
	return id, err == nil
}

// mayTryCode returns the client's address when it may try a sign-in code
// now; when the sign-in throttle refuses it, it answers 429 with the wait
// and returns false.
func (srv *Server) mayTryCode(w http.ResponseWriter, r *http.Request) (string, bool) {
	ip := throttle.Client(r)
	if !srv.guard.Allow(ip) {
		w.Header().Set("Retry-After", fmt.Sprint(int(srv.guard.Limits().Every.Seconds())))
		httpjson.Error(w, http.StatusTooManyRequests, errTooManyCodes.Error())
		return ip, false
	}
	return ip, true
}

// readCode reads a sign-in form's {"code": ...} and the client's address,
// answering for itself when the body is bad or the address has tried too
// many wrong codes.
func (srv *Server) readCode(w http.ResponseWriter, r *http.Request) (code, ip string, ok bool) {
	var req struct {
		Code string `json:"code"`
	}
	if !httpjson.Read(w, r, &req, 4<<10) {
		return "", "", false
	}
	ip, ok = srv.mayTryCode(w, r)
	return req.Code, ip, ok
}

// errTooManyCodes: the client's address got too many codes wrong.
var errTooManyCodes = errors.New("too many wrong codes from this address: wait a little (the answer says how long), then try again")

// staffByCode finds the staff member whose sign-in code is code: in the
// library's staff file, else among the sign-ins imported into the
// programme's records. errNoSession when nobody has it, errSessionStore
// when the store cannot tell.
func (srv *Server) staffByCode(ctx context.Context, code string) (*content.Staff, error) {
	if st, ok := srv.cfg.Library.StaffByCode(code); ok {
		return st, nil
	}
	if srv.cfg.Programme == nil {
		return nil, errNoSession
	}
	ctx, cancel := context.WithTimeout(ctx, sessionTimeout)
	defer cancel()
	return imported(srv.cfg.Programme.SignInByCode(ctx, code))
}
