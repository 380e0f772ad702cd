package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
)

func newServer(t *testing.T) (*httptest.Server, *engine.Engine) {
	t.Helper()
	lib, err := content.LoadDir("../engine/testdata/lib")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Config{Library: lib, Store: store, Clock: clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))})
	reg := prometheus.NewRegistry()
	srv := httptest.NewServer(mustNew(t, web.Config{Engine: eng, Library: lib, Store: store, Registry: reg}))
	t.Cleanup(func() { srv.Close(); eng.Close(); store.Close() })
	return srv, eng
}

// mustNew returns a server for cfg or fails the test.
func mustNew(t testing.TB, cfg web.Config) *web.Server {
	t.Helper()
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, srv *httptest.Server, code string) *client {
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: srv.URL, c: &http.Client{Jar: jar}}
	if code != "" {
		if st, body := c.do("POST", "/api/login", `{"code":"`+code+`"}`); st != http.StatusOK {
			t.Fatalf("login %s: %d %s", code, st, body)
		}
	}
	return c
}

func (c *client) do(method, path, body string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRolesAndAssignments(t *testing.T) {
	srv, _ := newServer(t)
	anon := newClient(t, srv, "")
	inv := newClient(t, srv, "STAFF-INV-3H8W")
	psy := newClient(t, srv, "STAFF-PSY-5T2N")
	other := newClient(t, srv, "STAFF-INV-6Q9D") // an invigilator of no sitting
	adm := newClient(t, srv, "STAFF-ADM-8R4P")
	tests := []struct {
		name   string
		c      *client
		method string
		path   string
		body   string
		want   int
	}{
		{"anonymous sitting", anon, "GET", "/api/sittings/s1", "", http.StatusUnauthorized},
		{"anonymous release", anon, "POST", "/api/sittings/s1/release", "", http.StatusUnauthorized},
		{"anonymous export", anon, "GET", "/api/sittings/s1/responses.csv", "", http.StatusUnauthorized},
		{"psychometrician may not release", psy, "POST", "/api/sittings/s1/release", "", http.StatusForbidden},
		{"invigilator may not export responses", inv, "GET", "/api/sittings/s1/responses.csv", "", http.StatusForbidden},
		{"unassigned invigilator", other, "GET", "/api/sittings/s1", "", http.StatusForbidden},
		{"unassigned invigilator release", other, "POST", "/api/sittings/s1/release", "", http.StatusForbidden},
		{"unknown sitting", inv, "GET", "/api/sittings/nope", "", http.StatusNotFound},
		{"invigilator sees own sitting", inv, "GET", "/api/sittings/s1", "", http.StatusOK},
		{"psychometrician exports", psy, "GET", "/api/sittings/s1/responses.csv", "", http.StatusOK},
		{"extra time before start", inv, "POST", "/api/sittings/s1/candidates/c1/extra-time", `{"minutes":5}`, http.StatusConflict},
		{"extra time out of range", inv, "POST", "/api/sittings/s1/candidates/c1/extra-time", `{"minutes":500}`, http.StatusBadRequest},
		{"extra time bad body", inv, "POST", "/api/sittings/s1/candidates/c1/extra-time", `{"mins":5}`, http.StatusBadRequest},
		{"psychometrician may not pause", psy, "POST", "/api/sittings/s1/candidates/c1/pause", "", http.StatusForbidden},
		{"pause not started", inv, "POST", "/api/sittings/s1/candidates/c1/pause", "", http.StatusConflict},
		{"release", inv, "POST", "/api/sittings/s1/release", "", http.StatusOK},
		{"void needs a reason", inv, "POST", "/api/sittings/s1/candidates/c1/void", `{"reason":" "}`, http.StatusBadRequest},
		{"health", anon, "GET", "/healthz", "", http.StatusOK},
		{"ready", anon, "GET", "/readyz", "", http.StatusOK},
		{"metrics to nobody", anon, "GET", "/metrics", "", http.StatusUnauthorized},
		{"metrics to an invigilator", inv, "GET", "/metrics", "", http.StatusForbidden},
		{"metrics to an administrator", adm, "GET", "/metrics", "", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, body := tc.c.do(tc.method, tc.path, tc.body); got != tc.want {
				t.Fatalf("%s %s: %d %s, want %d", tc.method, tc.path, got, body, tc.want)
			}
		})
	}
	if st, _ := anon.do("POST", "/api/login", `{"code":"WRONG-CODE-XYZ"}`); st != http.StatusUnauthorized {
		t.Fatalf("wrong staff code: %d", st)
	}
}

func TestPageRedirectsToSignIn(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest("GET", srv.URL+"/api/sittings/s1", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/signin?next=%2Fapi%2Fsittings%2Fs1" {
		t.Fatalf("page without sign-in: %d to %q", resp.StatusCode, loc)
	}
}

func TestLoginNeedsJSON(t *testing.T) {
	srv, _ := newServer(t)
	resp, err := http.Post(srv.URL+"/api/login", "application/x-www-form-urlencoded", strings.NewReader("code=STAFF-INV-3H8W"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("form-encoded login: %d, want 415 (a cross-site form cannot sign in)", resp.StatusCode)
	}
}

func TestSittingSummaryHoldsNoAnswers(t *testing.T) {
	srv, eng := newServer(t)
	p := &nopPeer{}
	id, err := eng.Join(context.Background(), "TEST-ONE-7K2M", p)
	if err != nil {
		t.Fatal(err)
	}
	inv := newClient(t, srv, "STAFF-INV-3H8W")
	inv.do("POST", "/api/sittings/s1/release", "")
	eng.Handle(context.Background(), id, p, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	_, body := inv.do("GET", "/api/sittings/s1", "")
	if !strings.Contains(body, `"answered":1`) || strings.Contains(body, `"b"`) || strings.Contains(body, "options") {
		t.Fatalf("summary %s: want the count of answers and no answer content", body)
	}
}

type nopPeer struct{}

func (nopPeer) Send(engine.ServerMsg) {}
func (nopPeer) Close(int, string)     {}

// TestSessionCookieSecure: the session cookie is Secure over TLS, and over
// plain HTTP when the server is told a proxy terminates TLS.
func TestSessionCookieSecure(t *testing.T) {
	lib, err := content.LoadDir("../engine/testdata/lib")
	if err != nil {
		t.Fatal(err)
	}
	st, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Config{Library: lib, Store: st})
	t.Cleanup(func() { eng.Close(); st.Close() })
	for _, tc := range []struct {
		name        string
		tls, behind bool
		wantSecure  bool
	}{
		{"plain HTTP", false, false, false},
		{"TLS", true, false, true},
		{"behind a TLS proxy", false, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := mustNew(t, web.Config{Engine: eng, Library: lib, Store: st, SecureCookies: tc.behind})
			hs := httptest.NewUnstartedServer(h)
			if tc.tls {
				hs.StartTLS()
			} else {
				hs.Start()
			}
			defer hs.Close()
			resp, err := hs.Client().Post(hs.URL+"/api/login", "application/json", strings.NewReader(`{"code":"STAFF-INV-3H8W"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cs := resp.Cookies()
			if len(cs) != 1 || cs[0].Secure != tc.wantSecure || !cs[0].HttpOnly {
				t.Errorf("cookies %+v, want one HttpOnly with Secure %v", cs, tc.wantSecure)
			}
		})
	}
}
