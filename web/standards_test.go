package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/internal/clock"
)

var fixed = time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)

// newServer serves the standard-setting endpoints over a directory holding
// the reference files of ../standardsetting/testdata (Angoff panels and
// scores whose expected results were computed in base R 4.2.2), with decisions in a bolt store, and returns it with the store.
func newServer(t *testing.T, who string) (*httptest.Server, store.Store, string) {
	t.Helper()
	st := bolttest.Open(t)
	srv, dir := serveStandards(t, st, who)
	return srv, st, dir
}

// serveStandards serves the standard-setting endpoints over a fresh copy
// of the reference files, recording decisions in st.
func serveStandards(t *testing.T, st store.Store, who string) (*httptest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"angoff_panelA.csv", "angoff_panelB.csv", "scores.csv", "responses.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "standardsetting", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h, err := newStandards(dir, st, clock.NewFake(fixed), func(*http.Request) string { return who })
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.routes(mux.Handle, func(f http.HandlerFunc) http.Handler { return f })
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { srv.Close(); h.Close() })
	return srv, dir
}

func get(t *testing.T, url string, wantCode int) map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantCode {
		t.Fatalf("GET %s: %d %s, want %d", url, resp.StatusCode, body, wantCode)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
	return m
}

func near(t *testing.T, name string, got any, want float64) {
	t.Helper()
	g, ok := got.(float64)
	if !ok || !scalar.EqualWithinAbsOrRel(g, want, 1e-6, 1e-6) {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

func TestPageEmbedded(t *testing.T) {
	for name, want := range map[string]string{"standards.html": "Standard setting", "standards.js": "api(\"angoff?", "standards.css": "side-by-side"} {
		b, err := fs.ReadFile(staticFS(), name)
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v, lacks %q", name, err, want)
		}
	}
}

func TestAngoffAndImpactEndpoints(t *testing.T) {
	srv, _, _ := newServer(t, "")
	files := get(t, srv.URL+"/standards/api/files", 200)["files"].([]any)
	if len(files) != 4 {
		t.Errorf("files %v", files)
	}
	m := get(t, srv.URL+"/standards/api/angoff?panel=angoff_panelA.csv&panel=angoff_panelB.csv&scores=scores.csv&responses=responses.csv&k=-1", 200)
	panels := m["panels"].([]any)
	near(t, "panel A cut", panels[0].(map[string]any)["cut"], 11.95875)
	near(t, "panel B se", panels[1].(map[string]any)["se"], 0.1765234948)
	near(t, "reconciled", m["reconciled"].(map[string]any)["cut"], 11.4188596355)
	near(t, "z", m["agreement"].(map[string]any)["z"], 1.2767653835)
	near(t, "operational", m["operational"].(map[string]any)["cut"], 10)

	im := get(t, srv.URL+"/standards/api/impact?scores=scores.csv&cut=11.4188596355&k=-1&sem=2.3923707544", 200)
	near(t, "applied", im["applied"], 10)
	near(t, "pass rate", im["pass_rate"], 0.75)
	im = get(t, srv.URL+"/standards/api/impact?scores=scores.csv&cut=16.2", 200)
	near(t, "applied +0", im["applied"], 17)
	near(t, "pass rate +0", im["pass_rate"], 0.35)
}

func TestEndpointErrors(t *testing.T) {
	srv, _, dir := newServer(t, "")
	if err := os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(",i1,i2\nJ1,0.5,2\nJ2,0.1,0.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path     string
		code     int
		contains string
	}{
		{"/standards/api/angoff?panel=../angoff_panelA.csv", 400, "plain name"},
		{"/standards/api/angoff?panel=absent.csv", 404, "absent.csv"},
		{"/standards/api/angoff?panel=bad.csv&panel=angoff_panelA.csv", 400, "bad.csv, row 2"},
		{"/standards/api/angoff", 400, "panel"},
		{"/standards/api/impact?scores=scores.csv", 400, "cut"},
		{"/standards/api/impact?scores=scores.csv&cut=NaN", 400, "finite"},
		{"/standards/api/angoff?panel=angoff_panelA.csv&panel=angoff_panelB.csv&rule=median", 400, "rule"},
	}
	for _, tc := range tests {
		m := get(t, srv.URL+tc.path, tc.code)
		if msg, _ := m["error"].(string); !strings.Contains(msg, tc.contains) {
			t.Errorf("%s: error %q lacks %q", tc.path, msg, tc.contains)
		}
	}
}

func post(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestRecordDecision(t *testing.T) {
	anon, _, _ := newServer(t, "")
	if code, _ := post(t, anon.URL+"/standards/api/decision", `{"element":"knowledge","method":"angoff","cut":10}`); code != http.StatusForbidden {
		t.Errorf("anonymous decision: %d, want 403", code)
	}
	srv, st, _ := newServer(t, "Dr Ward")
	body := `{"element":"knowledge","method":"angoff","panels":["angoff_panelA.csv","angoff_panelB.csv"],"k":-1,"cut":10,"note":"benefit of the doubt"}`
	code, d := post(t, srv.URL+"/standards/api/decision", body)
	if code != http.StatusCreated || d["who"] != "Dr Ward" || d["at"] != "2026-03-02T14:30:00Z" {
		t.Fatalf("record: %d %v", code, d)
	}
	// who and at come from the server, never from the request.
	code, d = post(t, srv.URL+"/standards/api/decision", `{"element":"roleplay","method":"borderline-regression","cut":29,"who":"someone else"}`)
	if code != http.StatusBadRequest {
		t.Errorf("request naming who: %d %v, want 400", code, d)
	}
	if code, _ := post(t, srv.URL+"/standards/api/decision", `{"method":"angoff","cut":10}`); code != http.StatusBadRequest {
		t.Errorf("decision without element: %d", code)
	}
	post(t, srv.URL+"/standards/api/decision", `{"element":"roleplay","method":"borderline-regression","cut":29}`)
	recs, err := st.Read(context.Background(), decisionsStream, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || !strings.Contains(string(recs[0]), `"who":"Dr Ward"`) || !strings.Contains(string(recs[1]), `"roleplay"`) {
		t.Errorf("decisions stored: %q", recs)
	}
	list := get(t, srv.URL+"/standards/api/decisions", 200)["decisions"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["note"] != "benefit of the doubt" {
		t.Errorf("decisions %v", list)
	}
}

// TestDecisionsShared: decisions are programme state in the store, so a
// second node on the same store lists what the first recorded, and they
// outlive a restart; on the embedded store and on Redis.
func TestDecisionsShared(t *testing.T) {
	backends := map[string]func(t *testing.T) (open func() store.Store){
		"bolt": func(t *testing.T) func() store.Store {
			path := filepath.Join(t.TempDir(), "s.db")
			return func() store.Store {
				st, err := bolt.Open(path, bolt.Options{})
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
		},
		"redis": func(t *testing.T) func() store.Store {
			ro, opts := redistest.Options(t, redistest.Standalone)
			return func() store.Store {
				st, err := redis.Open(context.Background(), ro, opts)
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
		},
	}
	for name, backend := range backends {
		t.Run(name, func(t *testing.T) {
			open := backend(t)
			first := open()
			a, _ := serveStandards(t, first, "Dr Ward")
			if code, d := post(t, a.URL+"/standards/api/decision", `{"element":"knowledge","method":"angoff","cut":31}`); code != http.StatusCreated {
				t.Fatalf("record: %d %v", code, d)
			}
			if name == "redis" { // a second node on the same Redis
				b, _ := serveStandards(t, open(), "Dr Ward")
				if list := get(t, b.URL+"/standards/api/decisions", 200)["decisions"].([]any); len(list) != 1 {
					t.Errorf("another node lists %v", list)
				}
			}
			first.Close()
			again := open()
			t.Cleanup(func() { again.Close() })
			c, _ := serveStandards(t, again, "Dr Ward")
			list := get(t, c.URL+"/standards/api/decisions", 200)["decisions"].([]any)
			if len(list) != 1 || list[0].(map[string]any)["cut"] != 31.0 {
				t.Errorf("after a restart: %v", list)
			}
		})
	}
}
