package programme

import (
	"context"
	"testing"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/internal/clock"
)

// TestLogRecorder: the audit log takes the programme's actions and the
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
	for _, a := range []audit.Action{ActEmployerCreate, ActPersonCreate, ActStaffCreate, ActSittingCreate, ActRolePlayDayCreate,
		ActEndorsementRecord, ActEndorsementWithdraw, ActBookingCreate, ActBookingCancel, ActBookingMove,
		ActAdjustmentApprove, ActImportPeople, ActImportEmployers} {
		if !a.Known() {
			t.Errorf("%s is not an audit action", a)
		}
	}
}
