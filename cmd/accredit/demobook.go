package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/accredit/accredit/engine/programme"
)

// The demo programme's records in the store: the three demo employers in
// their rollout phases, a supervisor at each and an employer administrator
// at the pilot authority (their sign-in codes are in the demo staff file),
// the past cohort (demopast.go), the people of the demo sitting and more,
// each with monitoring answers, a dozen of them endorsed, one
// agency worker short of the tenure rule, and bookings on the next
// knowledge sitting and role-play day. Seeded once: a store that already
// holds employers is left as it is.

// The next sitting and role-play day of the demo programme.
const (
	nextSitting = "next-sitting"
	nextDay     = "next-roleplay"
	nextCentre  = "Harbour Street Assessment Centre, Northmoor"
)

// demoProgrammeRules are the default rules with the demo form and the demo
// practitioner circuits assessing the practitioner status.
func demoProgrammeRules() programme.Rules {
	bps := programme.DefaultBlueprints()
	bps[0].Forms = []string{"demo-form"}
	bps[0].Circuits = []string{"demo-practitioner", pastCircuit}
	return programme.Rules{Blueprints: bps}
}

// demoPerson is one person of the demo programme.
type demoPerson struct {
	id, name, employer string
	agency             bool
	years              int // with the employer (months for agency workers)
	ageBand, sex       string
	endorse            bool
	book               bool
	extraTime          float64
}

var demoPeople = []demoPerson{
	// The demo sitting's candidates, who are also booked on the next one
	// for their role-play.
	{"c01", "Anna Kowalska", "northmoor", false, 4, "25-34", "female", true, true, 0},
	{"c02", "Ben Okoro", "northmoor", false, 7, "35-44", "male", true, true, 0},
	{"c03", "Chloe Marsh", "eastholme", false, 3, "25-34", "female", true, true, 0},
	{"c04", "Dev Patel", "eastholme", false, 12, "45-54", "male", true, true, 1.25},
	{"c05", "Ellie Grant", "calderbank", false, 2, "under 25", "female", true, true, 0},
	{"c06", "Femi Adeyemi", "calderbank", false, 9, "55 and over", "male", true, true, 0},
	{"n07", "Gareth Pugh", "northmoor", false, 15, "55 and over", "male", true, true, 0},
	{"n08", "Hana Sato", "northmoor", true, 9, "35-44", "female", true, true, 0},
	{"e09", "Isla Brennan", "eastholme", false, 5, "25-34", "female", true, false, 0},
	{"e10", "Jamal Ward", "eastholme", false, 20, "45-54", "male", true, false, 0},
	{"k11", "Kasia Nowak", "calderbank", false, 6, "35-44", "female", true, false, 0},
	{"k12", "Leo Fairbairn", "calderbank", false, 1, "under 25", "male", true, false, 0},
	// An agency worker three months with the authority: the supervisor's
	// endorsement is refused under the tenure rule (6 months).
	{"n13", "Marta Ilic", "northmoor", true, 3, "45-54", "female", false, false, 0},
	{"e14", "Nathan Obi", "eastholme", false, 2, "25-34", "male", false, false, 0},
}

// seedProgrammeDemo writes the demo programme, as the programme
// administrator s03, unless the store already has employers: the
// employers, their staff and the past cohort through past, a Programme on
// the same store whose clock stands at pastRecorded (openPastProgramme),
// then the current cohort through p at now.
func seedProgrammeDemo(ctx context.Context, past, p *programme.Programme, now time.Time) error {
	es, err := p.Employers(ctx)
	if err != nil || len(es) > 0 {
		return err
	}
	admin := programme.Actor{Kind: programme.ActorAdmin, ID: "s03"}
	if err := past.CreateEmployers(ctx, admin, []programme.Employer{
		{ID: demoEmployers[0].ID, Name: demoEmployers[0].Name, Region: "North East", Phase: programme.PhasePilot, Rating: programme.RatingGood},
		{ID: demoEmployers[1].ID, Name: demoEmployers[1].Name, Region: "East of England", Phase: programme.Phase1, Rating: programme.RatingImprovement},
		{ID: demoEmployers[2].ID, Name: demoEmployers[2].Name, Region: "Yorkshire and the Humber", Phase: programme.Phase2, Rating: programme.RatingOutstanding},
	}); err != nil {
		return err
	}
	if err := past.CreateStaff(ctx, admin, []programme.Staff{
		{ID: "sup-northmoor", Name: demoEmployers[0].Supervisor, Email: "esther.lewis@northmoor.example", Employer: "northmoor", Role: programme.RoleSupervisor},
		{ID: "sup-eastholme", Name: demoEmployers[1].Supervisor, Email: "farid.amini@eastholme.example", Employer: "eastholme", Role: programme.RoleSupervisor},
		{ID: "sup-calderbank", Name: demoEmployers[2].Supervisor, Email: "joanna.pryce@calderbank.example", Employer: "calderbank", Role: programme.RoleSupervisor},
		{ID: "ea-northmoor", Name: "Tomasz Wilk", Email: "tomasz.wilk@northmoor.example", Employer: "northmoor", Role: programme.RoleEmployerAdmin},
	}); err != nil {
		return err
	}
	if err := seedPastCohort(ctx, past); err != nil {
		return err
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var people []programme.NewPerson
	mon := rand.New(rand.NewPCG(2026, 918))
	for i, d := range demoPeople {
		per := programme.Person{ID: d.id, Name: d.name, Registration: fmt.Sprintf("SW%06d", 410200+i*37),
			Employer: d.employer, Employment: programme.Permanent, Started: today.AddDate(-d.years, 0, 0),
			Email: d.id + "@people.example", Seeks: programme.Practitioner}
		if d.agency {
			per.Employment, per.Started = programme.Agency, today.AddDate(0, -d.years, 0)
		}
		people = append(people, programme.NewPerson{Person: per, Monitoring: programme.Monitoring{AgeBand: d.ageBand, Sex: d.sex,
			Ethnicity: pick(mon, pastEthnic), Disability: pick(mon, pastDisabled)}})
	}
	if err := p.CreatePeople(ctx, admin, people); err != nil {
		return err
	}
	start := today.AddDate(0, 0, 21).Add(9*time.Hour + 30*time.Minute)
	if _, err := p.CreateSitting(ctx, admin, programme.Sitting{ID: nextSitting, Centre: nextCentre, Start: start,
		Session: "morning", Capacity: 30, Form: "demo-form", Invigilators: []string{"s01"}}); err != nil {
		return err
	}
	day := start.AddDate(0, 0, 7)
	if _, err := p.CreateRolePlayDay(ctx, admin, programme.RolePlayDay{ID: nextDay, Centre: nextCentre, Circuit: "demo-practitioner",
		Slots: []programme.Slot{{ID: "am", Start: day, Capacity: 6}, {ID: "pm", Start: day.Add(4 * time.Hour), Capacity: 6}}}); err != nil {
		return err
	}
	for i, d := range demoPeople {
		if !d.endorse && !d.agency {
			continue // not yet endorsed
		}
		sup := programme.Actor{Kind: programme.ActorStaff, ID: "sup-" + d.employer}
		e := programme.Endorsement{Person: d.id, Status: programme.Practitioner,
			Sessions:           []time.Time{today.AddDate(0, -2, -i), today.AddDate(0, 0, -7-i)},
			Summary:            "Reflective supervision on the person's current cases: assessment, planning and direct work with two families.",
			FeedbackConsidered: true, FeedbackSummary: "Feedback from a parent and a young person, read and discussed together.",
			Outcome: programme.Ready}
		_, err := p.Endorse(ctx, sup, e)
		switch {
		case d.endorse && err != nil:
			return fmt.Errorf("endorse %s: %w", d.id, err)
		case !d.endorse && d.agency && !errors.Is(err, programme.ErrRefused):
			return fmt.Errorf("endorse %s, short of the tenure rule: want a refusal, got %v", d.id, err)
		}
		if !d.book {
			continue
		}
		me := programme.Actor{Kind: programme.ActorCandidate, ID: d.id}
		b, err := p.Book(ctx, me, programme.Request{Person: d.id, Kind: programme.Knowledge, Event: nextSitting,
			Adjustments: programme.Adjustments{TimeFactor: d.extraTime}})
		if err != nil {
			return fmt.Errorf("book %s: %w", d.id, err)
		}
		if d.extraTime > 0 {
			if err := p.ApproveAdjustments(ctx, admin, d.id, b.ID); err != nil {
				return err
			}
		}
		slot := []string{"am", "pm"}[i%2]
		if _, err := p.Book(ctx, me, programme.Request{Person: d.id, Kind: programme.RolePlay, Event: nextDay, Slot: slot}); err != nil {
			return fmt.Errorf("book %s's role-play: %w", d.id, err)
		}
	}
	return nil
}
