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
// storeEvery-th is not stored (501), and forget, if set, is the seq from
// which answers are acknowledged without being stored (lost answers).
type fakeNode struct {
	rateEvery, storeEvery int
	forget                uint64

	mu       sync.Mutex // protects everything below
	frames   int
	released bool
	wake     chan struct{}
	attempts map[string]*fakeAttempt
}

type fakeAttempt struct {
	answers map[string][]string
	flags   []string
	last    uint64
}

var fakeItems = []string{"K-1", "K-2", "K-3", "K-4", "K-5"}

func newFakeNode(rateEvery, storeEvery int, forget uint64) *httptest.Server {
	f := &fakeNode{rateEvery: rateEvery, storeEvery: storeEvery, forget: forget, wake: make(chan struct{}), attempts: map[string]*fakeAttempt{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("POST /api/sittings/{id}/release", func(http.ResponseWriter, *http.Request) {
		f.mu.Lock()
		f.released = true
		close(f.wake)
		f.mu.Unlock()
	})
	mux.HandleFunc("/ws/candidate", f.serveWS)
	return httptest.NewServer(mux)
}

func (f *fakeNode) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	var hello engine.ClientMsg
	if c.ReadJSON(&hello) != nil {
		return
	}
	c.WriteJSON(map[string]any{"type": "welcome", "v": 1})
	f.mu.Lock()
	a := f.attempts[hello.Code]
	if a == nil {
		a = &fakeAttempt{answers: map[string][]string{}}
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
		if c.WriteJSON(f.handle(a, m)) != nil {
			return
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
	return map[string]any{"type": "attempt", "attempt": map[string]any{
		"sections": []any{map[string]any{"items": items}}, "answers": answers, "flags": slices.Clone(a.flags), "last_seq": a.last}}
}

func (f *fakeNode) handle(a *fakeAttempt, m engine.ClientMsg) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch m.Type {
	case engine.MsgPing:
		return map[string]any{"type": "pong"}
	case engine.MsgSubmit:
		return map[string]any{"type": "submitted"}
	}
	f.frames++
	switch {
	case f.frames%f.rateEvery == 0:
		return map[string]any{"type": "error", "code": engine.CodeRateLimited, "seq": m.Seq}
	case f.frames%f.storeEvery == 0:
		return map[string]any{"type": "error", "code": engine.CodeStore, "seq": m.Seq}
	case m.Seq <= a.last:
		return map[string]any{"type": "ack", "seq": m.Seq, "duplicate": true}
	}
	a.last = m.Seq
	switch {
	case f.forget > 0 && m.Seq >= f.forget && m.Type == engine.MsgAnswer:
	case m.Type == engine.MsgAnswer:
		a.answers[m.Item] = m.Options
	case m.Flagged && !slices.Contains(a.flags, m.Item):
		a.flags = append(a.flags, m.Item)
	}
	return map[string]any{"type": "ack", "seq": m.Seq}
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
				ChangeRate: 0.3, FlagRate: 0.5, DropRate: 0.3, Answers: 30, Seed: 5, RetryPause: time.Microsecond}
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
			if len(res.Errors) != 2 {
				t.Fatalf("errors other than 103 and 501: %v", res.Errors)
			}
		})
	}
}
