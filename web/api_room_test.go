package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// TestRejoinApproval: in a sitting whose rejoins need approval, a
// candidate away past the grace is refused; the room row says so; the
// invigilator's approval is recorded in the audit log with the state
// before and after, and the candidate then rejoins. Approving one who has
// not left is refused, and that refusal is recorded too.
func TestRejoinApproval(t *testing.T) {
	lib := webtest.Library(t, "../engine/testdata/lib")
	lib.Sittings["s1"].RejoinApproval = true
	lib.Sittings["s1"].RejoinGraceSeconds = 30
	st := webtest.Bolt(t)
	clk := clock.NewFake(webtest.Start)
	log := audit.New(st, clk)
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st,
		Engine: engine.Config{Clock: clk, Audit: log}, Web: web.Config{Clock: clk, Audit: log}})
	ctx := context.Background()
	eng := n.Engine
	inv := n.Client(t, "STAFF-INV-3H8W")
	const approve = "/api/sittings/s1/candidates/c1/approve-rejoin"

	id, err := eng.Join(ctx, "TEST-ONE-7K2M", enginetest.NopPeer{})
	if err != nil {
		t.Fatal(err)
	}
	inv.Do("POST", "/api/sittings/s1/release", "")
	if code, body := inv.Do("POST", approve, ""); code != http.StatusConflict || !strings.Contains(body, "not waiting to rejoin") {
		t.Fatalf("approve one who has not left: %d %s", code, body)
	}
	eng.Leave(id, enginetest.NopPeer{})
	clk.Advance(31 * time.Second)
	var pe *engine.ProtocolError
	if _, err := eng.Join(ctx, "TEST-ONE-7K2M", enginetest.NopPeer{}); !errors.As(err, &pe) || pe.Code != engine.CodeRejoinApproval {
		t.Fatalf("rejoin past the grace: %v", err)
	}
	if row := roomRow(t, inv, "c1"); !row.NeedsRejoin || row.AwaySince == nil || !row.AwaySince.Equal(webtest.Start) {
		t.Fatalf("row while waiting: %+v", row)
	}

	before := len(entries(t, st))
	if code, body := inv.Do("POST", approve, `{"reason":"back from the bathroom with the invigilator"}`); code != http.StatusOK {
		t.Fatalf("approve: %d %s", code, body)
	}
	got := entries(t, st)[before:]
	if len(got) != 1 {
		t.Fatalf("approval recorded %v", actions(got))
	}
	e := got[0].Entry
	if e.Action != audit.AttemptApproveRejoin || e.Actor.ID == "" || e.Target.ID != id || e.Reason != "back from the bathroom with the invigilator" ||
		!strings.Contains(string(e.Before), `"away":true`) || strings.Contains(string(e.Before), "rejoin_approved") ||
		!strings.Contains(string(e.After), `"rejoin_approved":true`) {
		t.Fatalf("approval entry %+v before %s after %s", e, e.Before, e.After)
	}
	if row := roomRow(t, inv, "c1"); row.NeedsRejoin || !row.RejoinApproved {
		t.Fatalf("row once approved: %+v", row)
	}
	if _, err := eng.Join(ctx, "TEST-ONE-7K2M", enginetest.NopPeer{}); err != nil {
		t.Fatalf("rejoin once approved: %v", err)
	}
	if row := roomRow(t, inv, "c1"); row.AwaySince != nil || row.RejoinApproved {
		t.Fatalf("row once back: %+v", row)
	}
}

func roomRow(t *testing.T, c *webtest.Client, cand string) engine.AttemptSummary {
	t.Helper()
	code, body := c.Do("GET", "/api/sittings/s1", "")
	var sum engine.SittingSummary
	if err := json.Unmarshal([]byte(body), &sum); code != http.StatusOK || err != nil {
		t.Fatalf("sitting: %d %v %s", code, err, body)
	}
	for _, r := range sum.Candidates {
		if r.Candidate == cand {
			return r
		}
	}
	t.Fatalf("no row for %s", cand)
	return engine.AttemptSummary{}
}
