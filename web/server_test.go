package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// newServer serves the test content on a fake clock at the sitting's
// scheduled time, with metrics.
func newServer(t *testing.T) *webtest.Node {
	t.Helper()
	return webtest.NewNode(t, webtest.Options{
		Library: webtest.Library(t, "../engine/testdata/lib"),
		Engine:  engine.Config{Clock: clock.NewFake(webtest.Start)},
		Web:     web.Config{Registry: prometheus.NewRegistry()},
	})
}

func TestRolesAndAssignments(t *testing.T) {
	srv := newServer(t)
	anon := srv.Client(t, "")
	inv := srv.Client(t, "STAFF-INV-3H8W")
	psy := srv.Client(t, "STAFF-PSY-5T2N")
	other := srv.Client(t, "STAFF-INV-6Q9D") // an invigilator of no sitting
	adm := srv.Client(t, "STAFF-ADM-8R4P")
	tests := []struct {
		name   string
		c      *webtest.Client
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
		{"void needs a listed reason", inv, "POST", "/api/sittings/s1/candidates/c1/void", `{"reason":"bored","confirm":"c1"}`, http.StatusBadRequest},
		{"void needs the id typed", inv, "POST", "/api/sittings/s1/candidates/c1/void", `{"reason":"malpractice","confirm":"c2"}`, http.StatusBadRequest},
		{"room extra time over the bound", inv, "POST", "/api/sittings/s1/room/extra-time", `{"minutes":121}`, http.StatusBadRequest},
		{"incident of no category", inv, "POST", "/api/sittings/s1/incidents", `{"category":"weather","text":"hail"}`, http.StatusBadRequest},
		{"incident logged", inv, "POST", "/api/sittings/s1/incidents", `{"category":"environment","text":"fire alarm","candidates":["c1"]}`, http.StatusCreated},
		{"psychometrician may not log incidents", psy, "POST", "/api/sittings/s1/incidents", `{"category":"other","text":"x"}`, http.StatusForbidden},
		{"psychometrician reads incidents", psy, "GET", "/api/sittings/s1/incidents", "", http.StatusOK},
		{"psychometrician reads incidents as CSV", psy, "GET", "/api/sittings/s1/incidents.csv", "", http.StatusOK},
		{"check-in of no candidate", inv, "POST", "/api/sittings/s1/candidates/zz/checkin", "", http.StatusNotFound},
		{"health", anon, "GET", "/healthz", "", http.StatusOK},
		{"ready", anon, "GET", "/readyz", "", http.StatusOK},
		{"metrics to nobody", anon, "GET", "/metrics", "", http.StatusUnauthorized},
		{"metrics to an invigilator", inv, "GET", "/metrics", "", http.StatusForbidden},
		{"metrics to an administrator", adm, "GET", "/metrics", "", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, body := tc.c.Do(tc.method, tc.path, tc.body); got != tc.want {
				t.Fatalf("%s %s: %d %s, want %d", tc.method, tc.path, got, body, tc.want)
			}
		})
	}
	if st, _ := anon.Do("POST", "/api/login", `{"code":"WRONG-CODE-XYZ"}`); st != http.StatusUnauthorized {
		t.Fatalf("wrong staff code: %d", st)
	}
}

func TestPageRedirectsToSignIn(t *testing.T) {
	srv := newServer(t)
	req, _ := http.NewRequest("GET", srv.URL()+"/api/sittings/s1", nil)
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

// TestPageRevalidates: a page is revalidated on every load and costs a
// 304 while unchanged; its template is not served under /static/.
func TestPageRevalidates(t *testing.T) {
	srv := newServer(t)
	c := srv.Client(t, "")
	resp, err := c.HTTP.Get(srv.URL() + "/test")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-cache" || etag == "" ||
		!strings.HasPrefix(string(body), "<!doctype html>") || !strings.Contains(string(body), `<script type="module" src="/static/candidate.js"></script>`) {
		t.Fatalf("GET /test: %d, Cache-Control %q, ETag %q, %.200q", resp.StatusCode, resp.Header.Get("Cache-Control"), etag, body)
	}
	req, _ := http.NewRequest("GET", srv.URL()+"/test", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("GET /test unchanged: %d, want 304", resp.StatusCode)
	}
	for _, path := range []string{"/static/candidate.html", "/static/head.html"} {
		if st, _ := c.Do("GET", path, ""); st != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, st)
		}
	}
	if st, _ := c.Do("GET", "/static/candidate.js", ""); st != http.StatusOK {
		t.Errorf("GET /static/candidate.js: %d", st)
	}
}

func TestLoginNeedsJSON(t *testing.T) {
	srv := newServer(t)
	resp, err := http.Post(srv.URL()+"/api/login", "application/x-www-form-urlencoded", strings.NewReader("code=STAFF-INV-3H8W"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("form-encoded login: %d, want 415 (a cross-site form cannot sign in)", resp.StatusCode)
	}
}

func TestSittingSummaryHoldsNoAnswers(t *testing.T) {
	srv := newServer(t)
	eng := srv.Engine
	p := &enginetest.NopPeer{}
	id, err := eng.Join(context.Background(), "TEST-ONE-7K2M", p)
	if err != nil {
		t.Fatal(err)
	}
	inv := srv.Client(t, "STAFF-INV-3H8W")
	inv.Do("POST", "/api/sittings/s1/release", "")
	eng.Handle(context.Background(), id, p, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	_, body := inv.Do("GET", "/api/sittings/s1", "")
	if !strings.Contains(body, `"answered":1`) || strings.Contains(body, `"b"`) || strings.Contains(body, "options") {
		t.Fatalf("summary %s: want the count of answers and no answer content", body)
	}
}

// TestSessionCookieSecure: the session cookie is Secure over TLS, and over
// plain HTTP when the server is told a proxy terminates TLS.
func TestSessionCookieSecure(t *testing.T) {
	lib, st := webtest.Library(t, "../engine/testdata/lib"), webtest.Bolt(t)
	eng := engine.New(engine.Config{Library: lib, Store: st})
	t.Cleanup(func() { eng.Close() })
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
			h := webtest.Server(t, web.Config{Engine: eng, Library: lib, Store: st, SecureCookies: tc.behind})
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

// TestEveryPageHasItsIcon: every page names the one icon, which is served,
// so no browser asks for a missing /favicon.ico on each page.
func TestEveryPageHasItsIcon(t *testing.T) {
	srv := newServer(t)
	c := srv.Client(t, "STAFF-ADM-8R4P") // an administrator opens every page
	for _, path := range []string{"/", "/test", "/signin", "/mark", "/invigilate", "/psychometrics", "/lead", "/audit"} {
		if st, body := c.Do("GET", path, ""); st != http.StatusOK || !strings.Contains(body, `<link rel="icon" href="/static/favicon.svg"`) {
			t.Errorf("GET %s: %d, names no icon", path, st)
		}
	}
	resp, err := c.HTTP.Get(srv.URL() + "/static/favicon.svg")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/svg+xml") {
		t.Errorf("icon: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestTimeZone: every page names the configured zone for its times, and a
// zone the machine does not know is refused at start.
func TestTimeZone(t *testing.T) {
	n := webtest.NewNode(t, webtest.Options{
		Library: webtest.Library(t, "../engine/testdata/lib"),
		Web:     web.Config{TimeZone: "America/St_Johns"},
	})
	for _, path := range []string{"/", "/test", "/signin", "/portal"} {
		_, body := n.Client(t, "").Do("GET", path, "")
		if !strings.Contains(body, `<meta name="accredit-time-zone" content="America/St_Johns">`) {
			t.Errorf("%s does not name the centres' zone:\n%.400s", path, body)
		}
	}
	if _, body := n.Client(t, "STAFF-INV-3H8W").Do("GET", "/api/me", ""); !strings.Contains(body, `"time_zone":"America/St_Johns"`) {
		t.Errorf("/api/me: %s", body)
	}
	if _, err := web.New(web.Config{TimeZone: "Mars/Olympus_Mons"}); err == nil || !strings.Contains(err.Error(), "Mars/Olympus_Mons") {
		t.Errorf("an unknown zone gives %v", err)
	}
}
