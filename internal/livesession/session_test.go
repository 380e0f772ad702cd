package livesession_test

import (
	"context"
	"encoding/json"
	"errors"
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
		send    []any // msg, or string for a raw frame
		want    []msg // what the server sends before it closes
		close   int   // the close code
		refused []int // the codes Config.Refused is told
	}{
		{name: "hello timeout", cfg: func(c *livesession.Config) { c.HelloTimeout = 50 * time.Millisecond },
			close: websocket.CloseNormalClosure},
		{name: "oversized frame", send: []any{big}, close: livesession.CloseTooLarge},
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
				if s, ok := m.(string); ok {
					err = c.WriteMessage(websocket.TextMessage, []byte(s))
				} else {
					err = c.WriteJSON(m)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			var got []msg
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			for {
				var m msg
				err := c.ReadJSON(&m)
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					if ce.Code != tt.close {
						t.Errorf("close %d %q, want %d", ce.Code, ce.Text, tt.close)
					}
					break
				}
				if err != nil {
					t.Fatalf("after %v: %v, want close %d", got, err, tt.close)
				}
				got = append(got, m)
			}
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
