package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/bench/load"
	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// The room under load: the invigilator runs a sitting from the room page
// in Chromium while 50 simulated candidates of the load generator answer
// over WebSocket, on one bolt node or on two nodes sharing one Redis (the
// page on the first, the candidates spread over both).

const (
	simulated   = 50
	lateCode    = 50 // index of the late arrival's code: a candidate page in Chromium
	loadLimit   = 30 * time.Minute
	incident    = 7 * time.Minute
	pauseReason = "fire alarm"
	voided      = "sim-9"
)

// givenTime are the candidates given incident time.
var givenTime = []string{"sim-3", "sim-18", "sim-31"}

// loadRoom is the sitting of the load generator's content, a late cut-off
// of 10 minutes, served by one or two nodes on one fake clock.
type loadRoom struct {
	clk   *clock.Fake
	lib   *content.Library
	nodes []*webtest.Node
	codes []string // simulated candidates' first, then the late arrival's
}

func newLoadRoom(t *testing.T, nodes int) *loadRoom {
	t.Helper()
	dir := t.TempDir()
	codes, err := load.WriteContent(dir, simulated+1)
	if err != nil {
		t.Fatal(err)
	}
	r := &loadRoom{clk: clock.NewFake(start), lib: webtest.Library(t, dir), codes: codes}
	r.lib.Sittings[load.SittingID].LateAfterMinutes = 10
	if nodes == 1 {
		r.nodes = append(r.nodes, webtest.NewNode(t, webtest.Options{Library: r.lib,
			Engine: engine.Config{Clock: r.clk, Seed: func() uint64 { return 7 }}, Web: web.Config{Clock: r.clk}}))
		return r
	}
	for i, st := range redistest.Nodes(t, redistest.Standalone, nodes) { // one keyspace, a connection per node
		r.nodes = append(r.nodes, webtest.NewNode(t, webtest.Options{Library: r.lib, Store: st,
			Engine: engine.Config{Clock: r.clk, Seed: func() uint64 { return 7 }, Broker: redis.NewBroker(st, "notices"), Node: fmt.Sprint("n", i)},
			Web:    web.Config{Clock: r.clk}}))
	}
	return r
}

// attempt returns a candidate's attempt as stored, and its number of items.
func (r *loadRoom) attempt(t *testing.T, cand string) (*engine.Attempt, int) {
	t.Helper()
	a, items, err := r.nodes[0].Engine.Attempt(context.Background(), engine.AttemptID(load.SittingID, cand))
	if err != nil {
		t.Fatalf("%s's attempt: %v", cand, err)
	}
	return a, len(items)
}

// heard is what the simulated candidates' connections received, by
// access code, as the load generator's Observe hook gives it.
type heard struct {
	mu   sync.Mutex // protects msgs
	msgs map[string][]engine.ServerMsg
	news chan struct{} // signalled when a message arrives
}

func newHeard() *heard {
	return &heard{msgs: map[string][]engine.ServerMsg{}, news: make(chan struct{}, 1)}
}

func (h *heard) observe(code string, raw []byte) {
	var m engine.ServerMsg
	if json.Unmarshal(raw, &m) != nil {
		m = engine.ServerMsg{Type: "undecodable"}
	}
	h.mu.Lock()
	h.msgs[code] = append(h.msgs[code], m)
	h.mu.Unlock()
	select {
	case h.news <- struct{}{}:
	default:
	}
}

// wait waits until every code of codes satisfies cond on the messages it
// received, and fails naming the codes that did not.
func (h *heard) wait(t *testing.T, what string, codes []string, cond func([]engine.ServerMsg) bool) {
	t.Helper()
	deadline := time.After(stepTimeout)
	for {
		h.mu.Lock()
		var missing []string
		for _, c := range codes {
			if !cond(h.msgs[c]) {
				missing = append(missing, c)
			}
		}
		h.mu.Unlock()
		if len(missing) == 0 {
			return
		}
		select {
		case <-h.news:
		case <-deadline:
			t.Fatalf("%s: not heard by %d candidate(s): %v", what, len(missing), missing)
		}
	}
}

func (h *heard) of(code string) []engine.ServerMsg {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.msgs[code])
}

// after returns the messages after the first of type typ, and whether
// there was one.
func after(ms []engine.ServerMsg, typ string) ([]engine.ServerMsg, bool) {
	i := slices.IndexFunc(ms, func(m engine.ServerMsg) bool { return m.Type == typ })
	if i < 0 {
		return nil, false
	}
	return ms[i+1:], true
}

// resumedWith reports whether, after the pause, ms hold the attempt
// message of the resume with remaining time want.
func resumedWith(ms []engine.ServerMsg, want time.Duration) bool {
	rest, ok := after(ms, engine.MsgPaused)
	return ok && slices.ContainsFunc(rest, func(m engine.ServerMsg) bool {
		return m.Type == engine.MsgAttempt && m.Attempt != nil && !m.Attempt.Paused && m.RemainingMS != nil && *m.RemainingMS == want.Milliseconds()
	})
}

// countRows is a JavaScript expression: how many rows of the room hold
// cond, an expression over c, the row's cell texts (c[0] the name, c[1]
// the status, c[2] answered, c[3] time left, c[4] connected, c[5] the id,
// c[9] time added), and tr.
func countRows(cond string) string {
	return `[...document.querySelectorAll('#candidates tbody tr')].filter((tr) => { const c = [...tr.cells].map((x) => x.textContent); return ` +
		cond + `; }).length`
}

func simIDs(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprint("sim-", i))
	}
	return out
}

// TestRoomUnderLoad: the invigilator releases a sitting of 51 from the
// room page while 50 simulated candidates wait, pauses the whole room
// while they answer, gives three of them incident time, voids one,
// admits a late arrival (a candidate page in Chromium) past the cut-off,
// and resumes the room, the 11 minutes paused given back. The page shows
// each step on the rows; the candidates' connections receive the pause,
// the resume with their time and the three their new deadline; the stored
// attempts agree, and the load generator's loss check finds every
// acknowledged answer stored. On one bolt node, and on two nodes over
// Redis (skipped without ACCREDIT_TEST_REDIS).
func TestRoomUnderLoad(t *testing.T) {
	t.Run("bolt", func(t *testing.T) { runRoomUnderLoad(t, newLoadRoom(t, 1)) })
	t.Run("redis", func(t *testing.T) {
		redistest.URL(t, redistest.Standalone)
		runRoomUnderLoad(t, newLoadRoom(t, 2))
	})
}

func runRoomUnderLoad(t *testing.T, r *loadRoom) {
	began := time.Now()
	inv := newBrowser(t)
	do(t, inv, enterCode(r.nodes[0].URL()+"/signin?next=/invigilate", load.InvigilatorCode, "#signin button"),
		chromedp.WaitVisible(css("#candidates tbody tr")))
	waitFor(t, inv, countRows(`true`)+` === 51`)

	h := newHeard()
	var nodes []string
	for _, n := range r.nodes {
		nodes = append(nodes, strings.TrimPrefix(n.URL(), "http://"))
	}
	askRelease, released := make(chan struct{}), make(chan error, 1)
	stop := make(chan struct{})
	stopOnce := sync.OnceFunc(func() { close(stop) })
	type outcome struct {
		res *load.Result
		err error
	}
	out, ran := make(chan outcome, 1), make(chan struct{})
	cfg := load.Config{Nodes: nodes, Codes: r.codes[:simulated], Sitting: load.SittingID, Invigilator: load.InvigilatorCode,
		Think: load.Think{Dist: load.LogNormal, Mean: 500 * time.Millisecond, Sigma: 0.5}, ChangeRate: 0.2, FlagRate: 0.1, Seed: 16,
		Timeout: time.Minute, Release: func() error { close(askRelease); return <-released }, Stop: stop, Observe: h.observe}
	go func() {
		defer close(ran)
		res, err := load.Run(context.Background(), cfg)
		out <- outcome{res, err}
	}()
	t.Cleanup(func() { // a failed test leaves the candidates to stop
		stopOnce()
		select {
		case released <- errors.New("the test ended"):
		default:
		}
		select {
		case <-ran:
		case <-time.After(stepTimeout):
			t.Log("the load generator was still running")
		}
	})

	// Everyone simulated waits, the late arrival has not come; the page
	// releases the sitting.
	select {
	case <-askRelease:
	case <-time.After(stepTimeout):
		t.Fatal("the candidates never all joined")
	}
	waitFor(t, inv, countRows(`c[1] === 'waiting' && c[4] === 'yes'`)+` === 50`)
	waitFor(t, inv, `document.querySelector('tr[data-cand="sim-50"]').cells[1].textContent === 'not joined'`)
	do(t, inv, chromedp.Click(css("#release")))
	released <- nil
	waitFor(t, inv, `document.getElementById('state').textContent === 'Released'`)

	// The whole room is paused while they answer.
	waitFor(t, inv, countRows(`c[1] === 'in progress' && !c[2].startsWith('0 of')`)+` === 50`)
	do(t, inv, chromedp.SendKeys(css("#room-reason"), pauseReason), chromedp.Click(css("#room-pause")))
	waitFor(t, inv, countRows(`c[1] === 'paused: `+pauseReason+`' && c[3] === '30:00 (paused)'`)+` === 50`)
	waitFor(t, inv, `document.getElementById('room-pause').hidden && !document.getElementById('room-resume').hidden`)
	h.wait(t, "the pause", r.codes[:simulated], func(ms []engine.ServerMsg) bool {
		return slices.ContainsFunc(ms, func(m engine.ServerMsg) bool {
			return m.Type == engine.MsgPaused && m.Note == pauseReason && m.RemainingMS != nil && *m.RemainingMS == loadLimit.Milliseconds()
		})
	})

	// Incident time for three, chosen on the page; their clocks alone move.
	for _, c := range givenTime {
		do(t, inv, chromedp.Click(css(`tr[data-cand="`+c+`"] input.pick`)))
	}
	waitFor(t, inv, `document.getElementById('room-scope').textContent === '3 selected'`)
	do(t, inv, chromedp.SetValue(css("#room-minutes"), "7"), chromedp.Click(css("#room-extra")))
	waitFor(t, inv, countRows(`c[9] === 'incident +7:00'`)+` === 3`)
	waitFor(t, inv, countRows(`c[9] === 'incident +7:00' && c[3] === '37:00 (paused)' && [`+quoted(givenTime)+`].includes(c[5])`)+` === 3`)
	given := codesOf(r, givenTime)
	h.wait(t, "the incident time", given, func(ms []engine.ServerMsg) bool {
		return slices.ContainsFunc(ms, func(m engine.ServerMsg) bool {
			return m.Type == engine.MsgTime && m.Warning == "extra_time" && m.RemainingMS != nil && *m.RemainingMS == (loadLimit+incident).Milliseconds()
		})
	})
	for _, c := range givenTime {
		do(t, inv, chromedp.Click(css(`tr[data-cand="`+c+`"] input.pick`)))
	}
	waitFor(t, inv, `document.getElementById('room-scope').textContent === 'the whole room'`)

	// One test is ended for malpractice, the candidate's id typed.
	waitFor(t, inv, clickIn(voided, "End test"))
	do(t, inv, chromedp.WaitVisible(css("#void-confirm")), chromedp.SendKeys(css("#void-text"), "notes on the desk"),
		chromedp.SendKeys(css("#void-confirm"), voided), chromedp.Click(css("#void-submit")))
	waitFor(t, inv, `document.querySelector('tr[data-cand="`+voided+`"]').cells[1].textContent === 'submitted (voided: malpractice: notes on the desk)'`)
	h.wait(t, "the void", codesOf(r, []string{voided}), func(ms []engine.ServerMsg) bool {
		return slices.ContainsFunc(ms, func(m engine.ServerMsg) bool { return m.Type == engine.MsgSubmitted && m.Reason == engine.ReasonVoided })
	})

	// Eleven minutes on, a candidate arrives past the cut-off, on the last
	// node: refused until the invigilator admits them.
	r.clk.Advance(11 * time.Minute)
	late := newTab(t, inv)
	lateRow := `document.querySelector('tr[data-cand="sim-50"]').cells[1].textContent`
	do(t, late, enterCode(r.nodes[len(r.nodes)-1].URL()+"/test", r.codes[lateCode], "#start"))
	waitFor(t, late, `document.getElementById('code-error').textContent.includes('ask your invigilator to admit you')`)
	waitFor(t, inv, lateRow+` === 'not joined · late: needs admitting'`)
	waitFor(t, inv, clickIn("sim-50", "Admit"))
	waitFor(t, inv, lateRow+` === 'not joined'`)
	do(t, late, chromedp.Click(css("#start")))
	waitFor(t, late, atQuestion(1))
	waitFor(t, inv, lateRow+` === 'in progress'`)

	// The room resumes: the time paused is given back to every paused
	// candidate, and they go on answering.
	do(t, inv, chromedp.Click(css("#room-resume")))
	waitFor(t, inv, countRows(`c[1] === 'in progress'`)+` === 50`)
	// 49 names would fill the page: they are counted, and the late
	// arrival, never paused, is no failure.
	waitFor(t, inv, `document.getElementById('message').textContent.endsWith(': Resumed 49 candidates. Simulated 50 was not paused.') && document.getElementById('message').className === 'psy-status'`)
	waitFor(t, inv, countRows(`c[1].startsWith('submitted')`)+` === 1`)
	rest := slices.DeleteFunc(slices.Clone(r.codes[:simulated]), func(c string) bool {
		return slices.Contains(given, c) || c == codesOf(r, []string{voided})[0]
	})
	h.wait(t, "the resume", rest, func(ms []engine.ServerMsg) bool { return resumedWith(ms, loadLimit) })
	h.wait(t, "the resume with incident time", given, func(ms []engine.ServerMsg) bool { return resumedWith(ms, loadLimit+incident) })
	for _, code := range r.codes[:simulated] {
		for _, m := range h.of(code) {
			if m.Type == engine.MsgTime && m.Warning == "extra_time" && !slices.Contains(given, code) {
				t.Errorf("%s, not given incident time, was sent %+v", code, m)
			}
		}
	}
	// Time left on the page: 37 minutes counting down for the three, 30
	// for the others, the late arrival's included.
	timeLeft := `parseInt(c[3].split(':')[0], 10)`
	waitFor(t, inv, countRows(`c[1] === 'in progress' && [`+quoted(givenTime)+`].includes(c[5]) && `+timeLeft+` >= 36`)+` === 3`)
	waitFor(t, inv, countRows(`c[1] === 'in progress' && ![`+quoted(givenTime)+`].includes(c[5]) && `+timeLeft+` <= 30 && `+timeLeft+` >= 29`)+` === 47`)
	look(t, inv, "invigilate-room-under-load")

	// Answering ends; the load generator checks every candidate's answers
	// and submits.
	waitFor(t, inv, countRows(`c[1] === 'in progress' && c[4].startsWith('yes')`)+` === 50`)
	stopOnce()
	var o outcome
	select {
	case o = <-out:
	case <-time.After(time.Minute):
		t.Fatal("the load generator did not finish")
	}
	if o.err != nil {
		t.Fatal(o.err)
	}
	res := o.res
	if res.Connected != simulated || res.Submitted != simulated || res.Checked == 0 || res.Lost() != 0 {
		t.Fatalf("connected %d, submitted %d of %d; %d checked, %d lost; errors %v", res.Connected, res.Submitted, simulated,
			res.Checked, res.Lost(), res.Errors)
	}
	for k := range res.Errors {
		if k != "error 309 paused" && k != "error 302 submitted" {
			t.Errorf("the candidates met %q (%d times); only changes made while paused or after the void should be refused", k, res.Errors[k])
		}
	}
	if res.Errors["error 309 paused"] == 0 {
		t.Error("no change was refused while the room was paused: the pause did not come during answering")
	}

	// The stored attempts: the pause given back to all, the incident time
	// to the three, the voided one kept as evidence.
	answered := map[string]string{}
	for i := range simulated {
		cand := fmt.Sprint("sim-", i)
		a, items := r.attempt(t, cand)
		answered[cand] = fmt.Sprintf("%d of %d", len(a.Answers), items)
		want := start.Add(loadLimit + 11*time.Minute)
		if slices.Contains(givenTime, cand) {
			want = want.Add(incident)
		}
		switch {
		case cand == voided:
			if a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonVoided || a.Detail != "malpractice: notes on the desk" || len(a.Answers) == 0 {
				t.Errorf("voided attempt %s %s %q with %d answers, want kept as evidence", a.Status, a.Reason, a.Detail, len(a.Answers))
			}
		case a.Status != engine.StatusSubmitted || a.Reason != engine.ReasonCandidate || !a.Deadline.Equal(want) || a.Paused:
			t.Errorf("%s: %s %s, deadline %v (want %v), paused %v", cand, a.Status, a.Reason, a.Deadline, want, a.Paused)
		}
	}
	if a, _ := r.attempt(t, "sim-50"); a.Status != engine.StatusInProgress || !a.Started.Equal(start.Add(11*time.Minute)) || a.Extra != 0 {
		t.Errorf("the late arrival: %s, started %v, extra %v", a.Status, a.Started, a.Extra)
	}
	want, _ := json.Marshal(answered)
	waitFor(t, inv, `JSON.stringify(Object.fromEntries([...document.querySelectorAll('#candidates tbody tr')].filter((tr) => tr.dataset.cand !== 'sim-50')
		.map((tr) => [tr.dataset.cand, tr.cells[2].textContent]).sort((a, b) => (a[0] < b[0] ? -1 : 1)))) === `+fmt.Sprintf("%q", string(want)))
	waitFor(t, inv, countRows(`c[1] === 'submitted (candidate)'`)+` === 49`)
	t.Logf("%d answers acknowledged, %d changes refused while paused; %v", res.Acked, res.Errors["error 309 paused"], time.Since(began).Round(time.Millisecond))
}

// codesOf returns the access codes of the simulated candidates cands.
func codesOf(r *loadRoom, cands []string) []string {
	s := r.lib.Sittings[load.SittingID]
	var out []string
	for _, c := range cands {
		i := slices.IndexFunc(s.Candidates, func(x content.Candidate) bool { return x.ID == c })
		out = append(out, s.Candidates[i].AccessCode)
	}
	return out
}

// quoted lists ids as JavaScript string literals, comma-separated.
func quoted(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return strings.Join(q, ",")
}
