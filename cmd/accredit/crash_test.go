package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine"
)

// node is a running accredit serve process.
type node struct {
	t       *testing.T
	cmd     *exec.Cmd
	addr    string
	metrics string // the private metrics listener
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "accredit")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startNode starts the binary and waits until it logs that it is serving.
func startNode(t *testing.T, bin string, args ...string) *node {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &node{t: t, cmd: cmd}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		var line struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue
		}
		if line.Msg == "metrics" {
			n.metrics = line.Addr
		}
		if line.Msg == "serving" {
			n.addr = line.Addr
			break
		}
	}
	if n.addr == "" {
		t.Fatalf("node did not start: %v", sc.Err())
	}
	go io.Copy(io.Discard, stderr)
	return n
}

func (n *node) kill() {
	n.t.Helper()
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		n.t.Fatal(err)
	}
	n.cmd.Wait()
}

func (n *node) staffClient(code string) *http.Client {
	n.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	n.post(c, "/api/login", fmt.Sprintf(`{"code":%q}`, code))
	return c
}

func (n *node) post(c *http.Client, path, body string) {
	n.t.Helper()
	resp, err := c.Post("http://"+n.addr+path, "application/json", strings.NewReader(body))
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		n.t.Fatalf("POST %s: %s %s", path, resp.Status, b)
	}
}

type candidate struct {
	t *testing.T
	c *websocket.Conn
}

func (n *node) candidate(code string) (*candidate, engine.ServerMsg) {
	n.t.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws://"+n.addr+"/ws/candidate", nil)
	if err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(func() { c.Close() })
	cd := &candidate{t: n.t, c: c}
	cd.send(map[string]any{"type": "hello", "v": 1, "code": code})
	first := cd.read()
	if first.Type != engine.MsgWelcome {
		n.t.Fatalf("hello: %+v", first)
	}
	return cd, cd.read()
}

func (cd *candidate) send(v any) {
	cd.t.Helper()
	if err := cd.c.WriteJSON(v); err != nil {
		cd.t.Fatal(err)
	}
}

func (cd *candidate) read() engine.ServerMsg {
	cd.t.Helper()
	for {
		cd.c.SetReadDeadline(time.Now().Add(10 * time.Second))
		var m engine.ServerMsg
		if err := cd.c.ReadJSON(&m); err != nil {
			cd.t.Fatal(err)
		}
		if m.Type != engine.MsgTime {
			return m
		}
	}
}

// TestSIGKILLLosesNoAcknowledgedAnswer starts the real binary, answers,
// kills it with SIGKILL, restarts it on the same store and resumes: every
// acknowledged answer is back and the remaining time is right to the second.
func TestSIGKILLLosesNoAcknowledgedAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	args := []string{"--store", "bolt:" + filepath.Join(dir, "accredit.db"), "--content", "../../engine/testdata/lib"}
	n := startNode(t, bin, args...)

	cd, m := n.candidate("TEST-ONE-7K2M")
	if m.Type != engine.MsgWaiting {
		t.Fatalf("before release: %+v", m)
	}
	n.post(n.staffClient("STAFF-INV-3H8W"), "/api/sittings/s1/release", "")
	m = cd.read()
	if m.Type != engine.MsgAttempt {
		t.Fatalf("after release: %+v", m)
	}
	want := map[string][]string{}
	seq := uint64(0)
	var lastAck engine.ServerMsg
	var lastAckAt time.Time
	for _, sec := range m.Attempt.Sections {
		for _, it := range sec.Items {
			opts := []string{it.Options[0].ID}
			if it.Select > 1 {
				opts = []string{it.Options[0].ID, it.Options[1].ID}
			}
			seq++
			cd.send(engine.ClientMsg{Type: "answer", Seq: seq, Item: it.ID, Options: opts})
			lastAck = cd.read()
			lastAckAt = time.Now()
			if lastAck.Type != engine.MsgAck || lastAck.Seq != seq {
				t.Fatalf("answer %d: %+v", seq, lastAck)
			}
			want[it.ID] = opts
		}
	}
	seq++
	cd.send(engine.ClientMsg{Type: "flag", Seq: seq, Item: m.Attempt.Sections[0].Items[0].ID, Flagged: true})
	if a := cd.read(); a.Type != engine.MsgAck {
		t.Fatalf("flag: %+v", a)
	}

	cd.send(map[string]any{"type": "teleport"})
	if e := cd.read(); e.Type != engine.MsgError || e.Code != engine.CodeUnknownType {
		t.Fatalf("unknown type: %+v", e)
	}
	checkDashboard(t, n)

	n.kill()
	n2 := startNode(t, bin, args...)
	_, resumed := n2.candidate("TEST-ONE-7K2M")
	resumedAt := time.Now()
	if resumed.Type != engine.MsgAttempt {
		t.Fatalf("resume: %+v", resumed)
	}
	got := resumed.Attempt.Answers
	if len(got) != len(want) {
		t.Fatalf("resumed %d answers, want %d", len(got), len(want))
	}
	for id, opts := range want {
		if fmt.Sprint(got[id]) != fmt.Sprint(opts) {
			t.Errorf("item %s: resumed %v, acknowledged %v", id, got[id], opts)
		}
	}
	if resumed.Attempt.LastSeq != seq || len(resumed.Attempt.Flags) != 1 {
		t.Errorf("resumed last_seq %d flags %v; want %d and one flag", resumed.Attempt.LastSeq, resumed.Attempt.Flags, seq)
	}
	// The clock ran on while the node was dead: remaining time fell by the
	// wall time that passed, to the second.
	drop := time.Duration(*lastAck.RemainingMS-*resumed.RemainingMS) * time.Millisecond
	elapsed := resumedAt.Sub(lastAckAt)
	if diff := drop - elapsed; diff > time.Second || diff < -time.Second {
		t.Fatalf("remaining time fell by %v while %v passed", drop, elapsed)
	}
}

// checkDashboard checks that every metric the Grafana dashboard queries is
// exported by a running node.
func checkDashboard(t *testing.T, n *node) {
	t.Helper()
	resp, err := http.Get("http://" + n.metrics + "/metrics") // the private listener: no sign-in
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	exported := map[string]bool{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		exported[strings.FieldsFunc(line, func(r rune) bool { return r == '{' || r == ' ' })[0]] = true
	}
	raw, err := os.ReadFile("../../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	name := regexp.MustCompile(`\b(accredit|go|process)_[a-z_]+\b`)
	checked := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, m := range name.FindAllString(tg.Expr, -1) {
				checked++
				if !exported[m] {
					t.Errorf("panel %q queries %s, which the node does not export", p.Title, m)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d metric references found in the dashboard", checked)
	}
}
