package webtest

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

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
)

// Start is the scheduled time of sitting s1 of engine/testdata/lib: the
// first reading of the tests' fake clocks.
var Start = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// Library loads the content in dir, such as engine/testdata/lib.
func Library(t testing.TB, dir string) *content.Library {
	t.Helper()
	lib, err := content.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// Demo loads the demo content and role-play model that accredit serve
// --demo serves.
func Demo(t testing.TB) (*content.Library, *roleplay.Model) {
	t.Helper()
	lib, err := content.Load(content.Demo())
	if err != nil {
		t.Fatal(err)
	}
	model, err := roleplay.Load(roleplay.Demo())
	if err != nil {
		t.Fatal(err)
	}
	return lib, model
}

// Bolt opens a fresh bolt store in a temporary directory.
func Bolt(t testing.TB) *bolt.Store {
	t.Helper()
	return BoltAt(t, filepath.Join(t.TempDir(), "s.db"))
}

// BoltAt opens the bolt store at path, closed when the test ends.
func BoltAt(t testing.TB, path string) *bolt.Store {
	t.Helper()
	st, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Server returns a web.Server for cfg, closed when the test ends.
func Server(t testing.TB, cfg web.Config) *web.Server {
	t.Helper()
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// Options says how a Node is wired. Each config is used as given, but for
// the parts the node fills in: its library, store, engine and marking
// service.
type Options struct {
	Library *content.Library
	Store   store.Store // nil: Bolt(t)
	Engine  engine.Config
	// EngineStore, if set, wraps the store the engine alone uses (a store
	// that fails or stalls); the server and marking keep the store beneath.
	EngineStore func(store.Store) store.Store
	// Marking, when its Model is set, is served live, its assessors signing
	// in through the server.
	Marking marking.Config
	Web     web.Config
	// Wrap, if set, wraps the server's handler in the httptest server.
	Wrap func(http.Handler) http.Handler
	// Unstarted leaves the httptest server for the test to start.
	Unstarted bool
}

// Node is one engine node: an engine, recovered from its store, with its
// marking service (nil without a model) and server, behind an httptest
// server.
type Node struct {
	Library *content.Library
	Store   store.Store
	Engine  *engine.Engine
	Marking *marking.Service
	Server  *web.Server
	HTTP    *httptest.Server
}

// NewNode builds and starts a node as o says.
func NewNode(t testing.TB, o Options) *Node {
	t.Helper()
	n := &Node{Library: o.Library, Store: o.Store}
	if n.Store == nil {
		n.Store = Bolt(t)
	}
	ec := o.Engine
	ec.Library, ec.Store = n.Library, n.Store
	if o.EngineStore != nil {
		ec.Store = o.EngineStore(n.Store)
	}
	if o.Web.Programme != nil && ec.Roster == nil {
		ec.Roster = engine.Rosters(engine.LibraryRoster(n.Library), results.DeliveryRoster(o.Web.Programme))
	}
	n.Engine = engine.New(ec)
	t.Cleanup(func() { n.Engine.Close() })
	if err := n.Engine.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if o.Marking.Model != nil {
		mc := o.Marking
		mc.Store = n.Store
		mc.Identify = func(r *http.Request, code string) (string, error) { return n.Server.Assessor(r, code) }
		n.Marking = marking.New(mc)
		t.Cleanup(func() { n.Marking.Close() })
	}
	wc := o.Web
	wc.Engine, wc.Library, wc.Store, wc.Marking = n.Engine, n.Library, n.Store, n.Marking
	n.Server = Server(t, wc)
	var h http.Handler = n.Server
	if o.Wrap != nil {
		h = o.Wrap(h)
	}
	n.HTTP = httptest.NewUnstartedServer(h)
	t.Cleanup(n.HTTP.Close)
	if !o.Unstarted {
		n.HTTP.Start()
	}
	return n
}

// URL is the started node's base URL.
func (n *Node) URL() string { return n.HTTP.URL }

// Client is an HTTP client of a node with a cookie jar of its own: one
// person's browser.
type Client struct {
	t    testing.TB
	base string
	HTTP *http.Client
}

// Client returns a client signed in with code through the JSON login, or
// not signed in for "".
func (n *Node) Client(t testing.TB, code string) *Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &Client{t: t, base: n.URL(), HTTP: &http.Client{Jar: jar}}
	if code != "" {
		if st, body := c.Do("POST", "/api/login", `{"code":"`+code+`"}`); st != http.StatusOK {
			t.Fatalf("login %s: %d %s", code, st, body)
		}
	}
	return c
}

// Do sends a request, with a JSON body unless body is "", and returns the
// status and the body of the answer.
func (c *Client) Do(method, path, body string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// DemoNode serves the demo content and role-play model with live marking,
// as accredit serve --demo does, on a fake clock five minutes into slot 1
// of the demo practitioner circuit. change, if set, changes the model
// first.
func DemoNode(t testing.TB, change func(*roleplay.Model)) *Node {
	t.Helper()
	lib, model := Demo(t)
	if change != nil {
		change(model)
	}
	clk := clock.NewFake(model.Circuits[roleplay.DemoPractitionerCircuit].Start.Add(5 * time.Minute))
	return NewNode(t, Options{
		Library: lib,
		Engine:  engine.Config{Clock: clk},
		Marking: marking.Config{Model: model, Clock: clk},
		Web:     web.Config{Clock: clk},
	})
}
