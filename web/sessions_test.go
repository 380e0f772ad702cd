package web_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

const (
	invCode = "STAFF-INV-3H8W" // inv1, invigilator of sitting s1
	psyCode = "STAFF-PSY-5T2N" // psy1
)

// backends opens a fresh store of each kind staff sessions may live in:
// bolt always, Redis when ACCREDIT_TEST_REDIS names a server.
var backends = []struct {
	name string
	open func(t testing.TB) store.Store
}{
	{"bolt", func(t testing.TB) store.Store { return webtest.Bolt(t) }},
	{"redis", openRedis},
}

// openRedis opens the test Redis under a key prefix of its own, so tests
// run in parallel on one server.
func openRedis(t testing.TB) store.Store {
	t.Helper()
	return redistest.Open(t, redistest.Standalone)
}

// node is one Server, as one engine node behind a load balancer; nodes
// built over one store share it as nodes share Redis.
type node struct {
	t   testing.TB
	url string
	reg *prometheus.Registry
	hs  *httptest.Server
}

func newNode(t testing.TB, lib *content.Library, st store.Store, clk clock.Clock) *node {
	t.Helper()
	reg := prometheus.NewRegistry()
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st,
		Engine: engine.Config{Clock: clock.NewFake(webtest.Start)},
		Web:    web.Config{Registry: reg, Clock: clk}})
	return &node{t: t, url: n.URL(), reg: reg, hs: n.HTTP}
}

// call sends a request carrying the session token tok ("" for none) and
// returns the status, the body and the session cookie the reply sets.
func (n *node) call(method, path, body, tok string) (int, string, *http.Cookie) {
	n.t.Helper()
	req, _ := http.NewRequest(method, n.url+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.AddCookie(&http.Cookie{Name: "accredit_session", Value: tok})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.Name == "accredit_session" {
			return resp.StatusCode, string(b), c
		}
	}
	return resp.StatusCode, string(b), nil
}

func (n *node) signIn(code string) string {
	n.t.Helper()
	st, body, c := n.call("POST", "/api/login", `{"code":"`+code+`"}`, "")
	if st != http.StatusOK || c == nil || c.Value == "" {
		n.t.Fatalf("sign in %s: %d %s, cookie %v", code, st, body, c)
	}
	return c.Value
}

// want checks that a request with tok answers status.
func (n *node) want(method, path, tok string, status int) string {
	n.t.Helper()
	st, body, _ := n.call(method, path, "", tok)
	if st != status {
		n.t.Fatalf("%s %s: %d %s, want %d", method, path, st, body, status)
	}
	return body
}

func TestSessionSharedByNodes(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			lib := webtest.Library(t, "../engine/testdata/lib")
			store := b.open(t)
			n1, n2 := newNode(t, lib, store, nil), newNode(t, lib, store, nil)

			tok := n1.signIn(invCode)
			if body := n2.want("GET", "/api/me", tok, http.StatusOK); !strings.Contains(body, `"id":"inv1"`) {
				t.Fatalf("node 2 /api/me: %s, want inv1", body)
			}
			n2.want("GET", "/api/sittings/s1", tok, http.StatusOK)

			st, body, c := n2.call("POST", "/api/logout", "", tok)
			if st != http.StatusNoContent || c == nil || c.MaxAge >= 0 {
				t.Fatalf("sign out on node 2: %d %s, cookie %v; want 204 clearing the cookie", st, body, c)
			}
			// No cache: node 1 refuses the token at once.
			n1.want("GET", "/api/me", tok, http.StatusUnauthorized)
			n1.want("GET", "/api/sittings/s1", tok, http.StatusUnauthorized)
			n2.want("GET", "/api/me", tok, http.StatusUnauthorized)
			n1.want("POST", "/api/logout", tok, http.StatusNoContent) // again: nothing to do

			// A fresh sign-in works after a sign-out.
			n2.want("GET", "/api/me", n1.signIn(invCode), http.StatusOK)
		})
	}
}

func TestSessionSurvivesRestart(t *testing.T) {
	lib := webtest.Library(t, "../engine/testdata/lib")
	path := filepath.Join(t.TempDir(), "s.db")
	store := webtest.BoltAt(t, path)
	before := newNode(t, lib, store, nil)
	tok := before.signIn(psyCode)
	before.hs.Close()
	store.Close()

	after := newNode(t, lib, webtest.BoltAt(t, path), nil)
	if body := after.want("GET", "/api/me", tok, http.StatusOK); !strings.Contains(body, `"id":"psy1"`) {
		t.Fatalf("/api/me after restart: %s, want psy1", body)
	}
	after.want("GET", "/api/sittings/s1/responses.csv", tok, http.StatusOK)
}

func TestSessionExpires(t *testing.T) {
	lib := webtest.Library(t, "../engine/testdata/lib")
	clk := clock.NewFake(time.Date(2026, 12, 1, 7, 30, 0, 0, time.UTC))
	store := webtest.Bolt(t)
	n1, n2 := newNode(t, lib, store, clk), newNode(t, lib, store, clk)
	tok := n1.signIn(invCode)
	n2.signIn(invCode) // the same person on a second device
	n1.signIn(psyCode)
	wantGauge(t, n1, 1, 1)
	wantGauge(t, n2, 1, 0)

	clk.Advance(12*time.Hour - time.Second)
	n2.want("GET", "/api/me", tok, http.StatusOK)
	clk.Advance(time.Second)
	n2.want("GET", "/api/me", tok, http.StatusUnauthorized)
	n1.want("GET", "/api/sittings/s1", tok, http.StatusUnauthorized)
	wantGauge(t, n1, 0, 0)
	n1.want("POST", "/api/logout", tok, http.StatusNoContent)
}

// wantGauge checks a node's accredit_staff_sessions for invigilators and
// psychometricians: the sessions it signed in that are still live.
func wantGauge(t *testing.T, n *node, inv, psy int) {
	t.Helper()
	got := map[string]float64{}
	mfs, err := n.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "accredit_staff_sessions" {
			continue
		}
		for _, m := range mf.GetMetric() {
			got[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
		}
	}
	if got["invigilator"] != float64(inv) || got["psychometrician"] != float64(psy) {
		t.Fatalf("accredit_staff_sessions %v, want invigilator %d, psychometrician %d", got, inv, psy)
	}
}

func TestSessionMetricHelp(t *testing.T) {
	n := newNode(t, webtest.Library(t, "../engine/testdata/lib"), webtest.Bolt(t), nil)
	n.signIn(invCode)
	want := `
# HELP accredit_staff_sessions Staff sessions signed in through this node since it started that have not expired or been seen signed out, by role; every node serves every session, so sum over nodes.
# TYPE accredit_staff_sessions gauge
accredit_staff_sessions{role="administrator"} 0
accredit_staff_sessions{role="assessor"} 0
accredit_staff_sessions{role="invigilator"} 1
accredit_staff_sessions{role="lead_assessor"} 0
accredit_staff_sessions{role="psychometrician"} 0
`
	if err := testutil.GatherAndCompare(n.reg, strings.NewReader(want), "accredit_staff_sessions"); err != nil {
		t.Fatal(err)
	}
}

func TestSessionTokenRefused(t *testing.T) {
	lib := webtest.Library(t, "../engine/testdata/lib")
	store := webtest.Bolt(t)
	n := newNode(t, lib, store, nil)
	tok := n.signIn(invCode)
	flip := "A"
	if tok[0] == 'A' {
		flip = "B"
	}
	b := make([]byte, 32)
	rand.Read(b)
	tests := []struct {
		name string
		tok  string
	}{
		{"first character changed", flip + tok[1:]},
		{"truncated", tok[:len(tok)-2]},
		{"extended", tok + "AA"},
		{"not base64", strings.Repeat("*", len(tok))},
		{"well-formed but never issued", base64.RawURLEncoding.EncodeToString(b)},
		{"the stream name", "staffsession/" + hashOf(tok)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n.want("GET", "/api/me", tc.tok, http.StatusUnauthorized)
			n.want("GET", "/api/sittings/s1", tc.tok, http.StatusUnauthorized)
			n.want("POST", "/api/logout", tc.tok, http.StatusNoContent)
		})
	}
	n.want("GET", "/api/me", tok, http.StatusOK) // signing out made-up tokens touched nothing

	// The store keys the session by the token's hash and never holds the
	// token; made-up tokens left no streams.
	names, err := store.Streams(context.Background(), "staffsession/")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "staffsession/"+hashOf(tok) {
		t.Fatalf("session streams %v, want the one signed in, named by the token's SHA-256", names)
	}
	recs, err := store.Read(context.Background(), names[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || strings.Contains(string(recs[0]), tok) || !strings.Contains(string(recs[0]), `"staff":"inv1"`) {
		t.Fatalf("session records %q: want one naming inv1, without the token", recs)
	}
}

func hashOf(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// A person removed from staff.json loses their session when the nodes
// start on the new content.
func TestSessionEndsForRemovedStaff(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../engine/testdata/lib")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.db")
	store := webtest.BoltAt(t, path)
	before := newNode(t, webtest.Library(t, dir), store, nil)
	inv, psy := before.signIn(invCode), before.signIn(psyCode)

	staff := `[{"id":"psy1","name":"Psych One","role":"psychometrician","code":"STAFF-PSY-5T2N"}]`
	if err := os.WriteFile(filepath.Join(dir, "staff.json"), []byte(staff), 0o644); err != nil {
		t.Fatal(err)
	}
	after := newNode(t, webtest.Library(t, dir), store, nil)
	after.want("GET", "/api/me", inv, http.StatusUnauthorized)
	after.want("GET", "/api/me", psy, http.StatusOK)
}

// With the store gone, nothing that needs a session answers 401 (a page
// would send the person to sign in again) and nothing panics.
func TestSessionStoreDown(t *testing.T) {
	lib := webtest.Library(t, "../engine/testdata/lib")
	store := webtest.Bolt(t)
	n := newNode(t, lib, store, nil)
	tok := n.signIn(invCode)
	store.Close()

	if st, body, _ := n.call("POST", "/api/login", `{"code":"`+invCode+`"}`, ""); st != http.StatusServiceUnavailable {
		t.Fatalf("sign in with the store down: %d %s, want 503", st, body)
	}
	n.want("GET", "/api/me", tok, http.StatusServiceUnavailable)
	n.want("GET", "/api/sittings/s1", tok, http.StatusServiceUnavailable)
	n.want("GET", "/api/me", "", http.StatusUnauthorized) // no cookie: no store needed to say so

	req, _ := http.NewRequest("GET", n.url+"/api/sittings/s1", nil)
	req.Header.Set("Accept", "text/html")
	req.AddCookie(&http.Cookie{Name: "accredit_session", Value: tok})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("page with the store down: %d (Retry-After %q), want 503 and no redirect to sign-in", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	st, _, c := n.call("POST", "/api/logout", "", tok)
	if st != http.StatusServiceUnavailable || c == nil || c.MaxAge >= 0 {
		t.Fatalf("sign out with the store down: %d, cookie %v; want 503 and the cookie cleared", st, c)
	}
}

// BenchmarkSignedInRequest measures GET /api/me, which reads the session's
// stream on every request, against GET /healthz, which reads nothing: the
// difference is what a session lookup costs each staff request.
func BenchmarkSignedInRequest(b *testing.B) {
	lib := webtest.Library(b, "../engine/testdata/lib")
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			n := newNode(b, lib, be.open(b), nil)
			tok := n.signIn(invCode)
			for _, path := range []string{"/healthz", "/api/me"} {
				b.Run(strings.TrimPrefix(path, "/"), func(b *testing.B) {
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							req, _ := http.NewRequest("GET", n.url+path, nil)
							req.AddCookie(&http.Cookie{Name: "accredit_session", Value: tok})
							resp, err := http.DefaultClient.Do(req)
							if err != nil {
								b.Error(err)
								return
							}
							io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							if resp.StatusCode != http.StatusOK {
								b.Errorf("%s: %d", path, resp.StatusCode)
								return
							}
						}
					})
				})
			}
		})
	}
}
