package engine_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/livesession"
	"github.com/accredit/accredit/internal/throttle"
)

type wsClient struct {
	t *testing.T
	c *websocket.Conn
}

func (r *rig) serveWS(cfg engine.WSConfig) string {
	srv := httptest.NewServer(r.eng.WebSocketHandler(cfg))
	r.t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func dial(t *testing.T, url string, hdr http.Header) *wsClient {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(url, hdr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return &wsClient{t: t, c: c}
}

func (w *wsClient) send(raw string) {
	w.t.Helper()
	if err := w.c.WriteMessage(websocket.TextMessage, []byte(raw)); err != nil {
		w.t.Fatalf("write: %v", err)
	}
}

// next reads the next message, skipping "time" messages.
func (w *wsClient) next() engine.ServerMsg {
	w.t.Helper()
	for {
		w.c.SetReadDeadline(time.Now().Add(10 * time.Second))
		var m engine.ServerMsg
		if err := w.c.ReadJSON(&m); err != nil {
			w.t.Fatalf("read: %v", err)
		}
		if m.Type != engine.MsgTime {
			return m
		}
	}
}

func (w *wsClient) expect(typ string) engine.ServerMsg {
	w.t.Helper()
	m := w.next()
	if m.Type != typ {
		w.t.Fatalf("got %+v, want %s", m, typ)
	}
	return m
}

// closeCode reads until the connection closes and returns the close code.
func (w *wsClient) closeCode() int {
	w.t.Helper()
	for {
		w.c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, _, err := w.c.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			w.t.Fatalf("connection ended without a close frame: %v", err)
		}
	}
}

func TestWebSocketSitting(t *testing.T) {
	r := newRig(t)
	url := r.serveWS(engine.WSConfig{})
	c := dial(t, url, nil)
	c.send(`{"type":"answer","seq":1,"item":"q1","options":["a"]}`)
	if m := c.expect("error"); m.Code != engine.CodeNotJoined {
		t.Fatalf("before hello: %+v", m)
	}
	c.send(`{"type":"hello","v":1,"code":"TEST-ONE-7K2M"}`)
	if m := c.expect("welcome"); m.Candidate.Name != "Cand One" || m.Candidate.Status != "waiting" {
		t.Fatalf("welcome: %+v", m.Candidate)
	}
	c.expect("waiting")
	r.release()
	c.expect("attempt")
	c.send(`{"type":"answer","seq":1,"item":"q1","options":["b"]}`)
	if m := c.expect("ack"); m.Seq != 1 {
		t.Fatalf("ack: %+v", m)
	}
	for _, tc := range []struct {
		frame string
		code  int
	}{
		{`not json`, engine.CodeBadFrame},
		{`{"type":"answer","seq":"x"}`, engine.CodeBadFrame},
		{`{"type":"teleport"}`, engine.CodeUnknownType},
		{`{"seq":2}`, engine.CodeBadFrame},
		{`{"type":"answer","seq":-1,"item":"q1","options":["a"]}`, engine.CodeBadSeq},
		{`{"type":"answer","seq":1.5,"item":"q1","options":["a"]}`, engine.CodeBadSeq},
		{`{"type":"answer","seq":2,"item":"q1","options":["a"],"options":["c"]}`, engine.CodeBadFrame},
	} {
		c.send(tc.frame)
		if m := c.expect("error"); m.Code != tc.code {
			t.Fatalf("frame %s: code %d, want %d", tc.frame, m.Code, tc.code)
		}
	}
	c.send(`{"type":"submit","seq":2,"confirm":true}`) // the connection is still usable
	if m := c.expect("ack"); m.Seq != 2 {
		t.Fatalf("submit acknowledged as %+v, want the ack of seq 2", m)
	}
	if m := c.expect("submitted"); m.Reason != "candidate" {
		t.Fatalf("submitted: %+v", m)
	}
}

func TestWebSocketLimits(t *testing.T) {
	r := newRig(t)
	url := r.serveWS(engine.WSConfig{Rate: 1, Burst: 2})
	t.Run("origin", func(t *testing.T) {
		_, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {"https://evil.example"}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("foreign origin: err %v, resp %v; want 403", err, resp)
		}
	})
	t.Run("too large", func(t *testing.T) {
		c := dial(t, url, nil)
		c.send(`{"type":"ping","pad":"` + strings.Repeat("x", engine.MaxFrameBytes) + `"}`)
		if m := c.expect("error"); m.Code != engine.CodeTooLarge {
			t.Fatalf("before the close: %+v, want error %d", m, engine.CodeTooLarge)
		}
		if code := c.closeCode(); code != engine.CloseTooLarge {
			t.Fatalf("close code %d, want %d", code, engine.CloseTooLarge)
		}
	})
	t.Run("bad version", func(t *testing.T) {
		c := dial(t, url, nil)
		c.send(`{"type":"hello","v":9,"code":"TEST-ONE-7K2M"}`)
		if m := c.expect("error"); m.Code != engine.CodeBadVersion {
			t.Fatalf("%+v", m)
		}
		if code := c.closeCode(); code != engine.CloseBadVersion {
			t.Fatalf("close code %d", code)
		}
	})
	t.Run("rate", func(t *testing.T) {
		c := dial(t, url, nil)
		for range 3 {
			c.send(`{"type":"ping"}`)
		}
		var codes []int
		for range 3 {
			m := c.next()
			codes = append(codes, m.Code)
		}
		// The fake clock stands still, so the bucket never refills: two
		// frames pass (answered "not joined"), the third is dropped.
		if codes[2] != engine.CodeRateLimited {
			t.Fatalf("codes %v, want the third rate-limited", codes)
		}
	})
}

func TestWebSocketTakeover(t *testing.T) {
	r := newRig(t)
	url := r.serveWS(engine.WSConfig{})
	a := dial(t, url, nil)
	a.send(`{"type":"hello","v":1,"code":"TEST-ONE-7K2M"}`)
	a.expect("welcome")
	a.expect("waiting")
	b := dial(t, url, nil)
	b.send(`{"type":"hello","v":1,"code":"TEST-ONE-7K2M"}`)
	b.expect("welcome")
	if m := a.expect("closing"); m.Code != engine.CloseTakenOver {
		t.Fatalf("%+v", m)
	}
	if code := a.closeCode(); code != engine.CloseTakenOver {
		t.Fatalf("old connection closed with %d, want %d", code, engine.CloseTakenOver)
	}
}

// TestWebSocketGuard: an address that has got too many access codes wrong
// is refused before its code is even looked up, on a new connection too.
func TestWebSocketGuard(t *testing.T) {
	r := newRig(t)
	clk := clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	url := r.serveWS(engine.WSConfig{Guard: throttle.New(3, time.Minute, clk)})
	c := dial(t, url, nil)
	for range 3 {
		c.send(`{"type":"hello","v":1,"code":"TEST-NONE-2B7C"}`)
		if m := c.expect("error"); m.Code != engine.CodeUnknownCode || m.Message != "no candidate has that access code" {
			t.Fatalf("%+v", m)
		}
	}
	c2 := dial(t, url, nil)
	c2.send(`{"type":"hello","v":1,"code":"TEST-ONE-7K2M"}`) // a right code, from the same address
	if m := c2.expect("error"); m.Code != engine.CodeUnknownCode || !strings.Contains(m.Message, "too many wrong access codes") {
		t.Fatalf("%+v", m)
	}
	if code := c2.closeCode(); code != engine.CloseUnknown {
		t.Fatalf("close code %d, want %d", code, engine.CloseUnknown)
	}
	clk.Advance(time.Minute)
	c3 := dial(t, url, nil)
	c3.send(`{"type":"hello","v":1,"code":"TEST-ONE-7K2M"}`)
	c3.expect("welcome")
}

// refundGuard records what the candidate path tells a guard.
type refundGuard struct {
	mu               sync.Mutex
	fails, successes []string
}

func (g *refundGuard) Allow(string) bool { return true }
func (g *refundGuard) Fail(client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fails = append(g.fails, client)
}
func (g *refundGuard) Succeed(client, code string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.successes = append(g.successes, client+" "+code)
}

// TestGuardRefund: a wrong access code is a failure of its address, a
// right one a success with the code as the library spells it.
func TestGuardRefund(t *testing.T) {
	r := newRig(t)
	g := &refundGuard{}
	url := r.serveWS(engine.WSConfig{Guard: g})
	c := dial(t, url, nil)
	c.send(`{"type":"hello","v":1,"code":"NOT-A-CODE-9X9X"}`)
	c.expect("error")
	c.send(`{"type":"hello","v":1,"code":"  ` + strings.ToLower(codeOne) + `  "}`)
	c.expect("welcome")
	c.expect("waiting")
	c.send(`{"type":"ping"}`) // read after the hello has been dealt with, on the same reader
	c.expect("pong")
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.fails) != 1 || len(g.successes) != 1 || !strings.HasSuffix(g.successes[0], " "+codeOne) {
		t.Fatalf("fails %v, successes %v", g.fails, g.successes)
	}
}

// TestWebSocketBurst: a client that sends 2,000 answers as fast as it can
// and only then reads gets the ack of every answer stored, error 103 for
// each answer dropped up to the limit, and the close frame 4008; never a
// connection reset. The clock stands still, so the rate limiter never
// refills: the hello and 59 answers take the burst of 60.
func TestWebSocketBurst(t *testing.T) {
	const n, acked, dropped = 2000, 59, 50
	r := newRig(t)
	c := dial(t, r.serveWS(engine.WSConfig{}), nil)
	c.send(`{"type":"hello","v":1,"code":"TEST-ONE-7K2M"}`)
	c.expect("welcome")
	c.expect("waiting")
	r.release()
	c.expect("attempt")
	c.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	for seq := 1; seq <= n; seq++ {
		if err := c.c.WriteMessage(websocket.TextMessage, fmt.Appendf(nil, `{"type":"answer","seq":%d,"item":"q1","options":["a"]}`, seq)); err != nil {
			break // the server may close before the last frames arrive
		}
	}
	var acks, errs []uint64
	for {
		c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
		var m engine.ServerMsg
		err := c.c.ReadJSON(&m)
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			if ce.Code != engine.CloseRateLimit {
				t.Fatalf("close %d %q, want %d", ce.Code, ce.Text, engine.CloseRateLimit)
			}
			break
		}
		if err != nil {
			t.Fatalf("after %d acks and %d errors: %v, want close %d", len(acks), len(errs), err, engine.CloseRateLimit)
		}
		switch {
		case m.Type == engine.MsgAck && !m.Duplicate:
			acks = append(acks, m.Seq)
		case m.Type == engine.MsgError && m.Code == engine.CodeRateLimited:
			errs = append(errs, m.Seq)
		case m.Type != engine.MsgTime:
			t.Fatalf("unexpected %+v", m)
		}
	}
	if len(acks) != acked || len(errs) != dropped {
		t.Fatalf("%d acks %v and 103 for %v; want %d acks and %d errors", len(acks), acks, errs, acked, dropped)
	}
	for i, seq := range acks {
		if seq != uint64(i+1) {
			t.Fatalf("acks %v, want 1..%d", acks, acked)
		}
	}
	for i, seq := range errs {
		if seq != uint64(acked+1+i) {
			t.Fatalf("103 for %v, want %d..%d", errs, acked+1, acked+dropped)
		}
	}
}

func TestDecodeClientMsg(t *testing.T) {
	if engine.MaxSeq != livesession.MaxSeq {
		t.Fatalf("engine.MaxSeq %d, livesession.MaxSeq %d", uint64(engine.MaxSeq), uint64(livesession.MaxSeq))
	}
	tests := []struct {
		name, frame string
		code        int    // 0: accepted
		seq         uint64 // accepted: the seq
	}{
		{"answer", `{"type":"answer","seq":7,"item":"K-1","options":["a"]}`, 0, 7},
		{"no seq", `{"type":"ping"}`, 0, 0},
		{"seq null", `{"type":"ping","seq":null}`, 0, 0},
		{"largest seq", `{"type":"flag","seq":9007199254740991,"item":"K-1"}`, 0, engine.MaxSeq},
		{"seq over 2^53 - 1", `{"type":"flag","seq":9007199254740992,"item":"K-1"}`, engine.CodeBadSeq, 0},
		{"seq over uint64", `{"type":"flag","seq":18446744073709551616}`, engine.CodeBadSeq, 0},
		{"negative seq", `{"type":"answer","seq":-1}`, engine.CodeBadSeq, 0},
		{"fractional seq", `{"type":"answer","seq":1.5}`, engine.CodeBadSeq, 0},
		{"seq with an exponent", `{"type":"answer","seq":1e3}`, engine.CodeBadSeq, 0},
		{"seq a string", `{"type":"answer","seq":"1"}`, engine.CodeBadFrame, 0},
		{"repeated key", `{"type":"answer","seq":1,"seq":2}`, engine.CodeBadFrame, 0},
		{"repeated type", `{"type":"ping","type":"submit"}`, engine.CodeBadFrame, 0},
		{"repeated but for case", `{"type":"answer","item":"K-1","Item":"K-2"}`, engine.CodeBadFrame, 0},
		{"unknown type", `{"type":"teleport","seq":1}`, engine.CodeUnknownType, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := engine.DecodeClientMsg([]byte(tt.frame))
			var pe *engine.ProtocolError
			switch {
			case tt.code == 0 && (err != nil || m.Seq != tt.seq):
				t.Fatalf("decoded %+v, %v; want seq %d", m, err, tt.seq)
			case tt.code != 0 && (!errors.As(err, &pe) || pe.Code != tt.code):
				t.Fatalf("decoded %+v, %v; want error %d", m, err, tt.code)
			}
		})
	}
}
