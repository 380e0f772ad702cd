package livesession_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/livesession"
	"github.com/accredit/accredit/internal/wsconn"
)

// msg is the fake protocol's frame, in both directions.
type msg struct {
	Type string `json:"type"`
	V    int    `json:"v,omitempty"`
	Seq  uint64 `json:"seq,omitempty"`
	Code int    `json:"code,omitempty"`
	Who  string `json:"who,omitempty"` // hello: "ok", "bad" or "closing"
}

// fake is a protocol of hello, "open" (handled before hello) and "do".
type fake struct {
	c *wsconn.Conn[msg]

	mu      sync.Mutex
	refused []int
}

func (f *fake) Decode(b []byte) (msg, livesession.Frame, error) {
	var m msg
	if err := json.Unmarshal(b, &m); err != nil {
		return msg{}, livesession.Frame{}, livesession.Errorf(livesession.CodeBadFrame, "%v", err)
	}
	fr := livesession.Frame{Hello: m.Type == "hello", V: m.V, Seq: m.Seq, Open: m.Type == "open"}
	if m.Type != "hello" && m.Type != "open" && m.Type != "do" {
		return m, fr, livesession.Errorf(livesession.CodeUnknownType, "unknown type %q", m.Type)
	}
	return m, fr, nil
}

func (f *fake) Hello(_ context.Context, m msg) error {
	switch m.Who {
	case "ok":
		f.c.Send(msg{Type: "welcome"})
		return nil
	case "closing":
		return &livesession.Closing{Err: livesession.Errorf(livesession.CodeUnknownCode, "go away"), Code: 4099, Reason: "refused"}
	}
	return livesession.Errorf(livesession.CodeUnknownCode, "no one has code %q", m.Who)
}

func (f *fake) Handle(_ context.Context, m msg) { f.c.Send(msg{Type: "done", Seq: m.Seq}) }

func (f *fake) Reject(_ msg, seq uint64, err error) {
	f.c.Send(msg{Type: "error", Seq: seq, Code: livesession.CodeOf(err)})
}

func (f *fake) count(code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refused = append(f.refused, code)
}

// serve starts a server of the fake protocol with cfg and dials it.
func serve(t *testing.T, cfg livesession.Config) (*websocket.Conn, *fake) {
	t.Helper()
	f := &fake{}
	var wg sync.WaitGroup
	cfg.Refused = f.count
	up := &websocket.Upgrader{}
	h := livesession.Handler(up, &wg, func(c *websocket.Conn, _ *http.Request) (livesession.Live, bool) {
		f.c = wsconn.New[msg](c, 64)
		return livesession.Live{
			Write: func() { f.c.WriteLoop(time.Minute, nil) },
			Read:  func() { livesession.Serve(context.Background(), c, f.c, f, cfg) },
			Close: f.c.Close,
			Drain: f.c.Drain,
			Done:  func() {},
		}, true
	})
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); wg.Wait() })
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, f
}

func TestServe(t *testing.T) {
	hello := func(who string) msg { return msg{Type: "hello", V: 1, Who: who} }
	big := msg{Type: "do", Seq: 1, Who: strings.Repeat("x", 200)}
	tests := []struct {
		name    string
		cfg     func(*livesession.Config)
		send    []any // msg, string for a raw text frame, []byte for a binary one
		want    []msg // what the server sends before it closes
		close   int   // the close code
		refused []int // the codes Config.Refused is told
	}{
		{name: "hello timeout", cfg: func(c *livesession.Config) { c.HelloTimeout = 50 * time.Millisecond },
			want: []msg{{Type: "error", Code: livesession.CodeNotJoined}}, close: livesession.CloseIdle},
		{name: "idle timeout", cfg: func(c *livesession.Config) { c.Idle = 50 * time.Millisecond }, send: []any{hello("ok")},
			want: []msg{{Type: "welcome"}}, close: livesession.CloseIdle},
		{name: "oversized frame", send: []any{hello("ok"), big, msg{Type: "do", Seq: 2}},
			want: []msg{{Type: "welcome"}, {Type: "error", Code: livesession.CodeTooLarge}}, close: livesession.CloseTooLarge, refused: []int{102}},
		{name: "frame at the limit", send: []any{hello("ok"), `{"type":"do","seq":3,"who":"` + strings.Repeat("x", 128-len(`{"type":"do","seq":3,"who":""}`)) + `"}`, msg{Type: "hello"}},
			want: []msg{{Type: "welcome"}, {Type: "done", Seq: 3}, {Type: "error", Code: livesession.CodeBadVersion}}, close: livesession.CloseBadVersion},
		{name: "binary frame", send: []any{hello("ok"), []byte(`{"type":"do","seq":4}`), msg{Type: "do", Seq: 5}, msg{Type: "hello"}},
			want:  []msg{{Type: "welcome"}, {Type: "error", Code: livesession.CodeBadFrame}, {Type: "done", Seq: 5}, {Type: "error", Code: livesession.CodeBadVersion}},
			close: livesession.CloseBadVersion, refused: []int{100}},
		{name: "bad version", send: []any{msg{Type: "hello", V: 2, Who: "ok"}},
			want: []msg{{Type: "error", Code: livesession.CodeBadVersion}}, close: livesession.CloseBadVersion},
		{name: "not joined", send: []any{msg{Type: "do", Seq: 7}, msg{Type: "open", Seq: 8}, hello("ok"), msg{Type: "do", Seq: 9}, "bye", msg{Type: "hello"}},
			want: []msg{{Type: "error", Seq: 7, Code: livesession.CodeNotJoined}, {Type: "done", Seq: 8}, {Type: "welcome"}, {Type: "done", Seq: 9},
				{Type: "error", Code: livesession.CodeBadFrame}, {Type: "error", Code: livesession.CodeBadVersion}},
			close: livesession.CloseBadVersion, refused: []int{livesession.CodeBadFrame}},
		{name: "unknown codes", send: []any{hello("bad"), hello("bad"), msg{Type: "nope", Seq: 3}, hello("bad"), hello("bad"), hello("bad"), hello("ok")},
			want: []msg{
				{Type: "error", Code: livesession.CodeUnknownCode}, {Type: "error", Code: livesession.CodeUnknownCode},
				{Type: "error", Seq: 3, Code: livesession.CodeUnknownType},
				{Type: "error", Code: livesession.CodeUnknownCode}, {Type: "error", Code: livesession.CodeUnknownCode}, {Type: "error", Code: livesession.CodeUnknownCode},
			},
			close: livesession.CloseUnknown, refused: []int{201, 201, 101, 201, 201, 201}},
		{name: "closing hello", send: []any{hello("closing"), hello("ok")},
			want: []msg{{Type: "error", Code: livesession.CodeUnknownCode}}, close: 4099, refused: []int{201}},
		{name: "rate drops", cfg: func(c *livesession.Config) { c.Rate, c.Burst, c.MaxDropped = 1, 2, 2 },
			send:  []any{hello("ok"), msg{Type: "do", Seq: 1}, msg{Type: "do", Seq: 2}, "junk", msg{Type: "do", Seq: 3}},
			want:  []msg{{Type: "welcome"}, {Type: "done", Seq: 1}, {Type: "error", Seq: 2, Code: livesession.CodeRateLimited}, {Type: "error", Code: livesession.CodeRateLimited}},
			close: livesession.CloseRateLimit, refused: []int{103, 103, 103}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The fake clock stands still: the rate limiter never refills.
			cfg := livesession.Config{Version: 1, MaxFrameBytes: 128, Idle: time.Minute, Rate: 1000, Burst: 1000,
				Clock: clock.NewFake(time.Unix(0, 0)), NotJoined: "hello first", Dropped: "slow down", UnknownReason: "too many codes"}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			c, f := serve(t, cfg)
			for _, m := range tt.send {
				var err error
				switch m := m.(type) {
				case string:
					err = c.WriteMessage(websocket.TextMessage, []byte(m))
				case []byte:
					err = c.WriteMessage(websocket.BinaryMessage, m)
				default:
					err = c.WriteJSON(m)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			got := readToClose(t, c, tt.close)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("server sent %+v, want %+v", got, tt.want)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if !reflect.DeepEqual(f.refused, tt.refused) {
				t.Errorf("refused %v, want %v", f.refused, tt.refused)
			}
		})
	}
}

// readToClose reads c's messages until the server closes the connection,
// failing the test unless it closes with code want, and returns them.
func readToClose(t *testing.T, c *websocket.Conn, want int) []msg {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var got []msg
	for {
		var m msg
		err := c.ReadJSON(&m)
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			if ce.Code != want {
				t.Errorf("close %d %q after %d messages, want %d", ce.Code, ce.Text, len(got), want)
			}
			return got
		}
		if err != nil {
			t.Fatalf("after %d messages: %v, want close %d", len(got), err, want)
		}
		got = append(got, m)
	}
}

// TestBurst: a client that sends 2,000 frames as fast as it can and only
// then reads gets every reply it earned, one 103 for each frame dropped up
// to the limit, and the 4008 close frame; never a reset.
func TestBurst(t *testing.T) {
	const n, burst, maxDropped = 2000, 60, 50
	cfg := livesession.Config{Version: 1, MaxFrameBytes: 128, Idle: time.Minute, Rate: 1, Burst: burst, MaxDropped: maxDropped,
		Clock: clock.NewFake(time.Unix(0, 0)), NotJoined: "hello first", Dropped: "slow down", UnknownReason: "too many codes"}
	c, _ := serve(t, cfg)
	frames := [][]byte{[]byte(`{"type":"hello","v":1,"who":"ok"}`)}
	for seq := 1; len(frames) < n; seq++ {
		frames = append(frames, fmt.Appendf(nil, `{"type":"do","seq":%d}`, seq))
	}
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	for _, b := range frames {
		if err := c.WriteMessage(websocket.TextMessage, b); err != nil {
			break // the server may close before the last frames arrive
		}
	}
	var done, dropped []uint64
	for _, m := range readToClose(t, c, livesession.CloseRateLimit) {
		switch {
		case m.Type == "done":
			done = append(done, m.Seq)
		case m.Type == "error" && m.Code == livesession.CodeRateLimited:
			dropped = append(dropped, m.Seq)
		case m.Type != "welcome":
			t.Fatalf("unexpected %+v", m)
		}
	}
	// The hello takes one token of the burst; the frames after it are
	// handled until the bucket is empty, the next maxDropped are dropped.
	for i, seq := range done {
		if seq != uint64(i+1) {
			t.Fatalf("replies for seqs %v, want 1..%d", done, burst-1)
		}
	}
	if len(done) != burst-1 || len(dropped) != maxDropped || dropped[0] != burst || dropped[maxDropped-1] != burst+maxDropped-1 {
		t.Fatalf("%d replies, 103 for seqs %v; want %d replies and 103 for %d..%d", len(done), dropped, burst-1, burst, burst+maxDropped-1)
	}
}
