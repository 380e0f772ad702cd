package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// The past cohort in the programme's records: the 300 people of the past
// sitting, each with their monitoring answers, endorsed by their
// supervisor and booked on the past sitting and the past role-play day,
// all as of pastRecorded, two months before the sitting. Their attempts
// and sheets are stored afterwards (demoseed.go), through the bookings'
// access codes, so the names on the portal, the test, the role-play and
// the reports are one set of people.

// openPastProgramme returns a Programme on st whose clock stands at
// pastRecorded, for writing the past cohort's records as they were made.
// It records into auditLog as the server's Programme does.
func openPastProgramme(ctx context.Context, rules programme.Rules, st store.Store, lib *content.Library, auditLog *audit.Log) (*programme.Programme, error) {
	return loadProgramme(ctx, programme.Config{Store: st, Rules: rules, Library: lib, Clock: clock.NewFake(pastRecorded)}, auditLog)
}

// seedPastCohort writes the past cohort through past, whose clock stands
// at pastRecorded: the people with their monitoring answers, the past
// sitting and role-play day, and each person's endorsement and two
// bookings. The employers and their supervisors must exist.
func seedPastCohort(ctx context.Context, past *programme.Programme) error {
	admin := programme.Actor{Kind: programme.ActorAdmin, ID: "s03"}
	cands := pastCandidates()
	today := pastRecorded.Truncate(24 * time.Hour)
	people := make([]programme.NewPerson, len(cands))
	for i, c := range cands {
		people[i] = programme.NewPerson{Person: programme.Person{ID: c.ID, Name: c.Name, Registration: fmt.Sprintf("SW%06d", 520000+i*7),
			Employer: c.Employer, Employment: programme.Permanent, Started: today.AddDate(-c.Years, 0, 0),
			Email: c.ID + "@people.example", Seeks: programme.Practitioner}, Monitoring: c.Monitoring}
	}
	if err := past.CreatePeople(ctx, admin, people); err != nil {
		return fmt.Errorf("past cohort: %w", err)
	}
	if _, err := past.CreateSitting(ctx, admin, programme.Sitting{ID: pastSitting, Centre: pastCentre, Start: pastScheduled,
		Session: "morning", Capacity: pastCount, Form: "demo-form", Invigilators: []string{"s01"}}); err != nil {
		return err
	}
	if _, err := past.CreateRolePlayDay(ctx, admin, programme.RolePlayDay{ID: pastDay, Centre: pastCentre, Circuit: pastCircuit,
		Slots: []programme.Slot{{ID: "circuit", Start: pastCircuitStart, Capacity: pastCount}}}); err != nil {
		return err
	}
	return forEach(len(cands), func(i int) error {
		c := cands[i]
		sup := programme.Actor{Kind: programme.ActorStaff, ID: "sup-" + c.Employer}
		if _, err := past.Endorse(ctx, sup, programme.Endorsement{Person: c.ID, Status: programme.Practitioner,
			Sessions:           []time.Time{today.AddDate(0, -3, -i%20), today.AddDate(0, 0, -7-i%20)},
			Summary:            "Reflective supervision on the person's current cases and a direct observation of practice.",
			FeedbackConsidered: true, FeedbackSummary: "Feedback from two families, read and discussed together.",
			Outcome: programme.Ready}); err != nil {
			return fmt.Errorf("endorse %s: %w", c.ID, err)
		}
		me := programme.Actor{Kind: programme.ActorCandidate, ID: c.ID}
		if _, err := past.Book(ctx, me, programme.Request{Person: c.ID, Kind: programme.Knowledge, Event: pastSitting}); err != nil {
			return fmt.Errorf("book %s: %w", c.ID, err)
		}
		if _, err := past.Book(ctx, me, programme.Request{Person: c.ID, Kind: programme.RolePlay, Event: pastDay, Slot: "circuit"}); err != nil {
			return fmt.Errorf("book %s's role-play: %w", c.ID, err)
		}
		return nil
	})
}

// pastCodes returns each past candidate's access code to the past
// sitting, from their live booking.
func pastCodes(ctx context.Context, p *programme.Programme) (map[string]string, error) {
	codes := map[string]string{}
	for _, c := range pastCandidates() {
		rec, err := p.Record(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, b := range rec.Bookings {
			if b.Kind == programme.Knowledge && b.Event == pastSitting && b.State == programme.BookingLive {
				codes[c.ID] = b.Code
			}
		}
		if codes[c.ID] == "" {
			return nil, fmt.Errorf("%s has no live booking on %s", c.ID, pastSitting)
		}
	}
	return codes, nil
}

// hasPastCohort reports whether p holds the past sitting: a store seeded
// by an older demo, before its past cohort were programme people, does
// not, and is left as it is.
func hasPastCohort(ctx context.Context, p *programme.Programme) (bool, error) {
	_, err := p.Availability(ctx, programme.Knowledge, pastSitting)
	if errors.Is(err, programme.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
