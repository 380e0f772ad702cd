package marking

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// client is an assessor's WebSocket connection in a test.
type client struct {
	t    *testing.T
	conn *websocket.Conn
}

func (r *rig) server() *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /ws/assessor", r.svc.WebSocketHandler())
	hs := httptest.NewServer(mux)
	r.t.Cleanup(hs.Close)
	return hs
}

func dial(t *testing.T, hs *httptest.Server) *client {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hs.URL, "http")+"/ws/assessor", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{t: t, conn: c}
}

func (c *client) send(frame string) {
	c.t.Helper()
	if err := c.conn.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		c.t.Fatal(err)
	}
}

// next reads the next server message (a deadline keeps a broken test from
// hanging; the server answers every frame at once).
func (c *client) next() ServerMsg {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var m ServerMsg
	if err := c.conn.ReadJSON(&m); err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

func (c *client) expect(typ string, code int) ServerMsg {
	c.t.Helper()
	m := c.next()
	if m.Type != typ || m.Code != code {
		c.t.Fatalf("got %+v, want %s with code %d", m, typ, code)
	}
	return m
}

// hello signs in as the assessor with that ID, with their code.
func (c *client) hello(id string) ServerMsg {
	c.t.Helper()
	c.send(`{"type":"hello","v":1,"code":"` + id + `-PIN"}`)
	return c.expect(MsgWelcome, 0)
}

func mark(seq, v int) string {
	b, _ := json.Marshal(map[string]any{"type": "mark", "seq": seq, "circuit": circuitID, "station": "S1",
		"candidate": "C01", "criterion": "safety", "value": v})
	return string(b)
}

func TestWebSocket(t *testing.T) {
	r := newRig(t)
	hs := r.server()
	c := dial(t, hs)
	c.send(mark(1, 2))
	c.expect(MsgError, CodeNotJoined)
	c.send(`{"type":"hello","v":1,"code":"NOBODY"}`)
	c.expect(MsgError, CodeUnknownCode)
	c.send(`{"type":"hello","v":1,"code":"` + liam + `"}`) // an ID is not a sign-in code
	c.expect(MsgError, CodeUnknownCode)
	c.send(`{"type":"hello","v":1}`) // no code and no staff session
	c.expect(MsgError, CodeUnknownCode)
	c.send(`{"type":"hello","v":1,"code":" asr-liam-pin "}`) // spaces around a code are ignored
	w := c.expect(MsgWelcome, 0)
	if w.Assessor.ID != liam || len(w.Circuits) != 2 || w.Circuits[0].ID != circuitID || w.Now == nil {
		t.Fatalf("welcome %+v", w)
	}
	if st := w.Circuits[0].Stations; len(st) != 1 || st[0].ID != "S1" || len(st[0].Schedule) != 4 || st[0].Rubric == nil {
		t.Fatalf("stations %+v", st)
	}
	steps := []struct {
		name  string
		frame string
		typ   string
		code  int
		dup   bool
	}{
		{"mark", mark(1, 2), MsgAck, 0, false},
		{"re-sent seq", mark(1, 2), MsgAck, 0, true},
		{"reused seq", mark(1, 3), MsgError, CodeBadSeq, false},
		{"outside the scale", mark(2, 4), MsgError, CodeOutOfScale, false},
		{"no value", `{"type":"mark","seq":2,"circuit":"demo-practitioner","station":"S1","candidate":"C01","criterion":"safety"}`, MsgError, CodeBadFrame, false},
		{"not at the station", `{"type":"judgement","seq":1,"circuit":"demo-practitioner","station":"S1","candidate":"C02","value":3}`, MsgError, CodeNotAtStation, false},
		{"unknown criterion", `{"type":"mark","seq":2,"circuit":"demo-practitioner","station":"S1","candidate":"C01","criterion":"x","value":1}`, MsgError, CodeUnknownCriterion, false},
		{"unknown type", `{"type":"grade"}`, MsgError, CodeUnknownType, false},
		{"not an object", `[1]`, MsgError, CodeBadFrame, false},
		{"judgement", `{"type":"judgement","seq":2,"circuit":"demo-practitioner","station":"S1","candidate":"C01","value":3}`, MsgAck, 0, false},
		{"ping", `{"type":"ping"}`, MsgPong, 0, false},
	}
	for _, st := range steps {
		c.send(st.frame)
		m := c.next()
		if m.Type != st.typ || m.Code != st.code || m.Duplicate != st.dup {
			t.Errorf("%s: got %+v, want %s code %d duplicate %v", st.name, m, st.typ, st.code, st.dup)
		}
	}
	if n := r.records(key("S1", "C01", liam)); n != 2 {
		t.Errorf("%d records stored, want 2", n)
	}

	// Reconnect: the welcome carries the sheet and its last seq.
	c2 := dial(t, hs)
	w = c2.hello(liam)
	c.expect(MsgClosing, CloseTakenOver)
	sh := sheetIn(t, w, "S1", "C01")
	if sh.LastSeq != 2 || sh.Marks["safety"] != 2 || sh.Judgement == nil || *sh.Judgement != 3 {
		t.Errorf("sheet on resume %+v", sh)
	}
}

// TestBlind: the second assessor of a double-marked station never receives
// the first assessor's marks.
func TestBlind(t *testing.T) {
	r := newRig(t)
	hs := r.server()
	a := dial(t, hs)
	a.hello(liam)
	a.send(mark(1, 3))
	a.expect(MsgAck, 0)
	b := dial(t, hs)
	w := b.hello(nadia)
	for _, s := range w.Sheets {
		if s.Key.Assessor != nadia || len(s.Marks) != 0 {
			t.Errorf("nadia received %+v", s)
		}
	}
	raw, _ := json.Marshal(w)
	if strings.Contains(string(raw), liam) {
		t.Errorf("welcome names the other assessor: %s", raw)
	}
}

func TestSubmitOverWebSocket(t *testing.T) {
	r := newRig(t)
	c := dial(t, r.server())
	c.hello(helen)
	seq := 1
	for _, crit := range []string{"summary", "analysis", "recommendation", "reflection"} {
		c.send(`{"type":"mark","seq":` + itoa(seq) + `,"circuit":"demo-practitioner","station":"S3","candidate":"C03","criterion":"` + crit + `","value":2}`)
		c.expect(MsgAck, 0)
		seq++
	}
	frame := func(typ string, seq int) string {
		return `{"type":"` + typ + `","seq":` + itoa(seq) + `,"circuit":"demo-practitioner","station":"S3","candidate":"C03","value":3}`
	}
	c.send(frame("submit", seq))
	c.expect(MsgError, CodeIncomplete)
	c.send(frame("judgement", seq))
	c.expect(MsgAck, 0)
	c.send(frame("submit", seq+1))
	c.expect(MsgAck, 0)
	if m := c.expect(MsgSheet, 0); len(m.Sheets) != 1 || !m.Sheets[0].Submitted {
		t.Errorf("sheet after submit %+v", m)
	}
	c.send(frame("submit", seq+2))
	c.expect(MsgError, CodeAlreadySubmitted)
	c.send(frame("judgement", seq+2))
	c.expect(MsgError, CodeLocked)
}

func TestFrameTooLarge(t *testing.T) {
	r := newRig(t)
	c := dial(t, r.server())
	c.hello(liam)
	c.send(`{"type":"note","text":"` + strings.Repeat("x", MaxFrameBytes) + `"}`)
	c.expect(MsgError, CodeTooLarge)
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := c.conn.ReadMessage()
	if !websocket.IsCloseError(err, CloseTooLarge) {
		t.Errorf("after a large frame: %v, want close %d", err, CloseTooLarge)
	}
}

func sheetIn(t *testing.T, w ServerMsg, station, candidate string) SheetVM {
	t.Helper()
	for _, s := range w.Sheets {
		if s.Key.Station == station && s.Key.Candidate == candidate {
			return s
		}
	}
	t.Fatalf("no sheet %s/%s in %+v", station, candidate, w.Sheets)
	return SheetVM{}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestRateLimit: frames over the rate are dropped and answered with error
// 103 naming the dropped change, so the client can send it again; a client
// that keeps flooding is disconnected with 4008. The limiter runs on the
// service's clock, which stands still here.
func TestRateLimit(t *testing.T) {
	r := newRig(t)
	svc := New(Config{Model: r.model, Store: r.store, Clock: r.clock, WS: WSConfig{Rate: 1, Burst: 2}, Identify: testIdentify})
	t.Cleanup(svc.Close)
	mux := http.NewServeMux()
	mux.Handle("GET /ws/assessor", svc.WebSocketHandler())
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	c := dial(t, hs)
	c.hello(liam)
	c.send(mark(1, 2))
	c.expect(MsgAck, 0)
	c.send(mark(2, 3))
	m := c.expect(MsgError, CodeRateLimited)
	if m.Seq != 2 || m.Sheet == nil || m.Sheet.Station != "S1" || m.Sheet.Candidate != "C01" {
		t.Errorf("rate-limited change named as seq %d sheet %+v", m.Seq, m.Sheet)
	}
	c.send(`{"type":"ping"}`)
	if m := c.expect(MsgError, CodeRateLimited); m.Seq != 0 || m.Sheet != nil {
		t.Errorf("a dropped ping named as seq %d sheet %+v", m.Seq, m.Sheet)
	}
	if n := r.records(key("S1", "C01", liam)); n != 1 {
		t.Errorf("%d records stored, want 1: a dropped change stores nothing", n)
	}
	for range maxRateDropped - 2 { // 50 dropped in all
		c.send(`{"type":"ping"}`)
		c.expect(MsgError, CodeRateLimited)
	}
	c.send(`{"type":"ping"}`)
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := c.conn.ReadMessage()
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != CloseRateLimit {
		t.Fatalf("after %d dropped frames: %v, want close %d", maxRateDropped+1, err, CloseRateLimit)
	}
}

func TestDecodeClientMsg(t *testing.T) {
	const sheet = `"circuit":"c","station":"S1","candidate":"C01"`
	tests := []struct {
		name, frame string
		code        int    // 0: accepted
		seq         uint64 // accepted: the seq
	}{
		{"judgement", `{"type":"judgement","seq":2,` + sheet + `,"value":3}`, 0, 2},
		{"largest seq", `{"type":"submit","seq":9007199254740991,` + sheet + `}`, 0, 1<<53 - 1},
		{"seq over 2^53 - 1", `{"type":"submit","seq":9007199254740992,` + sheet + `}`, CodeBadSeq, 0},
		{"negative seq", `{"type":"submit","seq":-1,` + sheet + `}`, CodeBadSeq, 0},
		{"fractional seq", `{"type":"submit","seq":1.5,` + sheet + `}`, CodeBadSeq, 0},
		{"seq zero", `{"type":"submit","seq":0,` + sheet + `}`, CodeBadSeq, 0},
		{"seq a string", `{"type":"submit","seq":"1",` + sheet + `}`, CodeBadFrame, 0},
		{"repeated value", `{"type":"judgement","seq":2,` + sheet + `,"value":3,"value":1}`, CodeBadFrame, 0},
		{"repeated but for case", `{"type":"judgement","seq":2,` + sheet + `,"value":3,"VALUE":1}`, CodeBadFrame, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeClientMsg([]byte(tt.frame))
			switch {
			case tt.code == 0 && (err != nil || m.Seq != tt.seq):
				t.Fatalf("decoded %+v, %v; want seq %d", m, err, tt.seq)
			case tt.code != 0 && (err == nil || codeOf(err).Code != tt.code):
				t.Fatalf("decoded %+v, %v; want error %d", m, err, tt.code)
			}
		})
	}
}

// TestNotAtStationSaysNoMore: a refusal for a candidate not at the
// assessor's station now names no slot, time or other station.
func TestNotAtStationSaysNoMore(t *testing.T) {
	r := newRig(t)
	c := dial(t, r.server())
	c.hello(liam)
	c.send(`{"type":"mark","seq":1,"circuit":"` + circuitID + `","station":"S1","candidate":"C04","criterion":"safety","value":1}`)
	if m := c.expect(MsgError, CodeNotAtStation); m.Message != "this candidate is not at your station now" {
		t.Fatalf("301 says %q", m.Message)
	}
}
