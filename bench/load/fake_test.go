package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine"
)

// fakeNode is a small model of an engine node for testing the simulated
// candidates' protocol handling: it stores answers and flags under the
// rules of docs/protocol.md, and refuses frames on a fixed schedule: every
// rateEvery-th answer or flag is dropped for the rate (103), every
// storeEvery-th is refused with 501, every other one of those stored all
// the same (a write that landed late), and forget, if set, is the seq from
// which answers are acknowledged without being stored (lost answers).
// Served as several nodes sharing its attempts (newFakeCluster), node
// dieNode dies after frame dieAfter, if set: it closes every connection
// and refuses new ones.
type fakeNode struct {
	rateEvery, storeEvery int
	forget                uint64
	dieNode, dieAfter     int

	mu       sync.Mutex // protects everything below
	frames   int
	stores   int // 501s given
	dead     map[int]bool
	conns    map[*websocket.Conn]int // the node of each connection
	released bool
	wake     chan struct{}
	attempts map[string]*fakeAttempt
}

type fakeAttempt struct {
	answers   map[string][]string
	flags     []string
	last      uint64
	stored    map[uint64]engine.ClientMsg
	submitted bool
}

var fakeItems = []string{"K-1", "K-2", "K-3", "K-4", "K-5"}

func newFakeNode(rateEvery, storeEvery int, forget uint64) *httptest.Server {
	return newFake(&fakeNode{rateEvery: rateEvery, storeEvery: storeEvery, forget: forget})
}

// newFake serves f as one node, filling in its state.
func newFake(f *fakeNode) *httptest.Server {
	f.wake, f.attempts, f.conns, f.dead = make(chan struct{}), map[string]*fakeAttempt{}, map[*websocket.Conn]int{}, map[int]bool{}
	return f.serve(0)
}

// newFakeCluster serves f as n nodes.
func newFakeCluster(f *fakeNode, n int) []*httptest.Server {
	srv := []*httptest.Server{newFake(f)}
	for i := 1; i < n; i++ {
		srv = append(srv, f.serve(i))
	}
	return srv
}

func (f *fakeNode) serve(node int) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("POST /api/sittings/{id}/release", func(http.ResponseWriter, *http.Request) {
		f.mu.Lock()
		f.released = true
		close(f.wake)
		f.mu.Unlock()
	})
	mux.HandleFunc("/ws/candidate", func(w http.ResponseWriter, r *http.Request) { f.serveWS(w, r, node) })
	return httptest.NewServer(mux)
}

func (f *fakeNode) serveWS(w http.ResponseWriter, r *http.Request, node int) {
	f.mu.Lock()
	dead := f.dead[node]
	f.mu.Unlock()
	if dead {
		http.Error(w, "dead", http.StatusServiceUnavailable)
		return
	}
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.mu.Lock()
	f.conns[c] = node
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
		c.Close()
	}()
	var hello engine.ClientMsg
	if c.ReadJSON(&hello) != nil {
		return
	}
	c.WriteJSON(map[string]any{"type": "welcome", "v": 1})
	f.mu.Lock()
	a := f.attempts[hello.Code]
	if a == nil {
		a = &fakeAttempt{answers: map[string][]string{}, stored: map[uint64]engine.ClientMsg{}}
		f.attempts[hello.Code] = a
	}
	released := f.released
	f.mu.Unlock()
	if !released {
		c.WriteJSON(map[string]any{"type": "waiting"})
		<-f.wake
	}
	c.WriteJSON(f.attemptMsg(a))
	for {
		var m engine.ClientMsg
		if c.ReadJSON(&m) != nil {
			return
		}
		for _, reply := range f.handle(a, m, node) {
			if c.WriteJSON(reply) != nil {
				return
			}
		}
	}
}

func (f *fakeNode) attemptMsg(a *fakeAttempt) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	var items []map[string]any
	for _, id := range fakeItems {
		items = append(items, map[string]any{"id": id, "select": 1, "options": []map[string]string{{"id": "a"}, {"id": "b"}, {"id": "c"}}})
	}
	answers := map[string][]string{}
	for k, v := range a.answers {
		answers[k] = v
	}
	status := "in_progress"
	if a.submitted {
		status = "submitted"
	}
	return map[string]any{"type": "attempt", "attempt": map[string]any{"status": status,
		"sections": []any{map[string]any{"items": items}}, "answers": answers, "flags": slices.Clone(a.flags), "last_seq": a.last}}
}

// handle returns the replies to m: at most one, and for a submit its ack
// then submitted. On the frame after which it dies, the node closes every
// connection instead.
func (f *fakeNode) handle(a *fakeAttempt, m engine.ClientMsg, node int) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	if m.Type == engine.MsgPing {
		return []map[string]any{{"type": "pong"}}
	}
	f.frames++
	if f.dieAfter > 0 && node == f.dieNode && f.frames >= f.dieAfter {
		f.dead[node] = true
		for c, n := range f.conns {
			if n == node {
				c.UnderlyingConn().Close()
			}
		}
		return nil
	}
	refuse := func(code int) []map[string]any {
		return []map[string]any{{"type": "error", "code": code, "seq": m.Seq}}
	}
	switch {
	case a.submitted:
		return refuse(engine.CodeSubmitted)
	case m.Seq == 0 || m.Seq > 1<<53-1:
		return refuse(engine.CodeBadSeq)
	case f.rateEvery > 0 && f.frames%f.rateEvery == 0:
		return refuse(engine.CodeRateLimited)
	case m.Seq <= a.last:
		if old, ok := a.stored[m.Seq]; ok && sameMsg(old, m) {
			return []map[string]any{{"type": "ack", "seq": m.Seq, "duplicate": true}}
		}
		return refuse(engine.CodeBadSeq)
	case f.storeEvery > 0 && f.frames%f.storeEvery == 0:
		if f.stores++; f.stores%2 == 0 {
			f.store(a, m) // stored all the same: the write landed late
		}
		return refuse(engine.CodeStore)
	}
	f.store(a, m)
	if m.Type == engine.MsgSubmit {
		return []map[string]any{{"type": "ack", "seq": m.Seq}, {"type": "submitted", "reason": "candidate"}}
	}
	return []map[string]any{{"type": "ack", "seq": m.Seq}}
}

// store applies m under f.mu.
func (f *fakeNode) store(a *fakeAttempt, m engine.ClientMsg) {
	a.last = m.Seq
	a.stored[m.Seq] = m
	switch {
	case m.Type == engine.MsgSubmit:
		a.submitted = true
	case f.forget > 0 && m.Seq >= f.forget && m.Type == engine.MsgAnswer:
	case m.Type == engine.MsgAnswer:
		a.answers[m.Item] = m.Options
	case m.Flagged && !slices.Contains(a.flags, m.Item):
		a.flags = append(a.flags, m.Item)
	}
}

// sameMsg reports whether a re-sent change is the one stored: a duplicate.
func sameMsg(a, b engine.ClientMsg) bool {
	return a.Type == b.Type && a.Item == b.Item && a.Flagged == b.Flagged && slices.Equal(a.Options, b.Options)
}

// TestRefusalsAndDrops runs candidates against the fake node, which refuses
// frames with 103 and 501 while connections drop with messages in flight:
// every refused message must be sent again and stored, so nothing is lost.
// A node that acknowledges an answer without storing it must be caught.
func TestRefusalsAndDrops(t *testing.T) {
	for _, tc := range []struct {
		name   string
		forget uint64
		lost   bool
	}{{"honest node", 0, false}, {"node that forgets from seq 20", 20, true}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeNode(7, 11, tc.forget)
			defer srv.Close()
			cfg := Config{Nodes: []string{strings.TrimPrefix(srv.URL, "http://")}, Sitting: "s", Invigilator: "i",
				ChangeRate: 0.3, FlagRate: 0.5, DropRate: 0.3, Answers: 30, Seed: 5, RetryPause: time.Microsecond,
				StoreBackoff: Backoff{Min: time.Microsecond, Max: time.Microsecond}}
			for i := range 6 {
				cfg.Codes = append(cfg.Codes, Code(i))
			}
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Submitted != 6 || res.Reconnects == 0 || res.Errors["error 103 rate_limited"] == 0 || res.Errors["error 501 store"] == 0 {
				t.Fatalf("submitted %d, %d reconnects, errors %v", res.Submitted, res.Reconnects, res.Errors)
			}
			if tc.lost != (res.Lost() > 0) || res.Checked == 0 {
				t.Fatalf("lost %d of %d checked (missing %d, different %d); errors %v", res.Lost(), res.Checked, res.Missing, res.Different, res.Errors)
			}
			for k := range res.Errors {
				if k != "error 103 rate_limited" && k != "error 501 store" && k != "error 306 bad_seq" && k != "error 302 submitted" {
					t.Fatalf("errors other than 103, 501, 306 and 302: %v", res.Errors)
				}
			}
			if res.Duplicates == 0 {
				t.Fatalf("no re-sent change was acknowledged as a duplicate: %+v", res)
			}
		})
	}
}

// TestNodeDies runs candidates over three fake nodes, one of which dies
// under load: every candidate on it resumes on a live node, backing off,
// and finishes, and nothing acknowledged is lost.
func TestNodeDies(t *testing.T) {
	srv := newFakeCluster(&fakeNode{dieNode: 1, dieAfter: 40}, 3)
	var nodes []string
	for _, s := range srv {
		defer s.Close()
		nodes = append(nodes, strings.TrimPrefix(s.URL, "http://"))
	}
	cfg := Config{Nodes: nodes, Sitting: "s", Invigilator: "i", FlagRate: 0.3, DropRate: 0.1, Answers: 20, Seed: 8,
		RetryPause: time.Microsecond, Backoff: Backoff{Min: time.Millisecond, Max: 4 * time.Millisecond}}
	for i := range 9 {
		cfg.Codes = append(cfg.Codes, Code(i))
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Submitted != 9 || res.Recovered == 0 || res.Recoveries < res.Recovered || res.Recovery.N != res.Recoveries {
		t.Fatalf("submitted %d, %d candidates recovered in %d resumes; errors %v", res.Submitted, res.Recovered, res.Recoveries, res.Errors)
	}
	if res.Lost() != 0 || res.Checked == 0 {
		t.Fatalf("lost %d of %d checked; errors %v", res.Lost(), res.Checked, res.Errors)
	}
}
