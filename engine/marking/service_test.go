package marking

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
)

// TestApply runs one assessor's sheet through valid and invalid changes in
// order: every refused change gets its documented code, stores nothing and
// loses nothing stored before it.
func TestApply(t *testing.T) {
	r := newRig(t)
	s1 := key("S1", "C01", liam)
	mark := func(seq uint64, crit string, v int) roleplay.Change {
		return roleplay.Change{By: liam, Seq: seq, Kind: roleplay.SetMark, Criterion: crit, Value: v}
	}
	steps := []struct {
		name    string
		key     roleplay.SheetKey
		change  roleplay.Change
		code    int  // 0: accepted
		applied bool // accepted and newly stored
		records int  // records of key's stream afterwards
	}{
		{"first mark", s1, mark(1, "safety", 2), 0, true, 1},
		{"re-sent seq is a duplicate", s1, mark(1, "safety", 2), 0, false, 1},
		{"seq reused for another change", s1, mark(1, "safety", 3), CodeBadSeq, false, 1},
		{"mark outside the scale", s1, mark(2, "safety", 7), CodeOutOfScale, false, 1},
		{"negative mark", s1, mark(2, "purpose", -1), CodeOutOfScale, false, 1},
		{"unknown criterion", s1, mark(2, "charm", 1), CodeUnknownCriterion, false, 1},
		{"refused seq reused for a valid change", s1, mark(2, "purpose", 3), 0, true, 2},
		{"judgement off the scale", s1, roleplay.Change{By: liam, Seq: 3, Kind: roleplay.SetJudgement, Value: 9}, CodeOutOfScale, false, 2},
		{"evidence note", s1, roleplay.Change{By: liam, Seq: 3, Kind: roleplay.SetNote, Text: "Checked who else lives at home."}, 0, true, 3},
		{"submit with criteria unmarked", s1, roleplay.Change{By: liam, Seq: 4, Kind: roleplay.Submit}, CodeIncomplete, false, 3},
		{"candidate not yet at the station", key("S1", "C04", liam), mark(1, "safety", 1), CodeNotAtStation, false, 0},
		{"candidate not in the circuit", key("S1", "C99", liam), mark(1, "safety", 1), CodeNotAtStation, false, 0},
		{"station the assessor does not mark", key("S1", "C01", petra), roleplay.Change{By: petra, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 1}, CodeNotAtStation, false, 0},
		{"unknown station", key("S9", "C01", liam), mark(1, "safety", 1), CodeUnknownSheet, false, 0},
		{"someone else's sheet", s1, roleplay.Change{By: nadia, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 1}, CodeNotAtStation, false, 3},
		{"moderation of an unsubmitted sheet", s1, roleplay.Change{By: iris, Seq: 1, Kind: roleplay.ModerateMark, Criterion: "safety", Value: 1, Reason: "x"}, CodeNotSubmitted, false, 3},
	}
	for _, st := range steps {
		out, err := r.svc.Apply(context.Background(), st.key, st.change)
		var pe *ProtocolError
		switch {
		case st.code == 0 && err != nil:
			t.Errorf("%s: %v", st.name, err)
		case st.code != 0 && (!errors.As(err, &pe) || pe.Code != st.code):
			t.Errorf("%s: err %v, want code %d", st.name, err, st.code)
		case st.code == 0 && out.Applied != st.applied:
			t.Errorf("%s: applied %v, want %v", st.name, out.Applied, st.applied)
		}
		if n := r.records(st.key); n != st.records {
			t.Errorf("%s: %d records stored, want %d", st.name, n, st.records)
		}
	}
	got, err := r.svc.Sheet(context.Background(), s1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Marks["safety"] != 2 || got.Marks["purpose"] != 3 || len(got.Marks) != 2 || got.Notes[""] == "" {
		t.Errorf("sheet after the refusals = %+v", got)
	}
}

func TestSubmitLocks(t *testing.T) {
	r := newRig(t)
	k := key("S3", "C03", helen)
	seq := r.complete(k, 1, 3, 2)
	n := r.records(k)
	for _, tc := range []struct {
		name   string
		change roleplay.Change
		code   int
	}{
		{"second submit", roleplay.Change{By: helen, Seq: seq, Kind: roleplay.Submit}, CodeAlreadySubmitted},
		{"mark after submit", roleplay.Change{By: helen, Seq: seq, Kind: roleplay.SetMark, Criterion: "analysis", Value: 1}, CodeLocked},
		{"note after submit", roleplay.Change{By: helen, Seq: seq, Kind: roleplay.SetNote, Text: "late thought"}, CodeLocked},
	} {
		_, err := r.svc.Apply(context.Background(), k, tc.change)
		var pe *ProtocolError
		if !errors.As(err, &pe) || pe.Code != tc.code {
			t.Errorf("%s: %v, want code %d", tc.name, err, tc.code)
		}
	}
	if got := r.records(k); got != n {
		t.Errorf("refused changes stored: %d records, want %d", got, n)
	}
}

// TestRestart closes and reopens the store: every acknowledged change is
// back, and numbering resumes after the last stored sequence number.
func TestRestart(t *testing.T) {
	r := newRig(t)
	k := key("S1", "C01", liam)
	r.must(k, roleplay.Change{By: liam, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 3})
	r.must(k, roleplay.Change{By: liam, Seq: 2, Kind: roleplay.SetMark, Criterion: "purpose", Value: 1})
	r.must(k, roleplay.Change{By: liam, Seq: 3, Kind: roleplay.ClearMark, Criterion: "purpose"})
	r.must(k, roleplay.Change{By: liam, Seq: 4, Kind: roleplay.SetJudgement, Value: 4})
	r.must(k, roleplay.Change{By: liam, Seq: 5, Kind: roleplay.SetNote, Criterion: "safety", Text: "Asked about the bruise twice."})
	before, _ := r.svc.Sheet(context.Background(), k)

	r.restart()
	after, err := r.svc.Sheet(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	if after.Marks["safety"] != 3 || len(after.Marks) != 1 || after.Judgement == nil || *after.Judgement != 4 ||
		after.Notes["safety"] != before.Notes["safety"] {
		t.Errorf("after restart %+v, before %+v", after, before)
	}
	out := r.must(k, roleplay.Change{By: liam, Seq: 5, Kind: roleplay.SetNote, Criterion: "safety", Text: "Asked about the bruise twice."})
	if out.Applied || out.Acked != 5 {
		t.Errorf("re-send after restart: %+v, want a duplicate acked at 5", out)
	}
	if out := r.must(k, roleplay.Change{By: liam, Seq: 6, Kind: roleplay.SetMark, Criterion: "purpose", Value: 2}); !out.Applied {
		t.Error("seq 6 after restart not applied")
	}
	if n := r.records(k); n != 6 {
		t.Errorf("%d records, want 6", n)
	}
}

// TestConflict: another node appends to the stream behind this service's
// back; the conditional append fails, the sheet catches up and the change
// is applied after the other node's.
func TestConflict(t *testing.T) {
	r := newRig(t)
	k := key("S1", "C01", liam)
	r.must(k, roleplay.Change{By: liam, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 1})
	other := New(Config{Model: r.model, Store: r.store, Clock: r.clock})
	defer other.Close()
	if _, err := other.Apply(context.Background(), k, roleplay.Change{By: liam, Seq: 2, Kind: roleplay.SetMark, Criterion: "purpose", Value: 2}); err != nil {
		t.Fatal(err)
	}
	r.must(k, roleplay.Change{By: liam, Seq: 3, Kind: roleplay.SetMark, Criterion: "safety", Value: 3})
	got, _ := r.svc.Sheet(context.Background(), k)
	if got.Marks["purpose"] != 2 || got.Marks["safety"] != 3 || r.records(k) != 3 {
		t.Errorf("after a conflict: %+v, %d records", got.Marks, r.records(k))
	}
}

func TestModerate(t *testing.T) {
	r := newRig(t)
	k := key("S3", "C03", helen)
	ctx := context.Background()
	if _, err := r.svc.Moderate(ctx, circuitID, iris, Moderation{Station: "S3", Candidate: "C03", Assessor: helen, Criterion: "analysis", Value: 1, Reason: "early"}); codeOf(err).Code != CodeNotSubmitted {
		t.Errorf("moderating before submit: %v", err)
	}
	r.complete(k, 1, 3, 2)
	cases := []struct {
		name string
		lead string
		mod  Moderation
		code int // 0 accepted; -1 ErrNotLead
	}{
		{"not the lead", helen, Moderation{Criterion: "analysis", Value: 1, Reason: "x"}, -1},
		{"no reason", iris, Moderation{Criterion: "analysis", Value: 1, Reason: "  "}, CodeNoReason},
		{"out of scale", iris, Moderation{Criterion: "analysis", Value: 9, Reason: "typo"}, CodeOutOfScale},
		{"mark", iris, Moderation{Criterion: "analysis", Value: 1, Reason: "recording shows no analysis of risk"}, 0},
		{"judgement", iris, Moderation{Value: 2, Reason: "agreed at moderation meeting"}, 0},
	}
	for _, tc := range cases {
		tc.mod.Station, tc.mod.Candidate, tc.mod.Assessor = "S3", "C03", helen
		_, err := r.svc.Moderate(ctx, circuitID, tc.lead, tc.mod)
		switch {
		case tc.code == -1 && !errors.Is(err, ErrNotLead):
			t.Errorf("%s: %v, want ErrNotLead", tc.name, err)
		case tc.code == 0 && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.code > 0 && codeOf(err).Code != tc.code:
			t.Errorf("%s: %v, want %d", tc.name, err, tc.code)
		}
	}
	r.restart()
	st, _ := r.svc.Sheet(ctx, k)
	if len(st.Moderations) != 2 || st.Marks["analysis"] != 1 || st.Original["analysis"] != 2 ||
		*st.Judgement != 2 || *st.OriginalJudgement != 3 || st.Moderations[0].Reason != "recording shows no analysis of risk" {
		t.Errorf("audit trail after restart: %+v", st)
	}
}

// TestThirdMarker: a third marker may mark a double-marked station only
// once it is flagged and the lead has assigned them; the lead may assign
// someone else until the assigned marker begins.
func TestThirdMarker(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	third := key("S1", "C01", helen)
	c := roleplay.Change{By: helen, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 2}
	if _, err := r.svc.Apply(ctx, third, c); codeOf(err).Code != CodeNotAtStation {
		t.Fatalf("third marker before any flag: %v", err)
	}
	if _, err := r.svc.Assign(ctx, circuitID, iris, Assignment{Station: "S1", Candidate: "C01", Assessor: helen}); codeOf(err).Code != CodeNotAtStation {
		t.Fatalf("assignment before any flag: %v", err)
	}
	r.complete(key("S1", "C01", liam), 1, 1, 0)
	r.complete(key("S1", "C01", nadia), 1, 5, 3)
	if _, err := r.svc.Apply(ctx, third, c); codeOf(err).Code != CodeNotAtStation {
		t.Fatalf("third marker before the lead assigned one: %v", err)
	}
	for _, bad := range []struct {
		lead string
		a    Assignment
		want int
	}{
		{iris, Assignment{Station: "S1", Candidate: "C01", Assessor: nadia}, CodeNotAtStation}, // marks the station
		{iris, Assignment{Station: "S1", Candidate: "C01", Assessor: "NOBODY"}, CodeUnknownSheet},
		{iris, Assignment{Station: "S9", Candidate: "C01", Assessor: helen}, CodeUnknownSheet},
		{iris, Assignment{Station: "S1", Candidate: "C02", Assessor: helen}, CodeNotAtStation}, // not flagged
	} {
		if _, err := r.svc.Assign(ctx, circuitID, bad.lead, bad.a); codeOf(err).Code != bad.want {
			t.Errorf("assign %+v: %v, want code %d", bad.a, err, bad.want)
		}
	}
	if _, err := r.svc.Assign(ctx, circuitID, liam, Assignment{Station: "S1", Candidate: "C01", Assessor: helen}); !errors.Is(err, ErrNotLead) {
		t.Errorf("assignment by an assessor: %v", err)
	}
	r.assign("S1", "C01", petra)
	r.assign("S1", "C01", helen) // petra had not begun
	if _, err := r.svc.Apply(ctx, key("S1", "C01", petra), roleplay.Change{By: petra, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 2}); codeOf(err).Code != CodeNotAtStation {
		t.Fatalf("a third marker no longer assigned: %v", err)
	}
	r.must(third, c)
	if n := r.records(third); n != 1 {
		t.Errorf("third marker's sheet has %d records", n)
	}
	if _, err := r.svc.Assign(ctx, circuitID, iris, Assignment{Station: "S1", Candidate: "C01", Assessor: petra}); codeOf(err).Code != CodeAssigned {
		t.Errorf("reassigned after the third marker began: %v", err)
	}
	v, err := r.svc.View(ctx, circuitID)
	if err != nil {
		t.Fatal(err)
	}
	if f := v.Flags[0]; f.Resolver == nil || f.Resolver.Assessor != helen || f.Resolver.Status != StatusInProgress || len(f.ThirdMarkers) != 0 {
		t.Errorf("flag once the third marker began: %+v", f)
	}
}

func TestCurrentSlot(t *testing.T) {
	c := demoModel(t).Circuits[circuitID]
	for _, tc := range []struct {
		at   time.Duration
		want int
	}{{-time.Minute, 0}, {0, 1}, {29 * time.Minute, 1}, {30 * time.Minute, 2}, {119 * time.Minute, 4}, {3 * time.Hour, 5}} {
		if got := currentSlot(c, circuitStart.Add(tc.at)); got != tc.want {
			t.Errorf("at +%v: slot %d, want %d", tc.at, got, tc.want)
		}
	}
}

func TestLoadModel(t *testing.T) {
	m, err := LoadModel("")
	if err != nil || m.Circuits[circuitID] == nil {
		t.Fatalf("demo model: %v", err)
	}
	if _, err := LoadModel(t.TempDir()); err == nil {
		t.Error("an empty directory loaded as a model")
	}
}

func TestCheckStaff(t *testing.T) {
	m := demoModel(t)
	lib, err := content.Load(content.Demo())
	if err != nil {
		t.Fatal(err)
	}
	if unlinked, err := CheckStaff(m, lib.Staff); err != nil || len(unlinked) != 0 {
		t.Fatalf("demo staff: unlinked %v, %v", unlinked, err)
	}
	staff := []content.Staff{
		{ID: "a", Role: content.RoleAssessor, Assessor: liam},
		{ID: "b", Role: content.RoleAssessor, Assessor: iris},
		{ID: "c", Role: content.RoleAssessor, Assessor: "NOBODY"},
	}
	unlinked, err := CheckStaff(m, staff)
	if err == nil || !strings.Contains(err.Error(), `staff b is a assessor but assessor "LEAD-IRIS" is a lead_assessor`) ||
		!strings.Contains(err.Error(), `staff c: assessor "NOBODY" is not in the role-play model`) {
		t.Errorf("error %v", err)
	}
	if len(unlinked) != 5 || slices.Contains(unlinked, liam) {
		t.Errorf("unlinked %v", unlinked)
	}
}

// faulty fails the next Append and the Read that follows it, as a store
// whose backing server drops away would.
type faulty struct {
	store.Store
	failAppend, failRead bool
}

var errDown = errors.New("store down")

func (f *faulty) Append(ctx context.Context, stream string, expect int64, recs ...[]byte) (int64, error) {
	if f.failAppend {
		f.failAppend, f.failRead = false, true
		return 0, errDown
	}
	return f.Store.Append(ctx, stream, expect, recs...)
}

func (f *faulty) Read(ctx context.Context, stream string, from int64) ([][]byte, error) {
	if f.failRead {
		f.failRead = false
		return nil, errDown
	}
	return f.Store.Read(ctx, stream, from)
}

// TestUnstoredChangeNotServed: a change the store refused, on a sheet that
// could not then be re-read, is neither shown nor acknowledged as stored
// when re-sent; the re-send stores it.
func TestUnstoredChangeNotServed(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	f := &faulty{Store: r.store}
	svc := New(Config{Model: r.model, Store: f, Clock: r.clock})
	defer svc.Close()
	k := key("S1", "C01", liam)
	c := roleplay.Change{By: liam, Seq: 1, Kind: roleplay.SetMark, Criterion: "safety", Value: 2}
	svc.Sheet(ctx, k) // cached
	f.failAppend = true
	if _, err := svc.Apply(ctx, k, c); codeOf(err).Code != CodeStore {
		t.Fatalf("apply while the store is down: %v", err)
	}
	st, err := svc.Sheet(ctx, k)
	if err != nil || len(st.Marks) != 0 {
		t.Fatalf("sheet after a refused append: %+v, %v", st, err)
	}
	out, err := svc.Apply(ctx, k, c)
	if err != nil || !out.Applied {
		t.Fatalf("re-send: %+v, %v", out, err)
	}
	if n := r.records(k); n != 1 {
		t.Errorf("%d records stored, want 1", n)
	}
}

// TestWelcomeCatchesUp: an assessor who signs in on a node whose copy of
// their sheet is behind (the other node's notice not yet heard, or no
// broker at all) is welcomed with what is stored.
func TestWelcomeCatchesUp(t *testing.T) {
	r := newRig(t)
	other := New(Config{Model: r.model, Store: r.store, Clock: r.clock, Identify: testIdentify}) // a second node, no broker
	defer other.Close()
	ctx := context.Background()
	k := key("S1", "C01", liam)
	if _, err := other.Sheet(ctx, k); err != nil { // the second node holds the sheet, empty
		t.Fatal(err)
	}
	r.must(k, roleplay.Change{By: liam, Seq: 1, Kind: roleplay.SetJudgement, Value: 2})
	w, err := other.welcome(ctx, r.model.Assessors[liam])
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range w.Sheets {
		if sh.Key == k {
			if sh.LastSeq != 1 || sh.Judgement == nil || *sh.Judgement != 2 {
				t.Fatalf("welcome shows %+v, want the stored judgement at seq 1", sh)
			}
			return
		}
	}
	t.Fatalf("welcome has no sheet %v", k)
}
