package programme

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestEndorseRefusals(t *testing.T) {
	ctx := context.Background()
	sup := Actor{Kind: ActorStaff, ID: "sup-bury"}
	tests := []struct {
		name  string
		by    Actor
		agent time.Time // agency start; zero for a permanent worker
		edit  func(e *Endorsement)
		want  []Code
	}{
		{name: "ready", by: sup},
		{name: "not yet with reason", by: sup, edit: func(e *Endorsement) { e.Outcome, e.Reason = NotYet, "more case work" }},
		{name: "not yet without reason", by: sup, edit: func(e *Endorsement) { e.Outcome = NotYet }, want: []Code{CodeInvalid}},
		{name: "other employer's supervisor", by: Actor{Kind: ActorStaff, ID: "sup-leeds"}, want: []Code{CodeNotSupervisor}},
		{name: "employer admin is not a supervisor", by: Actor{Kind: ActorStaff, ID: "adm-bury"}, want: []Code{CodeNotSupervisor}},
		{name: "unknown staff", by: Actor{Kind: ActorStaff, ID: "nobody"}, want: []Code{CodeNotSupervisor}},
		{name: "administrator", by: admin, want: []Code{CodeNotSupervisor}},
		{name: "feedback not considered", by: sup, edit: func(e *Endorsement) { e.FeedbackConsidered = false }, want: []Code{CodeFeedback}},
		{name: "no feedback summary", by: sup, edit: func(e *Endorsement) { e.FeedbackSummary = " " }, want: []Code{CodeFeedback}},
		{name: "no sessions", by: sup, edit: func(e *Endorsement) { e.Sessions = nil }, want: []Code{CodeInvalid}},
		{name: "session in the future", by: sup, edit: func(e *Endorsement) { e.Sessions = []time.Time{t0.AddDate(0, 0, 2)} }, want: []Code{CodeInvalid}},
		{name: "no summary", by: sup, edit: func(e *Endorsement) { e.Summary = "" }, want: []Code{CodeInvalid}},
		{name: "bad outcome", by: sup, edit: func(e *Endorsement) { e.Outcome = "maybe" }, want: []Code{CodeInvalid}},
		{name: "wrong status", by: sup, edit: func(e *Endorsement) { e.Status = Supervisor }, want: []Code{CodeWrongStatus}},
		{name: "agency 5 months", by: sup, agent: t0.AddDate(0, -5, 0), want: []Code{CodeTenure}},
		{name: "agency 5 months, 30 days", by: sup, agent: t0.AddDate(0, -6, 1), want: []Code{CodeTenure}},
		{name: "agency 6 months", by: sup, agent: t0.AddDate(0, -6, 0)},
		{name: "agency short, not yet", by: sup, agent: t0.AddDate(0, -1, 0), edit: func(e *Endorsement) { e.Outcome, e.Reason = NotYet, "new" }},
		{name: "every reason at once", by: Actor{Kind: ActorStaff, ID: "sup-leeds"}, agent: t0.AddDate(0, -1, 0),
			edit: func(e *Endorsement) { e.FeedbackConsidered, e.Summary = false, "" },
			want: []Code{CodeNotSupervisor, CodeInvalid, CodeFeedback, CodeTenure}},
	}
	onBackends(t, func(t *testing.T, f *fixture) {
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				id := "p" + string(rune('a'+i))
				if tc.agent.IsZero() {
					f.person(t, id, "bury", Permanent, t0.AddDate(-1, 0, 0), Practitioner)
				} else {
					f.person(t, id, "bury", Agency, tc.agent, Practitioner)
				}
				e := goodEndorsement(id, Practitioner)
				if tc.edit != nil {
					tc.edit(&e)
				}
				got, err := f.p.Endorse(ctx, tc.by, e)
				if tc.want == nil {
					if err != nil {
						t.Fatal(err)
					}
					if got.ID == "" || got.Supervisor != tc.by.ID || !got.Expires.Equal(t0.Add(DefaultEndorsementValid)) {
						t.Fatalf("stored %+v", got)
					}
					return
				}
				if !errors.Is(err, ErrRefused) || !slices.Equal(codes(err), tc.want) {
					t.Fatalf("err %v: codes %v, want %v", err, codes(err), tc.want)
				}
				rec, _ := f.p.Record(ctx, id)
				if len(rec.Endorsements) != 0 {
					t.Fatalf("refused endorsement stored: %+v", rec.Endorsements)
				}
			})
		}
	})
}

func TestAgencyMonthsConfigured(t *testing.T) {
	f := newFixture(t, openBolt(t))
	rules := testRules()
	rules.AgencyMonths = 9
	p := f.node(t, rules)
	f.person(t, "ag", "bury", Agency, t0.AddDate(0, -8, 0), Practitioner)
	_, err := p.Endorse(context.Background(), Actor{Kind: ActorStaff, ID: "sup-bury"}, goodEndorsement("ag", Practitioner))
	if !slices.Equal(codes(err), []Code{CodeTenure}) {
		t.Fatalf("8 of 9 months: %v", err)
	}
	for _, m := range []int{5, 13} {
		r := testRules()
		r.AgencyMonths = m
		if err := r.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("agency months %d accepted", m)
		}
	}
}

func TestWholeMonths(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(dateLayout, s); return t }
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2024-01-31", "2024-02-29", 0}, {"2024-01-31", "2024-03-01", 1}, {"2024-01-15", "2024-07-15", 6},
		{"2024-01-15", "2024-07-14", 5}, {"2024-07-15", "2024-01-15", 0}, {"2023-12-01", "2024-12-01", 12},
	} {
		if got := wholeMonths(d(tc.from), d(tc.to)); got != tc.want {
			t.Errorf("%s to %s: %d months, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestEligibility(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, openBolt(t))
	sup := Actor{Kind: ActorStaff, ID: "sup-bury"}
	f.person(t, "none", "bury", Permanent, t0.AddDate(-1, 0, 0), Practitioner)
	f.person(t, "notyet", "bury", Permanent, t0.AddDate(-1, 0, 0), Practitioner)
	e := goodEndorsement("notyet", Practitioner)
	e.Outcome, e.Reason = NotYet, "needs more reflective work"
	_, err := f.p.Endorse(ctx, sup, e)
	must(t, err)
	f.endorsed(t, "ok")
	f.endorsed(t, "gone")
	rec, _ := f.p.Record(ctx, "gone")
	must(t, f.p.Withdraw(ctx, Actor{Kind: ActorStaff, ID: "adm-bury"}, "gone", rec.Endorsements[0].ID, "left the team"))
	f.person(t, "lead", "bury", Permanent, t0.AddDate(-1, 0, 0), Leader)
	_, err = f.p.Endorse(ctx, sup, goodEndorsement("lead", Leader))
	must(t, err)

	tests := []struct {
		person string
		status Status
		want   []Code
	}{
		{"ok", Practitioner, nil},
		{"ok", Supervisor, []Code{CodeWrongStatus}},
		{"none", Practitioner, []Code{CodeNoEndorsement}},
		{"notyet", Practitioner, []Code{CodeNotReady}},
		{"gone", Practitioner, []Code{CodeWithdrawn}},
		{"lead", Leader, []Code{CodeUnavailable}},
		{"lead", Supervisor, nil},
		{"lead", Practitioner, []Code{CodeWrongStatus}},
	}
	for _, tc := range tests {
		rs, err := f.p.Eligibility(ctx, tc.person, tc.status)
		must(t, err)
		var got []Code
		for _, r := range rs {
			got = append(got, r.Code)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s for %s: %v, want %v", tc.person, tc.status, rs, tc.want)
		}
	}
	f.clk.Advance(DefaultEndorsementValid)
	rs, _ := f.p.Eligibility(ctx, "ok", Practitioner)
	if len(rs) != 1 || rs[0].Code != CodeExpired {
		t.Errorf("a year on: %v", rs)
	}
}

func TestWithdraw(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, openBolt(t))
	f.endorsed(t, "w")
	rec, _ := f.p.Record(ctx, "w")
	eid := rec.Endorsements[0].ID
	b, err := f.p.Book(ctx, Actor{Kind: ActorCandidate, ID: "w"}, Request{Person: "w", Kind: Knowledge, Event: "k1"})
	must(t, err)
	tests := []struct {
		name string
		by   Actor
		id   string
		why  string
		want Code
	}{
		{"other employer", Actor{Kind: ActorStaff, ID: "sup-leeds"}, eid, "x", CodeNotPermitted},
		{"candidate", Actor{Kind: ActorCandidate, ID: "w"}, eid, "x", CodeNotPermitted},
		{"no reason", Actor{Kind: ActorStaff, ID: "sup-bury"}, eid, "", CodeInvalid},
		{"unknown endorsement", Actor{Kind: ActorStaff, ID: "sup-bury"}, "nope", "x", CodeNoEndorsement},
	}
	for _, tc := range tests {
		err := f.p.Withdraw(ctx, tc.by, "w", tc.id, tc.why)
		if !slices.Contains(codes(err), tc.want) {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	must(t, f.p.Withdraw(ctx, Actor{Kind: ActorStaff, ID: "sup-bury"}, "w", eid, "concerns raised"))
	rec, _ = f.p.Record(ctx, "w")
	if rec.Bookings[0].ID != b.ID || rec.Bookings[0].State != BookingCancelled {
		t.Fatalf("booking after withdrawal: %+v", rec.Bookings)
	}
	if a, _ := f.p.Availability(ctx, Knowledge, "k1"); a.Free[""] != 3 {
		t.Fatalf("place not given back: %v", a.Free)
	}
	if err := f.p.Withdraw(ctx, admin, "w", eid, "again"); !slices.Contains(codes(err), CodeNotLive) {
		t.Fatalf("second withdrawal: %v", err)
	}

	f.endorsed(t, "sat")
	rec, _ = f.p.Record(ctx, "sat")
	_, err = f.p.Book(ctx, admin, Request{Person: "sat", Kind: Knowledge, Event: "k1"})
	must(t, err)
	f.clk.Advance(31 * 24 * time.Hour)
	if err := f.p.Withdraw(ctx, admin, "sat", rec.Endorsements[0].ID, "late"); !slices.Contains(codes(err), CodeSat) {
		t.Fatalf("after the sitting started: %v", err)
	}
}
