package engine_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

// recordedStores opens the stores the one-write tests run on: bolt in a
// temporary directory, and Redis when ACCREDIT_TEST_REDIS names one.
func recordedStores(t *testing.T) map[string]func(t *testing.T) store.Store {
	return map[string]func(t *testing.T) store.Store{
		"bolt":  func(t *testing.T) store.Store { return bolttest.Open(t) },
		"redis": func(t *testing.T) store.Store { return redistest.Open(t, redistest.Standalone) },
	}
}

// onRecordedStores runs test as a subtest on each of recordedStores, with
// a store of its own.
func onRecordedStores(t *testing.T, test func(t *testing.T, ctx context.Context, s store.Store)) {
	t.Helper()
	for name, open := range recordedStores(t) {
		t.Run(name, func(t *testing.T) { test(t, context.Background(), open(t)) })
	}
}

// auditedEngine is an engine on the test library and s, keeping its audit
// log on s, closed when the test ends.
func auditedEngine(t testing.TB, s store.Store, clk clock.Clock) *engine.Engine {
	t.Helper()
	e := engine.New(engine.Config{Library: testLibrary(t), Store: s, Clock: clk, Audit: audit.New(s, clk)})
	t.Cleanup(e.Close)
	return e
}

// recordedEngine is an engine on s with its audit log on s, one attempt
// (codeOne's) started; it returns the attempt's id.
func recordedEngine(t *testing.T, s store.Store) (*engine.Engine, string) {
	t.Helper()
	e := auditedEngine(t, s, clock.NewFake(t0))
	return e, joinReleased(t, e, e, &peer{})
}

// invigilatorEntry is the entry recording inv1's act on target.
func invigilatorEntry(action audit.Action, target audit.Target) *audit.Entry {
	return &audit.Entry{Actor: audit.Actor{Kind: audit.ActorStaff, ID: "inv1", Role: "invigilator"}, Action: action, Target: target}
}

// pauseEntry is the entry recording inv1's pause of attempt id for a fire
// alarm.
func pauseEntry(id string) *audit.Entry {
	e := invigilatorEntry(audit.AttemptPause, audit.Target{Kind: audit.TargetAttempt, ID: id})
	e.Reason = "fire alarm"
	return e
}

// storedAttempt reads the attempt's state from the store afresh, as a
// node starting now would.
func storedAttempt(t *testing.T, s store.Store, id string) *engine.Attempt {
	t.Helper()
	e := engine.New(engine.Config{Library: testLibrary(t), Store: s, Clock: clock.NewFake(t0)})
	defer e.Close()
	a, _, err := e.Attempt(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestActStoredWithItsRecord: on bolt and Redis, an invigilator's act
// given its entry stores both in one write: taken, one entry, whose Before
// is the state decided on; refused or changing nothing, no entry; and
// when that write fails, neither the act nor the entry is stored and the
// error says the act was not recorded.
func TestActStoredWithItsRecord(t *testing.T) {
	onRecordedStores(t, func(t *testing.T, ctx context.Context, s store.Store) {
		e, id := recordedEngine(t, s)
		streamLen := func() int {
			recs, err := s.Read(ctx, id, 0)
			if err != nil {
				t.Fatal(err)
			}
			return len(recs)
		}
		n := streamLen()
		if err := e.Invigilate(ctx, id, engine.Command{Kind: engine.CmdPause, Reason: "fire alarm", By: "inv1", Record: pauseEntry(id)}); err != nil {
			t.Fatal(err)
		}
		es, err := audit.Read(ctx, s, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].Entry.Action != audit.AttemptPause || es[0].Entry.Target.ID != id {
			t.Fatalf("recorded %+v, want one pause of %s", es, id)
		}
		if got := string(es[0].Entry.Before); got != `{"status":"in_progress","paused":false,"deadline":"2026-12-01T09:30:00.000Z"}` {
			t.Errorf("entry's before = %s", got)
		}
		if got := streamLen(); got != n+1 || !storedAttempt(t, s, id).Paused {
			t.Fatalf("attempt stream %d records (was %d), paused %v: the act was not stored", got, n, storedAttempt(t, s, id).Paused)
		}
		// Pausing again changes nothing: nothing stored, nothing recorded.
		if err := e.Invigilate(ctx, id, engine.Command{Kind: engine.CmdPause, By: "inv1", Record: pauseEntry(id)}); err != nil {
			t.Fatal(err)
		}
		if es, _ := audit.Read(ctx, s, 0); len(es) != 1 {
			t.Fatalf("an act changing nothing recorded: %d entries", len(es))
		}

		// The one write fails: the resume is not stored, nor its entry.
		fs := storetest.FailingAll{Store: s}
		fe := recordedEngineOn(t, fs, id)
		resume := invigilatorEntry(audit.AttemptResume, audit.Target{Kind: audit.TargetAttempt, ID: id})
		err = fe.Invigilate(ctx, id, engine.Command{Kind: engine.CmdResume, By: "inv1", Record: resume})
		if !errors.Is(err, audit.ErrNotRecorded) || !errors.Is(err, storetest.ErrWriteFailed) {
			t.Fatalf("resume with a failing write: %v, want ErrNotRecorded wrapping the store's error", err)
		}
		if es, _ := audit.Read(ctx, s, 0); len(es) != 1 {
			t.Fatalf("a failed act recorded: %d entries", len(es))
		}
		if !storedAttempt(t, s, id).Paused || streamLen() != n+1 {
			t.Fatal("the resume was stored though its write failed")
		}
	})
}

// recordedEngineOn is an engine with its audit log on s for an attempt
// that exists already.
func recordedEngineOn(t *testing.T, s store.Store, id string) *engine.Engine {
	t.Helper()
	e := auditedEngine(t, s, clock.NewFake(t0.Add(time.Minute)))
	if _, _, err := e.Attempt(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRecordFirstWhereNotAtomic: a store that cannot write the act and
// its entry together (ErrNotAtomic) gets them apart, the entry first, and
// each act taken has its entry.
func TestRecordFirstWhereNotAtomic(t *testing.T) {
	onRecordedStores(t, func(t *testing.T, ctx context.Context, s store.Store) {
		_, id := recordedEngine(t, s)
		e := recordedEngineOn(t, storetest.NotAtomic{Store: s}, id)
		if err := e.Invigilate(ctx, id, engine.Command{Kind: engine.CmdPause, By: "inv1", Record: pauseEntry(id)}); err != nil {
			t.Fatal(err)
		}
		if !storedAttempt(t, s, id).Paused {
			t.Fatal("the pause was not stored")
		}
		void := invigilatorEntry(audit.AttemptVoid, audit.Target{Kind: audit.TargetAttempt, ID: id})
		if err := e.Invigilate(ctx, id, engine.Command{Kind: engine.CmdVoid, By: "inv1", Record: void}); err != nil {
			t.Fatal(err)
		}
		// A refusal decided on the node's copy stores and records nothing.
		if err := e.Invigilate(ctx, id, engine.Command{Kind: engine.CmdPause, By: "inv1", Record: pauseEntry(id)}); !errors.Is(err, engine.ErrNotInProgress) {
			t.Fatalf("pause of a voided attempt: %v", err)
		}
		want := []audit.Action{audit.AttemptPause, audit.AttemptVoid}
		if got := recordedActions(t, s); !slices.Equal(got, want) {
			t.Fatalf("recorded %v, want %v", got, want)
		}
	})
}

// actsFailing is storetest.NotAtomic failing the appends of the act (every stream
// but the audit log's).
type actsFailing struct{ storetest.NotAtomic }

func (s actsFailing) Append(ctx context.Context, stream string, expect int64, recs ...[]byte) (int64, error) {
	if stream != audit.LogStream {
		return 0, storetest.ErrWriteFailed
	}
	return s.Store.Append(ctx, stream, expect, recs...)
}

// TestRecordFirstThenAborted: on the record-first path an act whose own
// write fails after its entry is stored is recorded as not taken, and an
// entry that cannot be appended refuses the act with nothing stored.
func TestRecordFirstThenAborted(t *testing.T) {
	onRecordedStores(t, func(t *testing.T, ctx context.Context, s store.Store) {
		_, id := recordedEngine(t, s)
		e := recordedEngineOn(t, actsFailing{storetest.NotAtomic{Store: s}}, id)
		err := e.Invigilate(ctx, id, engine.Command{Kind: engine.CmdPause, By: "inv1", Record: pauseEntry(id)})
		if !errors.Is(err, storetest.ErrWriteFailed) || errors.Is(err, audit.ErrNotRecorded) {
			t.Fatalf("pause failing after its record: %v", err)
		}
		want := []audit.Action{audit.AttemptPause, audit.AttemptPause.Aborted()}
		if got := recordedActions(t, s); !slices.Equal(got, want) {
			t.Fatalf("recorded %v, want %v", got, want)
		}
		if storedAttempt(t, s, id).Paused {
			t.Fatal("the pause was stored though its write failed")
		}
		// The log refuses the entry: the act is not taken.
		ne := recordedEngineOn(t, noAuditStore{storetest.NotAtomic{Store: s}}, id)
		err = ne.Invigilate(ctx, id, engine.Command{Kind: engine.CmdPause, By: "inv1", Record: pauseEntry(id)})
		if !errors.Is(err, audit.ErrNotRecorded) {
			t.Fatalf("pause without its record: %v", err)
		}
		if got := recordedActions(t, s); !slices.Equal(got, want) || storedAttempt(t, s, id).Paused {
			t.Fatalf("an act whose entry was refused was stored or recorded: %v", got)
		}
	})
}

func recordedActions(t *testing.T, s store.Store) []audit.Action {
	t.Helper()
	es, err := audit.Read(context.Background(), s, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Action
	for _, x := range es {
		out = append(out, x.Entry.Action)
	}
	return out
}

// TestReleaseStoredWithItsRecord: the release and its entry are one
// write; a failed write starts nobody and records nothing, and releasing
// a released sitting records nothing more.
func TestReleaseStoredWithItsRecord(t *testing.T) {
	onRecordedStores(t, func(t *testing.T, ctx context.Context, s store.Store) {
		clk := clock.NewFake(t0)
		rel := invigilatorEntry(audit.SittingRelease, audit.Target{Kind: audit.TargetSitting, ID: "s1"})
		failing := auditedEngine(t, storetest.FailingAll{Store: s}, clk)
		id, err := failing.Join(ctx, codeOne, &peer{})
		if err != nil {
			t.Fatal(err)
		}
		if err := failing.ReleaseRecorded(ctx, "s1", "inv1", rel); !errors.Is(err, audit.ErrNotRecorded) {
			t.Fatalf("release with a failing write: %v", err)
		}
		if es, _ := audit.Read(ctx, s, 0); len(es) != 0 {
			t.Fatalf("a release not stored recorded %d entries", len(es))
		}
		if a := storedAttempt(t, s, id); a.Status != engine.StatusWaiting {
			t.Fatalf("attempt %s though the release failed", a.Status)
		}
		e := auditedEngine(t, s, clk)
		for range 2 {
			if err := e.ReleaseRecorded(ctx, "s1", "inv1", rel); err != nil {
				t.Fatal(err)
			}
		}
		if es, _ := audit.Read(ctx, s, 0); len(es) != 1 || es[0].Entry.Action != audit.SittingRelease {
			t.Fatalf("released twice, recorded %+v, want one release", es)
		}
		if a := storedAttempt(t, s, id); a.Status != engine.StatusInProgress {
			t.Fatalf("attempt %s after the release", a.Status)
		}
	})
}

// TestRoomActsStoredWithTheirRecord: a check-in, an announcement and an
// incident are stored with their entries in one write, and refused with
// neither stored when that write fails.
func TestRoomActsStoredWithTheirRecord(t *testing.T) {
	onRecordedStores(t, func(t *testing.T, ctx context.Context, s store.Store) {
		clk := clock.NewFake(t0)
		room := audit.Target{Kind: audit.TargetSitting, ID: "s1"}
		acts := func(e *engine.Engine) []error {
			_, ierr := e.LogIncident(ctx, "s1", engine.Incident{Category: "environment", Text: "fire alarm", Reporter: "inv1",
				Record: invigilatorEntry(audit.SittingIncident, room)})
			return []error{
				e.CheckInRecorded(ctx, "s1", "c1", "inv1", invigilatorEntry(audit.AttemptCheckIn, audit.Target{Kind: audit.TargetAttempt, ID: "attempt/s1/c1"})),
				e.AnnounceRecorded(ctx, "s1", "Ten minutes left", "inv1", invigilatorEntry(audit.SittingAnnounce, room)),
				ierr,
			}
		}
		failing := auditedEngine(t, storetest.FailingAll{Store: s}, clk)
		for i, err := range acts(failing) {
			if !errors.Is(err, audit.ErrNotRecorded) {
				t.Errorf("act %d with a failing write: %v", i, err)
			}
		}
		for _, stream := range []string{"sitting/s1", "incidents/s1", audit.LogStream} {
			if recs, _ := s.Read(ctx, stream, 0); len(recs) != 0 {
				t.Errorf("%s holds %d records after acts not stored", stream, len(recs))
			}
		}
		e := auditedEngine(t, s, clk)
		for i, err := range acts(e) {
			if err != nil {
				t.Fatalf("act %d: %v", i, err)
			}
		}
		want := []audit.Action{audit.SittingIncident, audit.AttemptCheckIn, audit.SittingAnnounce} // the incident is logged first
		if got := recordedActions(t, s); !slices.Equal(got, want) {
			t.Fatalf("recorded %v, want %v", got, want)
		}
	})
}
