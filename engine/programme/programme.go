package programme

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// Programme is the programme's records on one node: employers, people,
// staff, endorsements, sittings, role-play days and bookings. Several
// Programmes, on one node or many, may share a store.
type Programme struct {
	st    store.Store
	lib   *content.Library // nil: invigilators are not checked
	clk   clock.Clock
	rec   Recorder
	gate  Gate
	rules Rules
	bps   map[Status]Blueprint
	owner map[string]Status // form or circuit id to the status it assesses

	idx        *index
	employersW *writer[*dirState]
	staffW     *writer[*dirState]
	peopleW    *writer[*dirState]
	signInsW   *writer[*signInState] // signin.go
	persons    writers[*personState]
	ledgers    writers[*ledger]
	roster     rosterCache // roster.go
	// notAtomic is set once the store has refused to write a seat and
	// its booking together (Redis Cluster): bookings take the three-write
	// path from then on.
	notAtomic atomic.Bool
}

// New returns a Programme on cfg.Store, after checking cfg.
func New(cfg Config) (*Programme, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	p := &Programme{
		st: cfg.Store, lib: cfg.Library, clk: clock.Or(cfg.Clock), rec: cfg.Recorder, gate: cfg.Gate,
		rules: cfg.Rules.withDefaults(), bps: map[Status]Blueprint{}, owner: map[string]Status{},
		idx:     newIndex(),
		persons: writers[*personState]{fresh: newPersonState, optimistic: true},
		ledgers: writers[*ledger]{fresh: newLedger, optimistic: true},
		roster:  rosterCache{sittings: map[string]cachedSitting{}, codes: map[string]string{}},
	}
	for _, bp := range p.rules.Blueprints {
		p.bps[bp.Status] = bp
		for _, id := range append(append([]string{}, bp.Forms...), bp.Circuits...) {
			p.owner[id] = bp.Status
		}
	}
	p.employersW = newWriter(streamEmployers, newDirState)
	p.staffW = newWriter(streamStaff, newDirState)
	p.peopleW = newWriter(streamPeople, newDirState)
	p.signInsW = newWriter(streamSignIns, newSignInState)
	for _, w := range []*writer[*dirState]{p.employersW, p.staffW, p.peopleW} {
		w.durable = p.idx.add
	}
	return p, nil
}

// Rules returns the rules in force, defaults applied.
func (p *Programme) Rules() Rules { return p.rules }

// Blueprint returns the blueprint of status s.
func (p *Programme) Blueprint(s Status) (Blueprint, bool) {
	bp, ok := p.bps[s]
	return bp, ok
}

// Load reads the directory streams, so lookups need no store round trip.
// Lookups that miss catch up by themselves; Load only warms the node.
func (p *Programme) Load(ctx context.Context) error {
	for _, w := range []*writer[*dirState]{p.employersW, p.staffW, p.peopleW} {
		if err := w.view(ctx, p.st, func(*dirState) {}); err != nil {
			return err
		}
	}
	return nil
}

func (p *Programme) now() time.Time { return p.clk.Now().UTC() }

func auditActor(a Actor) audit.Actor {
	if a.Kind == ActorCandidate {
		return audit.Actor{Kind: audit.ActorCandidate, ID: a.ID}
	}
	return audit.Actor{Kind: audit.ActorStaff, ID: a.ID, Role: string(a.Kind)}
}

// TargetEmployer is the audit target kind of an employer.
const TargetEmployer = audit.TargetEmployer

// newID returns a random id with prefix.
func newID(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// lookupPerson finds a person, catching up the registry on a miss.
func (p *Programme) lookupPerson(ctx context.Context, id string) (Person, error) {
	return lookup(ctx, p, p.peopleW, p.idx.person, "person", id)
}

// lookupStaff finds a staff member, catching up on a miss.
func (p *Programme) lookupStaff(ctx context.Context, id string) (Staff, error) {
	return lookup(ctx, p, p.staffW, p.idx.staffMember, "staff", id)
}

// lookup finds the record with id by find in the index; on a miss it
// catches up w's stream and looks again. kind names the record in the
// ErrNotFound error.
func lookup[T any](ctx context.Context, p *Programme, w *writer[*dirState], find func(id string) (T, bool), kind, id string) (T, error) {
	if v, ok := find(id); ok {
		return v, nil
	}
	var zero T
	if err := w.view(ctx, p.st, func(*dirState) {}); err != nil {
		return zero, err
	}
	if v, ok := find(id); ok {
		return v, nil
	}
	return zero, fmt.Errorf("%w: %s %q", ErrNotFound, kind, id)
}

// hasEmployer reports whether employer id exists, catching up on a miss.
func (p *Programme) hasEmployer(ctx context.Context, id string) (bool, error) {
	if p.idx.hasEmployer(id) {
		return true, nil
	}
	if err := p.employersW.view(ctx, p.st, func(*dirState) {}); err != nil {
		return false, err
	}
	return p.idx.hasEmployer(id), nil
}

// Person returns the person with id.
func (p *Programme) Person(ctx context.Context, id string) (Person, error) {
	return p.lookupPerson(ctx, id)
}

// Staff returns the staff member with id.
func (p *Programme) Staff(ctx context.Context, id string) (Staff, error) {
	return p.lookupStaff(ctx, id)
}

// Employer returns the employer with id.
func (p *Programme) Employer(ctx context.Context, id string) (Employer, error) {
	if ok, err := p.hasEmployer(ctx, id); err != nil || !ok {
		return Employer{}, fmt.Errorf("%w: employer %q", ErrNotFound, id)
	}
	e, _ := p.idx.employer(id)
	return e, nil
}

// Employers lists the employers by id, after catching up.
func (p *Programme) Employers(ctx context.Context) ([]Employer, error) {
	if err := p.employersW.view(ctx, p.st, func(*dirState) {}); err != nil {
		return nil, err
	}
	return list(p.idx, p.idx.employers, nil), nil
}

// People lists the people by id, of one employer or of all when employer
// is "", after catching up.
func (p *Programme) People(ctx context.Context, employer string) ([]Person, error) {
	if err := p.peopleW.view(ctx, p.st, func(*dirState) {}); err != nil {
		return nil, err
	}
	return list(p.idx, p.idx.people, func(x Person) bool { return employer == "" || x.Employer == employer }), nil
}

// StaffOf lists an employer's staff by id, after catching up.
func (p *Programme) StaffOf(ctx context.Context, employer string) ([]Staff, error) {
	if err := p.staffW.view(ctx, p.st, func(*dirState) {}); err != nil {
		return nil, err
	}
	return list(p.idx, p.idx.staff, func(s Staff) bool { return s.Employer == employer }), nil
}
