package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web/webtest"
)

// TestCandidateAssets: an image of rich text (or the stylesheet of an item
// or a case) is served to a candidate of the form that shows it while their
// attempt is in progress, and to no one else: not before the release, not with a wrong code, not to a candidate
// of another form, and nothing that is not one of the form's images.
func TestCandidateAssets(t *testing.T) {
	n := webtest.NewNode(t, webtest.Options{Library: webtest.QTILibrary(t), Engine: engine.Config{Clock: clock.NewFake(webtest.Start)}})
	ctx := context.Background()
	get := func(path, code string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, n.HTTP.URL+path, nil)
		if code != "" {
			req.Header.Set("X-Access-Code", code)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	const img = "/api/candidate/assets/img/genogram-small.png"
	const sheet = "/api/candidate/assets/styles/chronology.css"
	const caseSheet = "/api/candidate/assets/styles/visit-notes.css"
	for _, code := range []string{webtest.QTICandidateCode, webtest.QTIOtherCode} {
		if _, err := n.Engine.Join(ctx, code, enginetest.NopPeer{}); err != nil {
			t.Fatal(err)
		}
	}
	if res, _ := get(img, webtest.QTICandidateCode); res.StatusCode != http.StatusForbidden {
		t.Errorf("before the release: %s, want 403", res.Status)
	}
	for _, s := range []string{"qs1", "os1"} {
		if err := n.Engine.Release(ctx, s, "inv1"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, path, code string
		status           int
	}{
		{"own form's image", img, webtest.QTICandidateCode, http.StatusOK},
		{"code typed loosely", img, "test qti 4h7m", http.StatusOK},
		{"no code", img, "", http.StatusUnauthorized},
		{"wrong code", img, "TEST-QTI-4H7X", http.StatusUnauthorized},
		{"another form's candidate", img, webtest.QTIOtherCode, http.StatusNotFound},
		{"another form's image", "/api/candidate/assets/other/chart.png", webtest.QTICandidateCode, http.StatusNotFound},
		{"the other candidate's own", "/api/candidate/assets/other/chart.png", webtest.QTIOtherCode, http.StatusOK},
		{"a content file", "/api/candidate/assets/../items/qti.json", webtest.QTICandidateCode, http.StatusNotFound},
		{"an encoded escape", "/api/candidate/assets/img%2F..%2F..%2Fstaff.json", webtest.QTICandidateCode, http.StatusNotFound},
		{"own form's stylesheet", sheet, webtest.QTICandidateCode, http.StatusOK},
		{"another form's candidate, stylesheet", sheet, webtest.QTIOtherCode, http.StatusNotFound},
		{"stylesheet, wrong code", sheet, "TEST-QTI-4H7X", http.StatusUnauthorized},
		{"own form's case stylesheet", caseSheet, webtest.QTICandidateCode, http.StatusOK},
		{"another form's candidate, case stylesheet", caseSheet, webtest.QTIOtherCode, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(tc.path, tc.code)
			if res.StatusCode != tc.status {
				t.Fatalf("%s: %s %s, want %d", tc.path, res.Status, body, tc.status)
			}
			if tc.status != http.StatusOK {
				return
			}
			h := res.Header
			typ := "image/png"
			if tc.path == sheet || tc.path == caseSheet {
				typ = "text/css; charset=utf-8"
			}
			if h.Get("Content-Type") != typ || h.Get("Cache-Control") != "no-store" ||
				h.Get("Content-Security-Policy") != "default-src 'none'; sandbox" || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", h)
			}
			if tc.path == sheet {
				// The sheet is sent scoped, never as the tree holds it.
				const first = `.rich[data-styles~="styles/chronology.css"] .rc-qti-layout-row { display: flex; gap: 1em; }` + "\n"
				if !strings.HasPrefix(string(body), first) || strings.Contains(string(body), "url(") {
					t.Errorf("sheet %s", body)
				}
				return
			}
			if tc.path == caseSheet {
				const first = `.rich[data-styles~="styles/visit-notes.css"] .rc-visit-date { font-weight: 700; }` + "\n"
				if !strings.HasPrefix(string(body), first) {
					t.Errorf("case sheet %s", body)
				}
				return
			}
			if string(body[:8]) != "\x89PNG\r\n\x1a\n" {
				t.Errorf("body is not the PNG: %q", body[:8])
			}
		})
	}
}
