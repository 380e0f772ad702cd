package web_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
)

// TestSignInGuard: after 30 wrong staff codes from one address even a
// right one is refused, with a clear message, until a try is regained; the
// assessor's tablet sign-in counts against the same address.
func TestSignInGuard(t *testing.T) {
	lib, err := content.LoadDir("../engine/testdata/lib")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(filepath.Join(t.TempDir(), "g.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	eng := engine.New(engine.Config{Library: lib, Store: store, Clock: clk})
	defer eng.Close()
	srv := mustNew(t, web.Config{Engine: eng, Library: lib, Store: store, Clock: clk})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c := newClient(t, hs, "")
	for i := range 30 {
		if st, body := c.do("POST", "/api/login", `{"code":"STAFF-NONE-4F4F"}`); st != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d %s", i, st, body)
		}
	}
	st, body := c.do("POST", "/api/login", `{"code":"`+lib.Staff[0].Code+`"}`)
	if st != http.StatusTooManyRequests || body != `{"error":"too many wrong codes from this address: wait a minute, then try again"}`+"\n" {
		t.Fatalf("right code after 30 wrong: %d %s", st, body)
	}
	// The tablet page's sign-in from the same address is refused too.
	r := &http.Request{RemoteAddr: "127.0.0.1:40000", Header: http.Header{}}
	if _, err := srv.Assessor(r, lib.Staff[0].Code); err == nil || err.Error() != "too many wrong codes from this address: wait a minute, then try again" {
		t.Fatalf("assessor sign-in: %v", err)
	}
	// Another address is not affected.
	r.RemoteAddr = "192.0.2.9:40000"
	if _, err := srv.Assessor(r, "STAFF-NONE-4F4F"); err == nil || err.Error() != "no assessor has that code" {
		t.Fatalf("another address: %v", err)
	}
	clk.Advance(2 * time.Second)
	if st, body := c.do("POST", "/api/login", `{"code":"`+lib.Staff[0].Code+`"}`); st != http.StatusOK {
		t.Fatalf("right code once a try is regained: %d %s", st, body)
	}
}
