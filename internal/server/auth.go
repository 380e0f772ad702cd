package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/content"
)

const (
	sessionCookie = "accredit_session"
	sessionTTL    = 12 * time.Hour
)

// sessions maps opaque random tokens to signed-in staff. Tokens live in
// memory: a restart signs staff out, which loses no candidate data.
type sessions struct {
	mu   sync.Mutex // protects byID
	byID map[string]session
	now  func() time.Time
}

type session struct {
	staff   *content.Staff
	expires time.Time
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{byID: map[string]session{}, now: now}
}

func (s *sessions) create(st *content.Staff) string {
	b := make([]byte, 32)
	rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID[tok] = session{staff: st, expires: s.now().Add(sessionTTL)}
	return tok
}

func (s *sessions) get(tok string) (*content.Staff, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.byID[tok]
	if !ok || s.now().After(ss.expires) {
		delete(s.byID, tok)
		return nil, false
	}
	return ss.staff, true
}

func (s *sessions) delete(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, tok)
}

// staffFrom returns the signed-in staff member of a request.
func (srv *Server) staffFrom(r *http.Request) (*content.Staff, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, false
	}
	return srv.sessions.get(c.Value)
}

// requireRole wraps h so that only staff with one of roles reach it.
// Administrators may do anything.
func (srv *Server) requireRole(h http.HandlerFunc, roles ...content.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, ok := srv.staffFrom(r)
		if !ok {
			if r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
				// A person opening a page: sign in, then come back.
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			writeError(w, http.StatusUnauthorized, "sign in first")
			return
		}
		if st.Role != content.RoleAdministrator && !slices.Contains(roles, st.Role) {
			writeError(w, http.StatusForbidden, "your role may not do this")
			return
		}
		h(w, r)
	})
}

// mayRunSitting reports whether staff may invigilate the sitting.
func mayRunSitting(st *content.Staff, sittingID string) bool {
	return st.Role == content.RoleAdministrator || slices.Contains(st.Sittings, sittingID)
}

// count returns the live sessions of staff with role.
func (s *sessions) count(role content.Role) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, now := 0, s.now()
	for _, ss := range s.byID {
		if ss.staff.Role == role && now.Before(ss.expires) {
			n++
		}
	}
	return n
}

// Assessor returns the role-play assessor ID of the staff member who signs
// in with code or, when code is empty, of the staff session r carries. The
// error is fit to show the person signing in.
func (srv *Server) Assessor(r *http.Request, code string) (string, error) {
	var st *content.Staff
	var ok bool
	if code == "" {
		if st, ok = srv.staffFrom(r); !ok {
			return "", errors.New("sign in with your assessor code")
		}
	} else if st, ok = srv.cfg.Library.StaffByCode(code); !ok {
		return "", errors.New("no assessor has that code")
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
