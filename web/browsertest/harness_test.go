package browsertest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web/webtest"
)

// Fixtures of engine/testdata/lib.
const (
	codeOne   = "TEST-ONE-7K2M" // candidate c1, no accommodation
	staffCode = "STAFF-INV-3H8W"
	sittingID = "s1"
	itemCount = 4
	timeLimit = 30 * time.Minute
)

// start is the fake clock's first reading: the sitting's scheduled time.
var start = webtest.Start

// harness is one in-process Accredit server with a fake clock, and a gate
// that can cut every connection to it as a network failure would.
type harness struct {
	t     *testing.T
	clock *clock.Fake
	lib   *content.Library
	eng   *engine.Engine
	store store.Store
	srv   *httptest.Server

	mu    sync.Mutex // protects conns, down
	conns map[net.Conn]bool
	down  bool
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, nil)
}

// newHarnessWith is newHarness with the engine's store wrapped by wrap (a
// store that fails or stalls); h.store stays the bolt store beneath.
func newHarnessWith(t *testing.T, wrap func(store.Store) store.Store) *harness {
	t.Helper()
	h := &harness{t: t, clock: clock.NewFake(start), conns: map[net.Conn]bool{}}
	n := webtest.NewNode(t, webtest.Options{
		Library: webtest.Library(t, "../../engine/testdata/lib"),
		// A fixed shuffle seed: the same delivery order on every run.
		Engine:      engine.Config{Clock: h.clock, Seed: func() uint64 { return 7 }},
		EngineStore: wrap,
		Wrap:        h.gate,
		Unstarted:   true,
	})
	h.lib, h.eng, h.store, h.srv = n.Library, n.Engine, n.Store, n.HTTP
	h.srv.Listener = &trackingListener{Listener: h.srv.Listener, h: h}
	h.srv.Start()
	t.Cleanup(func() {
		h.srv.CloseClientConnections()
		h.cutAll()
	})
	return h
}

// gate refuses new candidate connections while the network is down.
func (h *harness) gate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		down := h.down
		h.mu.Unlock()
		if down {
			http.Error(w, "network down", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// networkDown cuts every open connection, including upgraded WebSockets
// that httptest no longer tracks, and refuses new ones until networkUp.
func (h *harness) networkDown() {
	h.mu.Lock()
	h.down = true
	h.mu.Unlock()
	h.cutAll()
}

func (h *harness) networkUp() {
	h.mu.Lock()
	h.down = false
	h.mu.Unlock()
}

func (h *harness) cutAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.conns {
		c.Close()
	}
	clear(h.conns)
}

type trackingListener struct {
	net.Listener
	h *harness
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.h.mu.Lock()
	l.h.conns[c] = true
	l.h.mu.Unlock()
	return c, nil
}

// attempt returns candidate c1's attempt as the engine holds it.
func (h *harness) attempt() *engine.Attempt {
	h.t.Helper()
	a, _, err := h.eng.Attempt(context.Background(), engine.AttemptID(sittingID, "c1"))
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// newBrowser starts a fresh headless Chromium and returns a tab's context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return chromium.New(t, 1280, 900)
}

// newTab opens a second tab in the browser of ctx.
func newTab(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	// The first Run opens the tab; it must not carry a step's timeout,
	// which would close the tab when it ends.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return tab
}

// listen collects what say reads from each event of type E that the tab of
// ctx sends from now on; the function returned gives what has come so far.
func listen[E any](t *testing.T, ctx context.Context, say func(E) string) (heard func() []string) {
	t.Helper()
	var mu sync.Mutex // protects got
	var got []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(E); ok {
			mu.Lock()
			got = append(got, say(e))
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

// within bounds one step: a condition that does not come true fails the
// test instead of hanging it.
const stepTimeout = 10 * time.Second

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%v\npage: %s", err, pageState(ctx))
	}
}

// enterCode opens url, types code into its #code field and presses the
// button that submit selects.
func enterCode(url, code, submit string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Click(chromedp.CSS(submit)),
	)
}

// eval evaluates js in the page; a promise is awaited.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// waitFor waits until the JavaScript condition holds in the page.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(sctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s: %v\npage: %s", cond, err, pageState(ctx))
	}
}

// pageState describes the page for a failure message.
func pageState(ctx context.Context) string {
	sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ''`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return strings.Join(strings.Fields(s), " ")
}

// screenshot saves a PNG of the page into the test's directory and, when
// ACCREDIT_SCREENSHOTS is a directory, there too.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dirs := []string{t.TempDir()}
	if d := os.Getenv("ACCREDIT_SCREENSHOTS"); d != "" {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			dirs = append(dirs, d)
		}
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
