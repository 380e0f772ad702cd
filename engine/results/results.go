package results

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// Role is who is asking, as the server authenticated them.
type Role string

// Roles. The programme team (administrator, psychometrician) sees every
// outcome at any time; a candidate sees their own and an employer's staff
// their people's, once released; any other role sees none.
const (
	RoleAdministrator   Role = "administrator"
	RolePsychometrician Role = "psychometrician"
	RoleCandidate       Role = "candidate"
	RoleEmployer        Role = "employer_staff"
)

// Viewer is who acts or asks: ID is their staff or person id, Employer
// the employer of an employer's staff member.
type Viewer struct {
	Role     Role   `json:"role"`
	ID       string `json:"id"`
	Employer string `json:"employer,omitempty"`
}

// Team reports whether v is of the programme team.
func (v Viewer) Team() bool { return v.Role == RoleAdministrator || v.Role == RolePsychometrician }

// Config configures Results.
type Config struct {
	Store    store.Store
	Clock    clock.Clock // nil means the system clock
	Evidence Evidence
	Roster   Roster
	// Recorder, if set, receives an audit entry before each change.
	Recorder programme.Recorder
	// Blueprints are the programme's (programme.Rules().Blueprints).
	Blueprints []programme.Blueprint
	// Windows are the sitting windows: the cohorts released together.
	Windows  []Window
	Feedback FeedbackRules
	Resit    ResitRules
}

func (c *Config) validate() error {
	var errs []string
	if c.Store == nil || c.Evidence == nil || c.Roster == nil {
		errs = append(errs, "a store, an evidence and a roster are needed")
	}
	if len(c.Blueprints) == 0 {
		errs = append(errs, "no blueprints")
	}
	errs = append(errs, validateWindows(c.Windows)...)
	if err := c.Feedback.Validate(); err != nil {
		errs = append(errs, strings.TrimPrefix(err.Error(), ErrInvalidConfig.Error()+": "))
	}
	if err := c.Resit.Validate(); err != nil {
		errs = append(errs, strings.TrimPrefix(err.Error(), ErrInvalidConfig.Error()+": "))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, strings.Join(errs, "; "))
	}
	return nil
}

// Results joins each person's evidence to the adopted standards and
// keeps the standards, releases and appeals in the store. Several
// Results, on one node or many, may share a store.
type Results struct {
	cfg Config
	clk clock.Clock
	bps map[programme.Status]programme.Blueprint
}

// New returns Results on cfg.Store, after checking cfg.
func New(cfg Config) (*Results, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	r := &Results{cfg: cfg, clk: clock.Or(cfg.Clock), bps: map[programme.Status]programme.Blueprint{}}
	for _, bp := range cfg.Blueprints {
		r.bps[bp.Status] = bp
	}
	return r, nil
}

func (r *Results) now() time.Time { return r.clk.Now().UTC() }

// Windows returns the configured sitting windows.
func (r *Results) Windows() []Window { return r.cfg.Windows }

// Resit returns the configured re-sit and appeal rules.
func (r *Results) Resit() ResitRules { return r.cfg.Resit }

func (r *Results) window(id string) (Window, bool) {
	for _, w := range r.cfg.Windows {
		if w.ID == id {
			return w, true
		}
	}
	return Window{}, false
}

// entry is the audit entry of an act, for update to store with it; nil
// with no Recorder configured.
func (r *Results) entry(by Viewer, act audit.Action, target audit.Target, why string, after any) *audit.Entry {
	if r.cfg.Recorder == nil {
		return nil
	}
	e := audit.Entry{Action: act, Target: target, Reason: why, Actor: audit.Actor{Kind: audit.ActorStaff, ID: by.ID, Role: string(by.Role)}}
	if by.Role == RoleCandidate {
		e.Actor = audit.Actor{Kind: audit.ActorCandidate, ID: by.ID}
	}
	if after != nil {
		if b, err := json.Marshal(after); err == nil && len(b) <= audit.MaxState {
			e.After = b
		}
	}
	return &e
}

// Decide decides every person of the roster on the standards in force,
// in the roster's order. The programme team's view: scores included.
func (r *Results) Decide(ctx context.Context) ([]Decision, error) {
	cands, err := r.cfg.Roster.Candidates(ctx)
	if err != nil {
		return nil, err
	}
	return r.decideAll(ctx, r.newDecider(), cands)
}

// DecideWindow decides the people of one window.
func (r *Results) DecideWindow(ctx context.Context, window string) ([]Decision, error) {
	w, ok := r.window(window)
	if !ok {
		return nil, fmt.Errorf("%w: window %q", ErrNotFound, window)
	}
	cands, err := r.cfg.Roster.Candidates(ctx)
	if err != nil {
		return nil, err
	}
	var in []Candidate
	for _, c := range cands {
		if w.Holds(c.Start) {
			in = append(in, c)
		}
	}
	return r.decideAll(ctx, r.newDecider(), in)
}

func (r *Results) decideAll(ctx context.Context, d *decider, cands []Candidate) ([]Decision, error) {
	out := make([]Decision, 0, len(cands))
	for _, c := range cands {
		dec, err := d.decide(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, dec)
	}
	return out, nil
}

// Change is a person whose outcome would change under a candidate
// standard.
type Change struct {
	Person string   `json:"person"`
	Window string   `json:"window,omitempty"`
	From   Decision `json:"from"`
	To     Decision `json:"to"`
}

// Preview decides the people of status under the current standard and
// under candidate (checked as Adopt would, not stored) and returns those
// whose outcome or re-sit elements would change.
func (r *Results) Preview(ctx context.Context, status programme.Status, candidate Standard) ([]Change, error) {
	candidate.Status = status
	candidate.Knowledge, candidate.RolePlay = maps.Clone(candidate.Knowledge), maps.Clone(candidate.RolePlay)
	rs, err := r.check(ctx, &candidate)
	if err != nil {
		return nil, err
	}
	if err := refuse("preview", rs); err != nil {
		return nil, err
	}
	inForce, err := r.Current(ctx, status)
	if err != nil {
		return nil, err
	}
	candidate.Version = 1
	if inForce != nil {
		candidate.Version = inForce.Version + 1
	}
	cands, err := r.cfg.Roster.Candidates(ctx)
	if err != nil {
		return nil, err
	}
	before, next := r.newDecider(), r.newDecider()
	next.circuits, next.override = before.circuits, &candidate // read each circuit once
	var out []Change
	for _, c := range cands {
		if c.Status != status {
			continue
		}
		a, err := before.decide(ctx, c)
		if err != nil {
			return nil, err
		}
		b, err := next.decide(ctx, c)
		if err != nil {
			return nil, err
		}
		if a.Outcome != b.Outcome || !slices.Equal(a.Resit, b.Resit) {
			out = append(out, Change{Person: c.Person, Window: a.Window, From: a, To: b})
		}
	}
	return out, nil
}
