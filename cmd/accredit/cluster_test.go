package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/store/redis/redistest"
)

// redisProc is a redis-server this test owns, so it can kill and restart it.
type redisProc struct {
	t    *testing.T
	dir  string
	port int
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *redisProc {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("ACCREDIT_REQUIRE_REDIS") == "1" {
			t.Fatal("redis-server is not installed; make test installs it")
		}
		t.Skip("redis-server is not installed; run make test")
	}
	r := &redisProc{t: t, dir: t.TempDir(), port: freePort(t)}
	r.start()
	t.Cleanup(func() { r.cmd.Process.Kill(); r.cmd.Wait() })
	return r
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (r *redisProc) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", fmt.Sprint(r.port), "--bind", "127.0.0.1", "--dir", r.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--logfile", filepath.Join(r.dir, "redis.log"))
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	c := goredis.NewClient(&goredis.Options{Addr: r.addr()})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(r.dir, "redis.log"))
			r.t.Fatalf("redis-server did not start:\n%s", log)
		}
		time.Sleep(20 * time.Millisecond) // waiting on an external process
	}
}

func (r *redisProc) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *redisProc) kill() {
	r.cmd.Process.Signal(syscall.SIGKILL)
	r.cmd.Wait()
}

// bigSitting writes a content directory: the test fixture with n candidates.
func bigSitting(t *testing.T, n int) (dir string, codes []string) {
	t.Helper()
	dir = t.TempDir()
	for _, sub := range []string{"items", "forms", "sittings"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
	}
	for _, f := range []string{"items/bank.json", "forms/f1.json", "staff.json"} {
		b, err := os.ReadFile(filepath.Join("../../engine/testdata/lib", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	var cs []string
	for i := range n {
		codes = append(codes, fmt.Sprintf("NODE-Q%dX-K7M", i))
		cs = append(cs, fmt.Sprintf(`{"id":"c%d","name":"Candidate %d","access_code":%q}`, i, i, codes[i]))
	}
	os.WriteFile(filepath.Join(dir, "sittings/s1.json"), []byte(`{"id":"s1","form":"f1","centre":"Test","scheduled":"2026-12-01T09:00:00Z","candidates":[`+strings.Join(cs, ",")+`]}`), 0o644)
	return dir, codes
}

// sitter is a candidate who remembers every acknowledged answer.
type sitter struct {
	code    string
	cd      *candidate
	seq     uint64
	items   []engine.ItemView
	acked   map[string][]string
	lastRem int64
	lastAt  time.Time
}

func (s *sitter) join(t *testing.T, n *node) engine.ServerMsg {
	cd, m := n.candidate(s.code)
	s.cd = cd
	if m.Type == engine.MsgAttempt {
		s.take(m)
	}
	return m
}

func (s *sitter) take(m engine.ServerMsg) {
	s.items = nil
	for _, sec := range m.Attempt.Sections {
		s.items = append(s.items, sec.Items...)
	}
	s.seq = max(s.seq, m.Attempt.LastSeq)
	s.lastRem, s.lastAt = *m.RemainingMS, time.Now()
}

// answer sets item i to its option k and returns the server's reply.
func (s *sitter) answer(i, k int) engine.ServerMsg {
	it := s.items[i%len(s.items)]
	opts := []string{it.Options[k%len(it.Options)].ID}
	s.seq++
	s.cd.send(engine.ClientMsg{Type: "answer", Seq: s.seq, Item: it.ID, Options: opts})
	m := s.cd.read()
	if m.Type == engine.MsgAck {
		s.acked[it.ID] = opts
		s.lastRem, s.lastAt = *m.RemainingMS, time.Now()
	} else {
		s.seq-- // not stored: the next answer reuses the number
	}
	return m
}

func (s *sitter) checkResumed(t *testing.T, m engine.ServerMsg, where string) {
	t.Helper()
	if m.Type != engine.MsgAttempt {
		t.Fatalf("%s: %s resumed with %+v", where, s.code, m)
	}
	for id, opts := range s.acked {
		if fmt.Sprint(m.Attempt.Answers[id]) != fmt.Sprint(opts) {
			t.Errorf("%s: %s item %s is %v, acknowledged %v", where, s.code, id, m.Attempt.Answers[id], opts)
		}
	}
	drop := time.Duration(s.lastRem-*m.RemainingMS) * time.Millisecond
	if diff := drop - time.Since(s.lastAt); diff > time.Second || diff < -time.Second {
		t.Errorf("%s: %s clock fell %v in %v", where, s.code, drop, time.Since(s.lastAt))
	}
}

// TestThreeNodesOnRedis runs three real engine nodes on one real
// redis-server: SIGKILL a node mid-sitting, restart Redis, and cut Redis
// off, and checks no acknowledged answer is lost and a staff session serves
// on every node.
func TestThreeNodesOnRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real processes")
	}
	rp := startRedis(t)
	bin := buildBinary(t)
	dir, codes := bigSitting(t, 6)
	store := fmt.Sprintf("redis://%s/0?prefix=%s", rp.addr(), redistest.Prefix("ft"))
	var nodes []*node
	for i := range 3 {
		nodes = append(nodes, startNode(t, bin, "--store", store, "--content", dir, "--node", fmt.Sprint("n", i)))
	}
	sitters := make([]*sitter, len(codes))
	for i, code := range codes {
		sitters[i] = &sitter{code: code, acked: map[string][]string{}}
		if m := sitters[i].join(t, nodes[i%3]); m.Type != engine.MsgWaiting {
			t.Fatalf("%s before release: %+v", code, m)
		}
	}
	inv := nodes[0].staffClient("STAFF-INV-3H8W")
	nodes[0].post(inv, "/api/sittings/s1/release", "")
	// Staff sessions live in Redis: signed in on node 0, known on node 1.
	tok := sessionToken(t, inv, nodes[0])
	if st, id := nodes[1].me(tok); st != http.StatusOK || id != "inv1" {
		t.Fatalf("node 1 /api/me with node 0's session: %d %q, want 200 inv1", st, id)
	}
	for _, s := range sitters { // each hears of the release on its own node
		m := s.cd.read()
		if m.Type != engine.MsgAttempt {
			t.Fatalf("%s after release: %+v", s.code, m)
		}
		s.take(m)
		for i := range 3 {
			if m := s.answer(i, i); m.Type != engine.MsgAck {
				t.Fatalf("%s answer: %+v", s.code, m)
			}
		}
	}

	// One live connection per attempt across nodes.
	moved := sitters[0]
	old := moved.cd
	moved.checkResumed(t, moved.join(t, nodes[2]), "moved to node 2")
	if m := old.read(); m.Type != engine.MsgClosing || m.Code != engine.CloseTakenOver {
		t.Fatalf("node 0's connection after the move: %+v", m)
	}

	// SIGKILL node 1: its candidates reconnect to node 2.
	nodes[1].kill()
	for i, s := range sitters {
		if i%3 != 1 {
			continue
		}
		s.checkResumed(t, s.join(t, nodes[2]), "after node 1 died")
		if m := s.answer(3, 1); m.Type != engine.MsgAck {
			t.Fatalf("%s after failover: %+v", s.code, m)
		}
	}

	// Restart Redis: AOF with fsync always keeps every acknowledged answer.
	rp.kill()
	rp.start()
	for _, s := range sitters[2:4] {
		for try := 0; ; try++ {
			m := s.answer(0, 2)
			if m.Type == engine.MsgAck {
				break
			}
			if m.Code != engine.CodeStore || try > 50 {
				t.Fatalf("%s after Redis restart: %+v", s.code, m)
			}
		}
	}
	for i, s := range sitters {
		s.checkResumed(t, s.join(t, nodes[[]int{0, 2}[i%2]]), "after Redis restart")
	}
	// The session outlived the Redis restart; signed out on node 2, node 0
	// refuses it.
	if st, id := nodes[2].me(tok); st != http.StatusOK || id != "inv1" {
		t.Fatalf("node 2 /api/me after Redis restart: %d %q, want 200 inv1", st, id)
	}
	nodes[2].signOut(tok)
	if st, _ := nodes[0].me(tok); st != http.StatusUnauthorized {
		t.Fatalf("node 0 /api/me after signing out on node 2: %d, want 401", st)
	}

	// Redis gone: a node refuses to acknowledge what it cannot store.
	rp.kill()
	s := sitters[5]
	if m := s.answer(1, 1); m.Type != engine.MsgError || m.Code != engine.CodeStore {
		t.Fatalf("with Redis down: %+v, want error %d", m, engine.CodeStore)
	}
	// ...and cannot tell whether a session is live: 503, not 401, so a
	// staff page retries rather than send its user to sign in.
	if st, _ := nodes[0].me(tok); st != http.StatusServiceUnavailable {
		t.Fatalf("/api/me with Redis down: %d, want 503", st)
	}
}

// sessionToken returns the staff session token that c holds for n.
func sessionToken(t *testing.T, c *http.Client, n *node) string {
	t.Helper()
	for _, ck := range c.Jar.Cookies(&url.URL{Scheme: "http", Host: n.addr}) {
		if ck.Name == "accredit_session" {
			return ck.Value
		}
	}
	t.Fatal("no staff session cookie")
	return ""
}

// withSession sends a request with no body to path on n, in the staff
// session tok; the caller closes the response body.
func (n *node) withSession(method, path, tok string) *http.Response {
	n.t.Helper()
	req, _ := http.NewRequest(method, "http://"+n.addr+path, nil)
	req.AddCookie(&http.Cookie{Name: "accredit_session", Value: tok})
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	return resp
}

// me asks n who the session tok belongs to: the status and the staff ID.
func (n *node) me(tok string) (int, string) {
	n.t.Helper()
	resp := n.withSession("GET", "/api/me", tok)
	defer resp.Body.Close()
	var me struct {
		ID string `json:"id"`
	}
	json.NewDecoder(resp.Body).Decode(&me)
	return resp.StatusCode, me.ID
}

// signOut ends the session tok through n.
func (n *node) signOut(tok string) {
	n.t.Helper()
	resp := n.withSession("POST", "/api/logout", tok)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		n.t.Fatalf("sign out: %s", resp.Status)
	}
}
