package marking

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store/storetest"
)

func dialAs(t *testing.T, url, who string) *client {
	t.Helper()
	h := http.Header{"Cookie": {"who=" + who}}
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http")+"/ws/assessor", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{t: t, conn: c}
}

func stationsOf(w ServerMsg) []string {
	var out []string
	for _, c := range w.Circuits {
		for _, st := range c.Stations {
			s := c.ID + "/" + st.ID + "/" + string(st.Marker)
			for _, sl := range st.Schedule {
				s += " " + sl.Candidate
			}
			out = append(out, s)
		}
	}
	return out
}

// TestThirdMarkerTold: the assessor the lead assigns as third marker is
// told at once on their open connection, and may then mark the station.
func TestThirdMarkerTold(t *testing.T) {
	r := newRig(t)
	hs := r.server()
	h := dialAs(t, hs.URL, helen)
	h.send(`{"type":"hello","v":1}`) // identified by the staff session
	w := h.expect(MsgWelcome, 0)
	if got := strings.Join(stationsOf(w), "|"); got != "demo-practitioner/S3/primary C03 C02 C01 C04|demo-supervisor/P1/primary P01 P02" {
		t.Fatalf("stations before any flag: %s", got)
	}
	r.complete(key("S1", "C01", liam), 1, 1, 0)
	r.complete(key("S1", "C01", nadia), 1, 5, 3)
	r.assign("S1", "C01", helen)
	m := h.expect(MsgCircuits, 0)
	if got := strings.Join(stationsOf(m), "|"); got != "demo-practitioner/S3/primary C03 C02 C01 C04|demo-practitioner/S1/third_marker C01|demo-supervisor/P1/primary P01 P02" {
		t.Fatalf("stations once assigned: %s", got)
	}
	h.send(`{"type":"mark","seq":1,"circuit":"demo-practitioner","station":"S1","candidate":"C01","criterion":"safety","value":2}`)
	h.expect(MsgAck, 0)
	h.send(`{"type":"ping"}`)
	h.expect(MsgPong, 0) // nothing changed: no circuits message follows
	h.send(`{"type":"ping"}`)
	h.expect(MsgPong, 0)
}

// TestLeadDecisionTold: on a circuit where the lead decides, a flagged
// station appears among the lead's own sheets; a connection learns of it
// with its next ping, wherever the marks were stored.
func TestLeadDecisionTold(t *testing.T) {
	r := newRig(t)
	r.model.Circuits[circuitID].DoubleMarking.Resolution = roleplay.ResolveLead
	hs := r.server()
	c := dial(t, hs)
	w := c.hello(iris)
	if got := stationsOf(w); len(got) != 0 {
		t.Fatalf("the lead's stations before any flag: %v", got)
	}
	r.complete(key("S1", "C01", liam), 1, 1, 0)
	r.complete(key("S1", "C01", nadia), 1, 5, 3)
	c.send(`{"type":"ping"}`)
	c.expect(MsgPong, 0)
	m := c.expect(MsgCircuits, 0)
	if got := strings.Join(stationsOf(m), "|"); got != "demo-practitioner/S1/lead C01" {
		t.Fatalf("the lead's stations once flagged: %s", got)
	}
	c.send(`{"type":"judgement","seq":1,"circuit":"demo-practitioner","station":"S1","candidate":"C01","value":3}`)
	c.expect(MsgAck, 0)
	st, err := r.svc.Sheet(context.Background(), key("S1", "C01", iris))
	if err != nil || st.Marker != roleplay.LeadDecision || st.Judgement == nil || *st.Judgement != 3 {
		t.Fatalf("lead's decision sheet %+v, %v", st, err)
	}
}

// TestLeadDecisionAudited: the lead's decision on a flagged station (its
// submit) is in the audit log, by the lead, on the decision sheet; the
// marks before it are not acts to record.
func TestLeadDecisionAudited(t *testing.T) {
	r := flaggedForLead(t)
	r.svc.Close()
	log := audit.New(r.store, r.clock)
	r.svc = New(Config{Model: r.model, Store: r.store, Clock: r.clock, Audit: log, Identify: testIdentify})
	ctx := context.Background()
	k, seq := leadMarks(r)
	if es, _ := audit.Read(ctx, r.store, 0); len(es) != 0 {
		t.Fatalf("marks before the decision were recorded: %+v", es)
	}
	r.must(k, roleplay.Change{By: iris, Seq: seq + 1, Kind: roleplay.Submit})
	es, err := audit.Read(ctx, r.store, 0)
	if err != nil || len(es) != 1 || es[0].Entry.Action != audit.SheetLeadDecision || es[0].Entry.Actor.ID != iris ||
		es[0].Entry.Target.ID != "demo-practitioner/S1/C01/"+iris {
		t.Fatalf("audit log %+v, %v", es, err)
	}
}

// TestLeadDecisionStoredWithItsRecord: the lead's decision and its entry
// are one write. When that write fails the decision is refused with
// CodeStore, the sheet is not submitted and nothing is recorded; sent
// again on a working store, it is stored with exactly one entry.
func TestLeadDecisionStoredWithItsRecord(t *testing.T) {
	r := flaggedForLead(t)
	ctx := context.Background()
	k, seq := leadMarks(r)
	r.svc.Close()
	fs := storetest.FailingAll{Store: r.store}
	r.svc = New(Config{Model: r.model, Store: fs, Clock: r.clock, Audit: audit.New(fs, r.clock), Identify: testIdentify})
	submit := roleplay.Change{By: iris, Seq: seq + 1, Kind: roleplay.Submit}
	_, err := r.svc.Apply(ctx, k, submit)
	if !errors.Is(err, audit.ErrNotRecorded) || codeOf(err).Code != CodeStore {
		t.Fatalf("decision with a failing write: %v, want CodeStore wrapping ErrNotRecorded", err)
	}
	if es, _ := audit.Read(ctx, r.store, 0); len(es) != 0 {
		t.Fatalf("a decision not stored was recorded: %+v", es)
	}
	r.svc.Close()
	r.svc = New(Config{Model: r.model, Store: r.store, Clock: r.clock, Audit: audit.New(r.store, r.clock), Identify: testIdentify})
	if st, _ := r.svc.Sheet(ctx, k); st.Submitted {
		t.Fatal("the decision was stored though its write failed")
	}
	r.must(k, submit)
	if es, _ := audit.Read(ctx, r.store, 0); len(es) != 1 || es[0].Entry.Action != audit.SheetLeadDecision {
		t.Fatalf("recorded %+v, want the one decision", es)
	}
	r.must(k, submit) // sent again: already stored, nothing more recorded
	if es, _ := audit.Read(ctx, r.store, 0); len(es) != 1 {
		t.Fatalf("a re-sent decision recorded again: %d entries", len(es))
	}
}

// flaggedForLead is a rig whose circuit settles flagged stations by the
// lead, with two sheets of S1/C01 that disagree: the lead decides it.
func flaggedForLead(t *testing.T) *rig {
	r := newRig(t)
	r.model.Circuits[circuitID].DoubleMarking.Resolution = roleplay.ResolveLead
	r.complete(key("S1", "C01", liam), 1, 1, 0)
	r.complete(key("S1", "C01", nadia), 1, 5, 3)
	return r
}

// leadMarks has the lead mark every criterion of S1/C01 1 and judge it 3;
// it returns the decision sheet and the seq its last change took.
func leadMarks(r *rig) (roleplay.SheetKey, uint64) {
	k := key("S1", "C01", iris)
	rb, _ := r.model.RubricOf(r.model.Circuits[circuitID], "S1")
	seq := uint64(1)
	for _, cr := range rb.Criteria() {
		r.must(k, roleplay.Change{By: iris, Seq: seq, Kind: roleplay.SetMark, Criterion: cr.ID, Value: 1})
		seq++
	}
	r.must(k, roleplay.Change{By: iris, Seq: seq, Kind: roleplay.SetJudgement, Value: 3})
	return k, seq
}
