package engine_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
)

// TestRoomAcrossNodes runs a room whose candidates are on node a while the
// invigilator watches on node b: check-in, the late cut-off, presence and
// drops, a candidate's progress, an announcement and incident time all
// reach the other node.
func TestRoomAcrossNodes(t *testing.T) {
	a, b, clk, _ := twoNodesWith(t, func(lib *content.Library) {
		lib.Sittings["s1"].CheckIn = true
		lib.Sittings["s1"].LateAfterMinutes = 10
	})
	ctx := context.Background()
	w := b.WatchRoom("s1")
	defer w.Stop()

	pa := &peer{}
	var pe *engine.ProtocolError
	if _, err := a.Join(ctx, codeOne, pa); !errors.As(err, &pe) || pe.Code != engine.CodeNotCheckedIn {
		t.Fatalf("join before check-in: %v, want %d", err, engine.CodeNotCheckedIn)
	}
	if err := b.CheckIn(ctx, "s1", "c1", "inv1"); err != nil {
		t.Fatal(err)
	}
	id, err := a.Join(ctx, codeOne, pa)
	if err != nil {
		t.Fatalf("join after check-in on the other node: %v", err)
	}
	if err := b.Release(ctx, "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	a.Handle(ctx, id, pa, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	a.Handle(ctx, id, pa, engine.ClientMsg{Type: "flag", Seq: 2, Item: "q2", Flagged: true})
	waitMarked(t, w, "c1")
	row := rowOf(t, b, "c1")
	if !row.CheckedIn || !row.Connected || row.Answered != 1 || row.Flagged != 1 || row.Status != "in_progress" || row.LastActivity == nil {
		t.Fatalf("row on node b: %+v", row)
	}

	// c2 arrives after the cut-off: checked in, still refused until admitted.
	clk.Advance(11 * time.Minute)
	if err := b.CheckIn(ctx, "s1", "c2", "inv1"); err != nil {
		t.Fatal(err)
	}
	if r := rowOf(t, b, "c2"); !r.NeedsAdmit {
		t.Fatalf("late c2: %+v, want needs_admit", r)
	}
	p2 := &peer{}
	if _, err := a.Join(ctx, codeTwo, p2); !errors.As(err, &pe) || pe.Code != engine.CodeLate {
		t.Fatalf("late join: %v, want %d", err, engine.CodeLate)
	}
	if err := b.Admit(ctx, "s1", "c2", "inv1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Join(ctx, codeTwo, p2); err != nil {
		t.Fatalf("join after admission: %v", err)
	}

	// An announcement and incident time from node b reach node a's screens.
	if err := b.Announce(ctx, "s1", "Ten minutes of noise outside: keep going", "inv1"); err != nil {
		t.Fatal(err)
	}
	if m := pa.last(t); m.Type != engine.MsgAnnouncement || m.Message != "Ten minutes of noise outside: keep going" {
		t.Fatalf("announcement reached a as %+v", m)
	}
	if err := b.Invigilate(ctx, id, engine.Command{Kind: engine.CmdExtraTime, Extra: 5 * time.Minute, Reason: "noise", By: "inv1"}); err != nil {
		t.Fatal(err)
	}
	// Node a's candidate is told as on node b: 30 - 11 + 5 minutes left.
	if m := pa.last(t); m.Type != engine.MsgTime || m.Warning != "extra_time" || m.Note != "noise" ||
		m.RemainingMS == nil || *m.RemainingMS != (24*time.Minute).Milliseconds() {
		t.Fatalf("extra time reached a as a %s, warning %q, note %q, %v ms", m.Type, m.Warning, m.Note, m.RemainingMS)
	}
	if err := b.Invigilate(ctx, id, engine.Command{Kind: engine.CmdExtraTime, Extra: 200 * time.Minute}); !errors.Is(err, engine.ErrExtraTime) {
		t.Fatalf("over the bound: %v", err)
	}

	// The candidate's connection drops on node a: node b sees it.
	a.Leave(id, pa)
	if r := rowOf(t, b, "c1"); r.Connected || r.Drops != 1 || r.ExtraMS != (5*time.Minute).Milliseconds() {
		t.Fatalf("after the drop: %+v", r)
	}
}

// TestRejoinApprovalAcrossNodes: where a sitting's rejoins need approval,
// a candidate who left on node a rejoins on node b by themselves within
// the grace; after it, they wait (and node b's room shows it) until the
// invigilator approves on node b, then rejoin on node a.
func TestRejoinApprovalAcrossNodes(t *testing.T) {
	a, b, clk, _ := twoNodesWith(t, func(lib *content.Library) {
		lib.Sittings["s1"].RejoinApproval = true
		lib.Sittings["s1"].RejoinGraceSeconds = 60
	})
	ctx := context.Background()
	pa := &peer{}
	id, err := a.Join(ctx, codeOne, pa)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Invigilate(ctx, id, engine.Command{Kind: engine.CmdApprove, By: "inv1"}); !errors.Is(err, engine.ErrNotInProgress) {
		t.Fatalf("approve before the start: %v, want ErrNotInProgress", err)
	}
	if err := a.Release(ctx, "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	if err := b.Invigilate(ctx, id, engine.Command{Kind: engine.CmdApprove, By: "inv1"}); !errors.Is(err, engine.ErrNotAway) {
		t.Fatalf("approve one who has not left: %v, want ErrNotAway", err)
	}

	// A blip: back within the grace, on the other node.
	a.Leave(id, pa)
	if r := rowOf(t, b, "c1"); r.AwaySince == nil || r.NeedsRejoin {
		t.Fatalf("just left: %+v, want away and not yet needing approval", r)
	}
	clk.Advance(time.Minute)
	pb := &peer{}
	if _, err := b.Join(ctx, codeOne, pb); err != nil {
		t.Fatalf("rejoin within the grace: %v", err)
	}
	if r := rowOf(t, a, "c1"); r.AwaySince != nil || !r.Connected {
		t.Fatalf("back: %+v", r)
	}

	// Away longer: refused until approved.
	b.Leave(id, pb)
	clk.Advance(61 * time.Second)
	w := b.WatchRoom("s1")
	defer w.Stop()
	var pe *engine.ProtocolError
	if _, err := a.Join(ctx, codeOne, &peer{}); !errors.As(err, &pe) || pe.Code != engine.CodeRejoinApproval {
		t.Fatalf("rejoin after the grace: %v, want code %d", err, engine.CodeRejoinApproval)
	}
	waitMarked(t, w, "c1")
	if r := rowOf(t, b, "c1"); !r.NeedsRejoin || r.RejoinApproved || r.Connected {
		t.Fatalf("waiting to rejoin: %+v", r)
	}
	if err := b.Invigilate(ctx, id, engine.Command{Kind: engine.CmdApprove, By: "inv1"}); err != nil {
		t.Fatal(err)
	}
	if r := rowOf(t, a, "c1"); r.NeedsRejoin || !r.RejoinApproved {
		t.Fatalf("approved, seen on node a: %+v", r)
	}
	pa2 := &peer{}
	if _, err := a.Join(ctx, codeOne, pa2); err != nil {
		t.Fatalf("rejoin once approved: %v", err)
	}
	if m := pa2.last(t); m.Type != engine.MsgAttempt {
		t.Fatalf("rejoined to a %s", m.Type)
	}
	at, _, err := b.Attempt(ctx, id)
	if err != nil || at.Away || at.RejoinApproved {
		t.Fatalf("after the rejoin: %+v, %v", at, err)
	}
}

func waitMarked(t *testing.T, w *engine.RoomWatch, cand string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case <-w.C():
			if cands, all := w.Take(); all || slices.Contains(cands, cand) {
				return
			}
		case <-deadline:
			t.Fatalf("row %s never marked", cand)
		}
	}
}

func rowOf(t *testing.T, e *engine.Engine, cand string) engine.AttemptSummary {
	t.Helper()
	rows, err := e.Rows(context.Background(), "s1", []string{cand})
	if err != nil || len(rows) != 1 {
		t.Fatalf("Rows: %v, %v", rows, err)
	}
	return rows[0]
}

// TestIncidentLog stores incidents per sitting and refuses bad ones.
func TestIncidentLog(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.eng.LogIncident(ctx, "s1", engine.Incident{Category: "weather", Text: "x"}); !errors.Is(err, engine.ErrBadIncident) {
		t.Fatalf("unknown category: %v", err)
	}
	if _, err := r.eng.LogIncident(ctx, "s1", engine.Incident{Category: "other", Text: "x", Candidates: []string{"zz"}}); !errors.Is(err, engine.ErrBadIncident) {
		t.Fatalf("unknown candidate: %v", err)
	}
	in, err := r.eng.LogIncident(ctx, "s1", engine.Incident{Category: "environment", Reporter: "inv1", Text: "fire alarm", Candidates: []string{"c2", "c1", "c2"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Candidates, []string{"c1", "c2"}) || !in.At.Equal(t0) {
		t.Fatalf("stored %+v", in)
	}
	if _, err := r.eng.LogIncident(ctx, "s1", engine.Incident{Category: "technical", Reporter: "inv1", Text: "c1's screen froze", Candidates: []string{"c1"}}); err != nil {
		t.Fatal(err)
	}
	ins, err := r.eng.Incidents(ctx, "s1")
	if err != nil || len(ins) != 2 {
		t.Fatalf("Incidents = %v, %v", ins, err)
	}
	by, err := r.eng.IncidentsByCandidate(ctx, "s1", ins)
	if err != nil || !slices.Equal(by["c1"], []int{0, 1}) || !slices.Equal(by["c2"], []int{0}) {
		t.Fatalf("by candidate %v", by)
	}
	as, err := r.eng.IncidentAttempts(ctx, "s1", ins)
	if err != nil || len(as) != 2 || as[0].Candidate != "c1" || !slices.Equal(as[0].Incidents, []int{0, 1}) ||
		as[1].Status != "not_joined" || as[1].Counts || !slices.Equal(as[1].Incidents, []int{0}) {
		t.Fatalf("attempts beside incidents %+v, %v", as, err)
	}
}
