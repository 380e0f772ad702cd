package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	goredis "github.com/redis/go-redis/v9"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/store/redis/redistest"
)

// TestKilledNodeCountsItsCandidatesAway runs two real nodes on one real
// redis-server, in a sitting whose rejoins need approval, with a lease of
// 2 s. The node holding one candidate's connection is killed with
// SIGKILL: nothing of its clean shutdown runs. Within the lease and a
// renewal, the surviving node's room shows that candidate disconnected
// with a drop and away since the dead node's last renewal; their rejoin
// waits for the invigilator's approval, then resumes with their answer.
// The candidate on the surviving node is untouched.
func TestKilledNodeCountsItsCandidatesAway(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real processes")
	}
	rp := startRedis(t)
	bin := buildBinary(t)
	dir, codes := bigSitting(t, 2)
	path := filepath.Join(dir, "sittings/s1.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(raw), `"candidates":[`, `"rejoin_approval":true,"candidates":[`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	prefix := redistest.Prefix("lease")
	storeURL := fmt.Sprintf("redis://%s/0?prefix=%s", rp.addr(), prefix)
	const ttl = 2 * time.Second
	n0 := startNode(t, bin, "--store", storeURL, "--content", dir, "--node", "n0", "--lease-ttl", ttl.String())
	n1 := startNode(t, bin, "--store", storeURL, "--content", dir, "--node", "n1", "--lease-ttl", ttl.String())

	gone, m := n1.candidate(codes[0]) // c0 on the node to be killed
	if m.Type != engine.MsgWaiting {
		t.Fatalf("c0 before release: %+v", m)
	}
	stays, m := n0.candidate(codes[1])
	if m.Type != engine.MsgWaiting {
		t.Fatalf("c1 before release: %+v", m)
	}
	inv := n0.staffClient("STAFF-INV-3H8W")
	n0.post(inv, "/api/sittings/s1/release", "")
	m = gone.read()
	if m.Type != engine.MsgAttempt {
		t.Fatalf("c0 after release: %+v", m)
	}
	if m := stays.read(); m.Type != engine.MsgAttempt {
		t.Fatalf("c1 after release: %+v", m)
	}
	item, opt := m.Attempt.Sections[0].Items[0].ID, m.Attempt.Sections[0].Items[0].Options[0].ID
	gone.send(engine.ClientMsg{Type: "answer", Seq: 1, Item: item, Options: []string{opt}})
	if a := gone.read(); a.Type != engine.MsgAck {
		t.Fatalf("c0's answer: %+v", a)
	}

	// n1's lease names c0's attempt once it has renewed since the join.
	rdb := goredis.NewClient(&goredis.Options{Addr: rp.addr()})
	defer rdb.Close()
	waitUntil(t, 3*ttl, "n1's lease to name c0's attempt", func() bool {
		rec, err := rdb.HGet(context.Background(), prefix+"leases", "n1").Result()
		return err == nil && strings.Contains(rec, engine.AttemptID("s1", "c0"))
	})
	if r := roomRow(t, n0, inv, "c0"); !r.Connected {
		t.Fatalf("c0 on n1, seen on n0: %+v", r)
	}

	n1.kill()
	killed := time.Now()
	var row engine.AttemptSummary
	waitUntil(t, ttl+ttl/3+3*time.Second, "n0 to count c0 away", func() bool {
		row = roomRow(t, n0, inv, "c0")
		return row.AwaySince != nil
	})
	seen := time.Since(killed)
	if row.Connected || row.Drops != 1 || row.AwaySince.After(killed) || killed.Sub(*row.AwaySince) > ttl/3+time.Second {
		t.Fatalf("c0 once n1's lease lapsed: %+v; want disconnected, one drop, away since n1's last renewal before %v", row, killed)
	}
	if seen < ttl-ttl/3-100*time.Millisecond {
		t.Fatalf("c0 counted away %v after the kill, before n1's lease could lapse", seen)
	}
	if r := roomRow(t, n0, inv, "c1"); !r.Connected || r.AwaySince != nil || r.Drops != 0 {
		t.Fatalf("c1, on n0: %+v", r)
	}

	// c0 rejoins on n0: refused until the invigilator approves.
	c, _, err := websocket.DefaultDialer.Dial("ws://"+n0.addr+"/ws/candidate", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	back := &candidate{t: t, c: c}
	back.send(map[string]any{"type": "hello", "v": 1, "code": codes[0]})
	if m := back.read(); m.Type != engine.MsgError || m.Code != engine.CodeRejoinApproval {
		t.Fatalf("rejoin before approval: %+v, want error %d", m, engine.CodeRejoinApproval)
	}
	n0.post(inv, "/api/sittings/s1/candidates/c0/approve-rejoin", `{"reason":"node n1 failed"}`)
	back.send(map[string]any{"type": "hello", "v": 1, "code": codes[0]})
	if m := back.read(); m.Type != engine.MsgWelcome {
		t.Fatalf("rejoin once approved: %+v", m)
	}
	if m := back.read(); m.Type != engine.MsgAttempt || fmt.Sprint(m.Attempt.Answers[item]) != fmt.Sprint([]string{opt}) {
		t.Fatalf("c0 resumed with %+v, want the answer acknowledged on n1", m)
	}
	t.Logf("c0 counted away %v after n1 was killed (lease %v)", seen.Round(time.Millisecond), ttl)
}

// roomRow is candidate cand's row of sitting s1 as node n shows it.
func roomRow(t *testing.T, n *node, c *http.Client, cand string) engine.AttemptSummary {
	t.Helper()
	resp, err := c.Get("http://" + n.addr + "/api/sittings/s1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s engine.SittingSummary
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/sittings/s1: %s %v", resp.Status, err)
	}
	for _, r := range s.Candidates {
		if r.Candidate == cand {
			return r
		}
	}
	t.Fatalf("no row for %s", cand)
	return engine.AttemptSummary{}
}

// waitUntil polls cond, a look at real processes, until it holds or
// within has passed.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond) // waiting on another process's clock
	}
}
