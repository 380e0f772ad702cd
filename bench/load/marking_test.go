package load

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/storetest"
)

// writeRoleplayTree writes content with one candidate and a role-play
// model for p, and loads both.
func writeRoleplayTree(t *testing.T, p Roleplay) (*content.Library, *roleplay.Model, []string) {
	t.Helper()
	dir := t.TempDir()
	if _, err := WriteContent(filepath.Join(dir, "content"), 1); err != nil {
		t.Fatal(err)
	}
	codes, err := WriteRoleplay(filepath.Join(dir, "roleplay"), filepath.Join(dir, "content"), p)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := content.LoadDir(filepath.Join(dir, "content"))
	if err != nil {
		t.Fatalf("content with assessors does not load: %v", err)
	}
	m, err := roleplay.LoadDir(filepath.Join(dir, "roleplay"))
	if err != nil {
		t.Fatalf("generated role-play model does not load: %v", err)
	}
	return lib, m, codes
}

func TestWriteRoleplay(t *testing.T) {
	// 26 assessors make 13 double-marked stations: circuits of 4, 4, 4 and 1.
	lib, m, codes := writeRoleplayTree(t, Roleplay{Assessors: 26, Stations: 4, Candidates: 5})
	unlinked, err := marking.CheckStaff(m, lib.Staff)
	if err != nil || len(unlinked) > 0 {
		t.Fatalf("staff links: unlinked %v, error %v", unlinked, err)
	}
	if len(codes) != 26 || len(m.Circuits) != 4 || len(m.Assessors) != 27 {
		t.Fatalf("%d codes, %d circuits, %d assessors in the model", len(codes), len(m.Circuits), len(m.Assessors))
	}
	now := time.Now()
	stations := 0
	for _, c := range m.Circuits {
		if start, end := c.SlotTimes(1); now.Before(start) || !now.Before(end) {
			t.Fatalf("circuit %s: slot 1 runs %v to %v, not now", c.ID, start, end)
		}
		if c.Slots() != 5 || len(c.Candidates) != 5 || len(c.Schedule) != 5*len(c.Stations) {
			t.Fatalf("circuit %s: %d slots, %d candidates, %d visits", c.ID, c.Slots(), len(c.Candidates), len(c.Schedule))
		}
		for _, st := range c.Stations {
			if !st.DoubleMarked() {
				t.Fatalf("circuit %s station %s is not double-marked", c.ID, st.ID)
			}
			stations++
		}
	}
	if stations != 13 {
		t.Fatalf("%d stations", stations)
	}
	for i, code := range codes {
		st, ok := lib.StaffByCode(code)
		if !ok || st.Assessor != AssessorID(i) || st.Role != content.RoleAssessor {
			t.Fatalf("code %s: staff %+v", code, st)
		}
	}
	if st, ok := lib.StaffByCode(LeadCode); !ok || st.Role != content.RoleLeadAssessor {
		t.Fatal("no lead assessor")
	}
	if _, ok := lib.StaffByCode(InvigilatorCode); !ok {
		t.Fatal("the invigilator was lost")
	}
	for _, p := range []Roleplay{{Assessors: 3}, {Assessors: 0}, {Assessors: 2, SlotLength: 10 * time.Minute}} {
		if _, err := WriteRoleplay(t.TempDir(), t.TempDir(), p); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
}

// markingNodes starts n marking services on one bolt store and one
// broker, as nodes sharing a store do, identifying assessors by the staff codes of lib.
func markingNodes(t *testing.T, n int, lib *content.Library, m *roleplay.Model) ([]string, *bolt.Store) {
	t.Helper()
	st := bolttest.Open(t)
	identify := func(_ *http.Request, code string) (string, error) {
		if s, ok := lib.StaffByCode(code); ok && s.Assessor != "" {
			return s.Assessor, nil
		}
		return "", errors.New("no assessor has that code")
	}
	var nodes []string
	br := storetest.NewBroker()
	for range n {
		svc := marking.New(marking.Config{Model: m, Store: st, Identify: identify, Broker: br})
		br.WaitSubscribed()
		mux := http.NewServeMux()
		mux.Handle("GET /ws/assessor", svc.WebSocketHandler())
		hs := httptest.NewServer(mux)
		t.Cleanup(func() { svc.Close(); hs.Close() }) // cleanups run last first: before the store closes
		nodes = append(nodes, strings.TrimPrefix(hs.URL, "http://"))
	}
	return nodes, st
}

// TestAssessorsEndToEnd runs simulated assessors against two real marking
// services sharing a bolt store. Connections drop with changes in flight,
// further changes are made offline and sent on the other node: every
// acknowledged change must be stored exactly once, in order, and the loss
// check must find every acknowledged mark, note, judgement and submission.
func TestAssessorsEndToEnd(t *testing.T) {
	lib, m, codes := writeRoleplayTree(t, Roleplay{Assessors: 8, Stations: 2, Candidates: 3})
	nodes, st := markingNodes(t, 2, lib, m)
	cfg := Config{Nodes: nodes, Seed: 11, RetryPause: time.Microsecond,
		Assessors: Assessors{Codes: codes, NoteRate: 0.5, RemarkRate: 0.5, DropRate: 0.25, Offline: 2}}
	res, err := RunMarking(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Connected != 8 || res.Submitted != 8 || len(res.Errors) != 0 {
		t.Fatalf("connected %d, submitted %d of 8; errors %v", res.Connected, res.Submitted, res.Errors)
	}
	if res.Reconnects == 0 || res.Resent == 0 || res.Lost() != 0 || res.Checked == 0 {
		t.Fatalf("%d reconnects, %d changes sent again; lost %d of %d checked (missing %d, different %d)",
			res.Reconnects, res.Resent, res.Lost(), res.Checked, res.Missing, res.Different)
	}
	for _, s := range res.sims {
		sh := s.sheet
		recs, err := st.Read(context.Background(), marking.StreamName(sh.key), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(sh.log) {
			t.Fatalf("%s: %d records stored, %d changes acknowledged", marking.StreamName(sh.key), len(recs), len(sh.log))
		}
		for i, rec := range recs {
			var e roleplay.Entry
			if err := json.Unmarshal(rec, &e); err != nil {
				t.Fatal(err)
			}
			if want := sh.log[i]; e.By != sh.key.Assessor || !sameChange(e.Change, want) {
				t.Fatalf("%s record %d: stored %+v, acknowledged %+v", marking.StreamName(sh.key), i, e.Change, want)
			}
		}
		if !sh.acked.submitted || len(sh.pending) != 0 {
			t.Fatalf("%s: submitted %v, %d changes pending", marking.StreamName(sh.key), sh.acked.submitted, len(sh.pending))
		}
	}
}

// sameChange reports whether a stored change is the acknowledged message.
func sameChange(c roleplay.Change, m marking.ClientMsg) bool {
	v := 0
	if m.Value != nil {
		v = *m.Value
	}
	kinds := map[string]roleplay.Kind{marking.MsgMark: roleplay.SetMark, marking.MsgJudgement: roleplay.SetJudgement,
		marking.MsgNote: roleplay.SetNote, marking.MsgSubmit: roleplay.Submit}
	return c.Seq == m.Seq && c.Kind == kinds[m.Type] && c.Criterion == m.Criterion && c.Value == v && c.Text == m.Text
}

func TestCompareSheet(t *testing.T) {
	two, three := 2, 3
	want := sheetValues{marks: map[string]int{"safety": 2, "purpose": 1}, judgement: &three,
		notes: map[string]string{"": "general", "safety": "seen", "purpose": ""}, submitted: true, lastSeq: 9}
	same := &sheetView{Marks: map[string]int{"safety": 2, "purpose": 1, "extra": 0}, Judgement: &three,
		Notes: map[string]string{"": "general", "safety": "seen"}, Submitted: true, LastSeq: 9}
	for _, tc := range []struct {
		name               string
		change             func(v *sheetView)
		missing, different []string
	}{
		{"same (an extra mark and a cleared note do not count)", func(*sheetView) {}, nil, nil},
		{"later seq stored", func(v *sheetView) { v.LastSeq = 10 }, nil, nil},
		{"mark lost", func(v *sheetView) { delete(v.Marks, "safety") }, []string{"mark safety"}, nil},
		{"older mark kept", func(v *sheetView) { v.Marks["purpose"] = 0 }, nil, []string{"mark purpose"}},
		{"note lost", func(v *sheetView) { delete(v.Notes, "") }, []string{"note "}, nil},
		{"cleared note present", func(v *sheetView) { v.Notes["purpose"] = "old" }, nil, []string{"note purpose"}},
		{"judgement lost", func(v *sheetView) { v.Judgement = nil }, []string{"judgement"}, nil},
		{"judgement different", func(v *sheetView) { v.Judgement = &two }, nil, []string{"judgement"}},
		{"submission lost", func(v *sheetView) { v.Submitted = false }, []string{"submitted"}, nil},
		{"last seq behind", func(v *sheetView) { v.LastSeq = 8 }, nil, []string{"last_seq"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := *same
			got.Marks, got.Notes = map[string]int{}, map[string]string{}
			for k, v := range same.Marks {
				got.Marks[k] = v
			}
			for k, v := range same.Notes {
				got.Notes[k] = v
			}
			tc.change(&got)
			l := compareSheet(want, &got)
			// 2 marks + 3 notes + judgement + submitted + last_seq
			if l.Checked != 8 || !equal(l.Missing, tc.missing) || !equal(l.Different, tc.different) {
				t.Fatalf("got %+v, want 8 checked, missing %v, different %v", l, tc.missing, tc.different)
			}
		})
	}
	if l := compareSheet(want, nil); l.Checked != 8 || len(l.Missing) != 7 {
		// The cleared note is not missing from a sheet not read back.
		t.Fatalf("nothing read back: %+v", l)
	}
}

func TestReportAssessorSection(t *testing.T) {
	res := &Result{Candidates: 1, Connected: 1, Counts: Counts{Checked: 1}, Marking: &MarkingResult{Assessors: 4, Connected: 3,
		Ack: Summary{N: 40, P99: 120 * time.Millisecond}, Counts: Counts{Acked: 40, Checked: 30, Different: 2}, Submitted: 3,
		Errors: map[string]int{"error 501 store": 1}}}
	var b strings.Builder
	WriteReport(&b, "t", "accredit-load --assessors 4", Config{Nodes: []string{"n"}}, res, Targets{MarkAckP99: 100 * time.Millisecond}, "")
	out := b.String()
	for _, want := range []string{
		"## Assessors",
		"| assessors signed in before marking | 3 of 4 | 4 | **missed** by 1 |",
		"**missed** by 20ms (20% over)",
		"| loss check: acknowledged sheet fields read back | 30 checked, 2 lost | 0 lost | **missed**: 0 missing, 2 different |",
		"Assessor errors by kind: error 501 store: 1.",
		"Missed: assessors signed in, marking acknowledgement latency, marking loss.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	res.Marking = nil
	WriteReport(&b, "t", "accredit-load", Config{Nodes: []string{"n"}}, res, Targets{}, "")
	if strings.Contains(b.String(), "Assessors") {
		t.Errorf("a run without assessors has an assessor section:\n%s", b.String())
	}
}
