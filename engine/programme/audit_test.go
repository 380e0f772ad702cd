package programme

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

// TestLogRecorder: the audit log takes an employer's creation, on the
// employer target; a context marked Recorded writes nothing.
func TestLogRecorder(t *testing.T) {
	ctx := context.Background()
	st := openBolt(t)
	log := audit.New(st, clock.NewFake(t0))
	p, err := New(Config{Store: st, Clock: clock.NewFake(t0), Recorder: LogRecorder(log)})
	must(t, err)
	e := Employer{ID: "e1", Name: "Northshire", Region: "North", Phase: PhasePilot, Rating: RatingGood}
	must(t, p.CreateEmployers(ctx, admin, []Employer{e}))
	e.ID = "e2"
	must(t, p.CreateEmployers(Recorded(ctx), admin, []Employer{e}))
	got, err := audit.Read(ctx, st, 0)
	must(t, err)
	if len(got) != 1 || got[0].Entry.Action != audit.EmployerCreate || got[0].Entry.Target.Kind != audit.TargetEmployer {
		t.Fatalf("entries %+v", got)
	}
}

// countingStore counts the appends to the audit log that are not in one
// AppendAll with an act's record.
type countingStore struct {
	store.Store
	mu    sync.Mutex // protects alone
	alone int
}

func (s *countingStore) Append(ctx context.Context, stream string, expect int64, recs ...[]byte) (int64, error) {
	if stream == audit.LogStream {
		s.mu.Lock()
		s.alone++
		s.mu.Unlock()
	}
	return s.Store.Append(ctx, stream, expect, recs...)
}

// auditedActs runs every act of the programme in turn on p, checking after
// each what the audit log on st gained: one entry with the act's action,
// actor and target when the act is taken, none when it is refused.
func auditedActs(t *testing.T, p *Programme, st store.Store) {
	t.Helper()
	ctx := context.Background()
	sup := Actor{Kind: ActorStaff, ID: "sup-bury"}
	cand := Actor{Kind: ActorCandidate, ID: "p1"}
	var bk, bk2, moved Booking
	acts := []struct {
		name   string
		act    func() error
		action audit.Action // "" for an act that must be refused
		actor  audit.Actor
	}{
		{"create employers", func() error {
			return p.CreateEmployers(ctx, admin, []Employer{{ID: "bury", Name: "Bury", Region: "North West", Phase: Phase1, Rating: RatingGood}})
		}, audit.EmployerCreate, auditActor(admin)},
		{"create an employer again", func() error {
			return p.CreateEmployers(ctx, admin, []Employer{{ID: "bury", Name: "Bury", Region: "North West", Phase: Phase1, Rating: RatingGood}})
		}, "", audit.Actor{}},
		{"import employers", func() error {
			_, err := p.ImportEmployers(ctx, admin, "e.csv", strings.NewReader("id,name,region,phase,rating\nleeds,Leeds,Yorkshire,pilot,good\n"))
			return err
		}, audit.ImportEmployers, auditActor(admin)},
		{"create staff", func() error {
			return p.CreateStaff(ctx, admin, []Staff{{ID: "sup-bury", Name: "Sam Super", Employer: "bury", Role: RoleSupervisor}})
		}, audit.StaffCreate, auditActor(admin)},
		{"create a sitting", func() error {
			_, err := p.CreateSitting(ctx, admin, Sitting{ID: "k1", Centre: "Manchester", Start: t0.AddDate(0, 1, 0), Session: "morning", Capacity: 1, Form: "form-p"})
			return err
		}, audit.SittingCreate, auditActor(admin)},
		{"create a second sitting", func() error {
			_, err := p.CreateSitting(ctx, admin, Sitting{ID: "k2", Centre: "Leeds", Start: t0.AddDate(0, 1, 7), Session: "morning", Capacity: 1, Form: "form-p"})
			return err
		}, audit.SittingCreate, auditActor(admin)},
		{"create a role-play day", func() error {
			_, err := p.CreateRolePlayDay(ctx, admin, RolePlayDay{ID: "r1", Centre: "Manchester", Circuit: "circuit-p",
				Slots: []Slot{{ID: "am", Start: t0.AddDate(0, 1, 1), Capacity: 2}}})
			return err
		}, audit.RolePlayDayCreate, auditActor(admin)},
		{"create people", func() error {
			var ps []NewPerson
			for _, id := range []string{"p1", "p2"} {
				ps = append(ps, NewPerson{Person: Person{ID: id, Name: "Person " + id, Registration: "SW" + id, Employer: "bury",
					Employment: Permanent, Started: t0.AddDate(-2, 0, 0), Email: id + "@example.org", Seeks: Practitioner}})
			}
			return p.CreatePeople(ctx, admin, ps)
		}, audit.PersonCreate, auditActor(admin)},
		{"endorse p1", func() error { _, err := p.Endorse(ctx, sup, goodEndorsement("p1", Practitioner)); return err }, audit.EndorsementRecord, auditActor(sup)},
		{"endorse p2", func() error { _, err := p.Endorse(ctx, sup, goodEndorsement("p2", Practitioner)); return err }, audit.EndorsementRecord, auditActor(sup)},
		{"book p1", func() (err error) {
			bk, err = p.Book(ctx, cand, Request{Person: "p1", Kind: Knowledge, Event: "k1", Adjustments: Adjustments{LargerText: true}})
			return err
		}, audit.BookingCreate, auditActor(cand)},
		{"book p2 on a full sitting", func() error {
			_, err := p.Book(ctx, admin, Request{Person: "p2", Kind: Knowledge, Event: "k1"})
			return err
		}, "", audit.Actor{}},
		{"approve p1's adjustments", func() error { return p.ApproveAdjustments(ctx, admin, "p1", bk.ID) }, audit.AdjustmentApprove, auditActor(admin)},
		{"move p1", func() (err error) { moved, err = p.Move(ctx, cand, "p1", bk.ID, "k2", ""); return err }, audit.BookingMove, auditActor(cand)},
		{"book p2", func() (err error) {
			bk2, err = p.Book(ctx, admin, Request{Person: "p2", Kind: Knowledge, Event: "k1"})
			return err
		}, audit.BookingCreate, auditActor(admin)},
		{"move p2 onto the full sitting", func() error { _, err := p.Move(ctx, admin, "p2", bk2.ID, "k2", ""); return err }, "", audit.Actor{}},
		{"cancel p1", func() error { return p.Cancel(ctx, cand, "p1", moved.ID) }, audit.BookingCancel, auditActor(cand)},
		{"withdraw p1's endorsement", func() error { return p.Withdraw(ctx, sup, "p1", "p1-e1", "left the team") }, audit.EndorsementWithdraw, auditActor(sup)},
		{"withdraw it again", func() error { return p.Withdraw(ctx, sup, "p1", "p1-e1", "left the team") }, "", audit.Actor{}},
	}
	for _, a := range acts {
		before, err := audit.Read(ctx, st, 0)
		must(t, err)
		err = a.act()
		after, rerr := audit.Read(ctx, st, 0)
		must(t, rerr)
		got := after[len(before):]
		if a.action == "" {
			if err == nil || len(got) != 0 {
				t.Errorf("%s: err %v, recorded %v: want it refused and nothing recorded", a.name, err, got)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", a.name, err)
		}
		if len(got) != 1 {
			t.Fatalf("%s recorded %d entries, want 1: %+v", a.name, len(got), got)
		}
		if e := got[0].Entry; e.Action != a.action || e.Actor != a.actor || e.Target.ID == "" {
			t.Errorf("%s recorded %+v, want action %s by %+v on a target", a.name, e, a.action, a.actor)
		}
	}
}

// loggedProgramme is a Programme on st recording into the audit log on st.
func loggedProgramme(t testing.TB, st store.Store) *Programme {
	t.Helper()
	clk := clock.NewFake(t0)
	p, err := New(Config{Store: st, Clock: clk, Recorder: LogRecorder(audit.New(st, clk)), Rules: testRules()})
	must(t, err)
	return p
}

// TestActsStoredWithTheirEntry: with the audit log on the programme's
// store, every act is stored with its entry in one write, on both
// backends: nothing is appended to the log alone, a taken act has one
// entry and a refused act none.
func TestActsStoredWithTheirEntry(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			cs := &countingStore{Store: open(t)}
			p := loggedProgramme(t, cs)
			auditedActs(t, p, cs)
			if cs.alone != 0 {
				t.Errorf("%d entries appended apart from their acts", cs.alone)
			}
		})
	}
}

// TestActsRecordedFirstWhereNotAtomic: on a store that cannot write an act
// and its entry together (Redis Cluster, streams in other hash slots),
// each act is recorded first, once, and a refused act is not recorded.
func TestActsRecordedFirstWhereNotAtomic(t *testing.T) {
	cs := &countingStore{Store: storetest.NotAtomic{Store: openBolt(t)}}
	p := loggedProgramme(t, cs)
	auditedActs(t, p, cs)
	if cs.alone == 0 {
		t.Error("no entry appended alone on a store that cannot write two streams together")
	}
}

// TestNoActWithoutItsEntry: when the one write of an act and its entry
// fails, the act fails with audit.ErrNotRecorded and nothing is stored.
func TestNoActWithoutItsEntry(t *testing.T) {
	ctx := context.Background()
	st := openBolt(t)
	failing := storetest.FailingAll{Store: st}
	p := loggedProgramme(t, failing)
	err := p.CreateEmployers(ctx, admin, []Employer{{ID: "bury", Name: "Bury", Region: "North West", Phase: Phase1, Rating: RatingGood}})
	if !errors.Is(err, audit.ErrNotRecorded) {
		t.Fatalf("create employers on a failing store: %v, want audit.ErrNotRecorded", err)
	}
	for _, stream := range []string{streamEmployers, audit.LogStream} {
		if recs, err := st.Read(ctx, stream, 0); err != nil || len(recs) != 0 {
			t.Errorf("%s holds %d records (%v), want none", stream, len(recs), err)
		}
	}
	if es, err := p.Employers(ctx); err != nil || len(es) != 0 {
		t.Errorf("employers %v (%v), want none", es, err)
	}
}

// TestActsOnRedisCluster: on Redis Cluster, where a programme stream and
// the audit log are in other hash slots, every act is recorded first,
// once, and a refused act is not recorded.
func TestActsOnRedisCluster(t *testing.T) {
	if os.Getenv(redistest.Cluster) == "" {
		t.Skip(redistest.Cluster + " names no cluster")
	}
	cs := &countingStore{Store: redistest.Open(t, redistest.Cluster)}
	p := loggedProgramme(t, cs)
	auditedActs(t, p, cs)
	if cs.alone == 0 {
		t.Error("no entry appended alone on Redis Cluster")
	}
}
