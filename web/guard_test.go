package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// roomLibrary returns the test library with its staff replaced by n staff
// members, and their codes.
func roomLibrary(t *testing.T, n int) (*content.Library, []string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../engine/testdata/lib")); err != nil {
		t.Fatal(err)
	}
	staff := make([]content.Staff, n)
	codes := make([]string, n)
	for i := range staff {
		codes[i] = fmt.Sprintf("ROOM-%02d-X7QK", i)
		staff[i] = content.Staff{ID: fmt.Sprint("p", i), Name: fmt.Sprint("Person ", i), Role: content.RolePsychometrician, Code: codes[i]}
	}
	b, err := json.Marshal(staff)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "staff.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return webtest.Library(t, dir), codes
}

// TestSignInGuard, through the login endpoint, all from one address: a
// room of 60 people each mistyping their code three times (180 wrong codes
// before any right one) all get in; then a guesser from that address is
// stopped after 300 wrong codes, even a right code being refused, with a
// clear message, until a try is regained 12 seconds later; the assessor's
// tablet sign-in counts against the same address, and another address is
// not affected.
func TestSignInGuard(t *testing.T) {
	lib, codes := roomLibrary(t, 60)
	clk := clock.NewFake(webtest.Start)
	n := webtest.NewNode(t, webtest.Options{Library: lib, Engine: engine.Config{Clock: clk}, Web: web.Config{Clock: clk}})
	srv := n.Server
	c := n.Client(t, "")
	login := func(code string) (int, string) { return c.Do("POST", "/api/login", `{"code":"`+code+`"}`) }

	for i := range 60 {
		for j := range 3 {
			if st, body := login(fmt.Sprintf("ROOM-%02d-X7Q%d", i, j)); st != http.StatusUnauthorized {
				t.Fatalf("person %d, mistype %d: %d %s", i, j, st, body)
			}
		}
	}
	for i, code := range codes {
		if st, body := login(code); st != http.StatusOK {
			t.Fatalf("person %d's right code after the room's 180 mistypes: %d %s", i, st, body)
		}
	}

	for i := range 300 {
		if st, body := login("STAFF-NONE-4F4F"); st != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d %s", i, st, body)
		}
	}
	req, _ := http.NewRequest("POST", n.URL()+"/api/login", strings.NewReader(`{"code":"STAFF-NONE-4F4F"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "12" {
		t.Fatalf("after 300 wrong codes: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	st, body := login(codes[0])
	if st != http.StatusTooManyRequests || body != `{"error":"too many wrong codes from this address: wait a little (the answer says how long), then try again"}`+"\n" {
		t.Fatalf("right code after 300 wrong: %d %s", st, body)
	}
	// The tablet page's sign-in from the same address is refused too.
	r := &http.Request{RemoteAddr: "127.0.0.1:40000", Header: http.Header{}}
	if _, err := srv.Assessor(r, codes[0]); err == nil || err.Error() != "too many wrong codes from this address: wait a little (the answer says how long), then try again" {
		t.Fatalf("assessor sign-in: %v", err)
	}
	// Another address is not affected.
	r.RemoteAddr = "192.0.2.9:40000"
	if _, err := srv.Assessor(r, "STAFF-NONE-4F4F"); err == nil || err.Error() != "no assessor has that code" {
		t.Fatalf("another address: %v", err)
	}
	clk.Advance(12 * time.Second)
	if st, body := login(codes[0]); st != http.StatusOK {
		t.Fatalf("right code once a try is regained: %d %s", st, body)
	}
}
