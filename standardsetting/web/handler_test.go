package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"
)

var fixed = time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)

// newServer serves a handler over a directory holding the reference files
// of ../testdata (05_standard_setting.R, R 4.2.2) and returns it with the
// directory.
func newServer(t *testing.T, who string) (*httptest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"angoff_panelA.csv", "angoff_panelB.csv", "scores.csv", "responses.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h, err := New(Config{Dir: dir, Who: func(*http.Request) string { return who }, Now: func() time.Time { return fixed }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/standard", h))
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
	srv, _ := newServer(t, "")
	for path, want := range map[string]string{"/standard/": "Standard setting", "/standard/app.js": "api(\"angoff?", "/standard/style.css": "side-by-side"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, lacks %q", path, resp.StatusCode, want)
		}
		if strings.Contains(string(b), "src=\"http") || strings.Contains(string(b), "href=\"http") {
			t.Errorf("%s loads from another origin", path)
		}
	}
}

// Expected values: 05_results.txt, "[Two panels]", "[SEM]", "[Impact]".
func TestAngoffAndImpactEndpoints(t *testing.T) {
	srv, _ := newServer(t, "")
	files := get(t, srv.URL+"/standard/api/files", 200)["files"].([]any)
	if len(files) != 4 {
		t.Errorf("files %v", files)
	}
	m := get(t, srv.URL+"/standard/api/angoff?panel=angoff_panelA.csv&panel=angoff_panelB.csv&scores=scores.csv&responses=responses.csv&k=-1", 200)
	panels := m["panels"].([]any)
	near(t, "panel A cut", panels[0].(map[string]any)["cut"], 11.95875)
	near(t, "panel B se", panels[1].(map[string]any)["se"], 0.1765234948)
	near(t, "reconciled", m["reconciled"].(map[string]any)["cut"], 11.4188596355)
	near(t, "z", m["agreement"].(map[string]any)["z"], 1.2767653835)
	near(t, "operational", m["operational"].(map[string]any)["cut"], 10)

	im := get(t, srv.URL+"/standard/api/impact?scores=scores.csv&cut=11.4188596355&k=-1&sem=2.3923707544", 200)
	near(t, "applied", im["applied"], 10)
	near(t, "pass rate", im["pass_rate"], 0.75)
	im = get(t, srv.URL+"/standard/api/impact?scores=scores.csv&cut=16.2", 200)
	near(t, "applied +0", im["applied"], 17)
	near(t, "pass rate +0", im["pass_rate"], 0.35)
}

func TestEndpointErrors(t *testing.T) {
	srv, dir := newServer(t, "")
	if err := os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(",i1,i2\nJ1,0.5,2\nJ2,0.1,0.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path     string
		code     int
		contains string
	}{
		{"/standard/api/angoff?panel=../angoff_panelA.csv", 400, "plain name"},
		{"/standard/api/angoff?panel=absent.csv", 404, "absent.csv"},
		{"/standard/api/angoff?panel=bad.csv&panel=angoff_panelA.csv", 400, "bad.csv, row 2"},
		{"/standard/api/angoff", 400, "panel"},
		{"/standard/api/impact?scores=scores.csv", 400, "cut"},
		{"/standard/api/impact?scores=scores.csv&cut=NaN", 400, "finite"},
		{"/standard/api/angoff?panel=angoff_panelA.csv&panel=angoff_panelB.csv&rule=median", 400, "rule"},
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
	anon, _ := newServer(t, "")
	if code, _ := post(t, anon.URL+"/standard/api/decision", `{"element":"knowledge","method":"angoff","cut":10}`); code != http.StatusForbidden {
		t.Errorf("anonymous decision: %d, want 403", code)
	}
	srv, dir := newServer(t, "Dr Ward")
	body := `{"element":"knowledge","method":"angoff","panels":["angoff_panelA.csv","angoff_panelB.csv"],"k":-1,"cut":10,"note":"benefit of the doubt"}`
	code, d := post(t, srv.URL+"/standard/api/decision", body)
	if code != http.StatusCreated || d["who"] != "Dr Ward" || d["at"] != "2026-03-02T14:30:00Z" {
		t.Fatalf("record: %d %v", code, d)
	}
	// who and at come from the server, never from the request.
	code, d = post(t, srv.URL+"/standard/api/decision", `{"element":"roleplay","method":"borderline-regression","cut":29,"who":"someone else"}`)
	if code != http.StatusBadRequest {
		t.Errorf("request naming who: %d %v, want 400", code, d)
	}
	if code, _ := post(t, srv.URL+"/standard/api/decision", `{"method":"angoff","cut":10}`); code != http.StatusBadRequest {
		t.Errorf("decision without element: %d", code)
	}
	post(t, srv.URL+"/standard/api/decision", `{"element":"roleplay","method":"borderline-regression","cut":29}`)
	b, err := os.ReadFile(filepath.Join(dir, DecisionFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"who":"Dr Ward"`) || !strings.Contains(lines[1], `"roleplay"`) {
		t.Errorf("decision file:\n%s", b)
	}
	list := get(t, srv.URL+"/standard/api/decisions", 200)["decisions"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["note"] != "benefit of the doubt" {
		t.Errorf("decisions %v", list)
	}
}
