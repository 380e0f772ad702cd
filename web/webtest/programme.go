package webtest

import (
	"context"
	"encoding/json"
	"testing"
	"testing/fstest"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/mapfs"
)

// Staff of the programme fixture beside the demo staff: a supervisor at
// each employer and an employer administrator at north.
const (
	SupervisorNorthCode = "SUP-NORA-4K7P"
	SupervisorSouthCode = "SUP-OTTO-8M3R"
	EmployerAdminCode   = "EMP-EVE-6T2W"
)

// ProgrammeLibrary is the demo content with the programme fixture's
// supervisors and employer administrator among the staff.
func ProgrammeLibrary(t testing.TB) *content.Library {
	t.Helper()
	files := fstest.MapFS{}
	mapfs.Copy(t, files, content.Demo(), nil)
	var staff []content.Staff
	if err := json.Unmarshal(files["staff.json"].Data, &staff); err != nil {
		t.Fatal(err)
	}
	staff = append(staff,
		content.Staff{ID: "sup-north", Name: "Nora Supervisor", Role: content.RoleSupervisor, Code: SupervisorNorthCode},
		content.Staff{ID: "sup-south", Name: "Otto Supervisor", Role: content.RoleSupervisor, Code: SupervisorSouthCode},
		content.Staff{ID: "ea-north", Name: "Eve Admin", Role: content.RoleEmployerAdmin, Code: EmployerAdminCode})
	b, _ := json.Marshal(staff)
	files["staff.json"] = &fstest.MapFile{Data: b}
	lib, err := content.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// ProgrammeRules are the default rules with the demo form and the demo
// practitioner circuit assessing the practitioner status.
func ProgrammeRules() programme.Rules {
	bps := programme.DefaultBlueprints()
	bps[0].Forms, bps[0].Circuits = []string{"demo-form"}, []string{"demo-practitioner"}
	return programme.Rules{Blueprints: bps}
}

// SittingStart is when the fixture's sitting ks1 and role-play day rp1
// begin: nine days after Start.
var SittingStart = Start.Add(9*24*time.Hour + 30*time.Minute)

// Programme returns a programme on st seeded with the fixture: employers
// north and south, their staff, people p1 (north, permanent), p2 (south)
// and p3 (north, agency since a month), the knowledge sitting ks1 with
// two seats and the role-play day rp1 with one slot of two. With log set,
// the programme returned records its acts there (the seed is not in it).
func Programme(t testing.TB, st store.Store, clk clock.Clock, lib *content.Library, log *audit.Log) *programme.Programme {
	t.Helper()
	cfg := programme.Config{Store: st, Clock: clk, Rules: ProgrammeRules(), Library: lib}
	p, err := programme.New(cfg)
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	seedEmployers(t, p)
	now := clk.Now()
	person := func(id, name, reg, emp string, kind programme.Employment, started time.Time) programme.NewPerson {
		return programme.NewPerson{Person: programme.Person{ID: id, Name: name, Registration: reg, Employer: emp, Employment: kind,
			Started: started, Email: id + "@example.org", Seeks: programme.Practitioner},
			Monitoring: programme.Monitoring{AgeBand: "35-44", Sex: "female", Ethnicity: "white british", Disability: "no"}}
	}
	must(t, p.CreatePeople(ctx, seedAdmin, []programme.NewPerson{
		person("p1", "Priya Shah", "SW100001", "north", programme.Permanent, now.AddDate(-3, 0, 0)),
		person("p2", "Paul Reid", "SW100002", "south", programme.Permanent, now.AddDate(-2, 0, 0)),
		person("p3", "Ola Agency", "SW100003", "north", programme.Agency, now.AddDate(0, -1, 0)),
	}))
	seedEvents(t, p, "ks1", "rp1", 2)
	return Recording(t, p, cfg, log)
}

// seedAdmin is the administrator the fixtures' seeds act as.
var seedAdmin = programme.Actor{Kind: programme.ActorAdmin, ID: "s03"}

// must fails t when err is not nil.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// seedEvents creates a fixture's knowledge sitting of the demo form at
// SittingStart and its role-play day of the demo practitioner circuit with
// one slot four hours later, both at Harbour Street for capacity people.
func seedEvents(t testing.TB, p *programme.Programme, sitting, day string, capacity int) {
	t.Helper()
	ctx := context.Background()
	_, err := p.CreateSitting(ctx, seedAdmin, programme.Sitting{ID: sitting, Centre: "Harbour Street", Start: SittingStart,
		Session: "morning", Capacity: capacity, Form: "demo-form"})
	must(t, err)
	_, err = p.CreateRolePlayDay(ctx, seedAdmin, programme.RolePlayDay{ID: day, Centre: "Harbour Street", Circuit: "demo-practitioner",
		Slots: []programme.Slot{{ID: "a", Start: SittingStart.Add(4 * time.Hour), Capacity: capacity}}})
	must(t, err)
}

// seedEmployers creates the fixture's employers north and south, a
// supervisor at each and an employer administrator at north.
func seedEmployers(t testing.TB, p *programme.Programme) {
	t.Helper()
	ctx := context.Background()
	must(t, p.CreateEmployers(ctx, seedAdmin, []programme.Employer{
		{ID: "north", Name: "Northmoor Borough Council", Region: "North East", Phase: programme.PhasePilot, Rating: programme.RatingGood},
		{ID: "south", Name: "Southmere County Council", Region: "South West", Phase: programme.Phase1, Rating: programme.RatingOutstanding},
	}))
	must(t, p.CreateStaff(ctx, seedAdmin, []programme.Staff{
		{ID: "sup-north", Name: "Nora Supervisor", Email: "nora@north.example", Employer: "north", Role: programme.RoleSupervisor},
		{ID: "sup-south", Name: "Otto Supervisor", Email: "otto@south.example", Employer: "south", Role: programme.RoleSupervisor},
		{ID: "ea-north", Name: "Eve Admin", Email: "eve@north.example", Employer: "north", Role: programme.RoleEmployerAdmin},
	}))
}

// Recording returns a Programme configured as cfg that records its acts in
// log, beside p on the same store, or p itself when log is nil.
func Recording(t testing.TB, p *programme.Programme, cfg programme.Config, log *audit.Log) *programme.Programme {
	t.Helper()
	if log == nil {
		return p
	}
	cfg.Recorder = programme.LogRecorder(log)
	rp, err := programme.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rp
}
