package results

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/accredit/accredit/engine/programme"
)

// gather reads c's evidence. An element booked but not yet started is
// missing as pending; circuits, if not nil, holds whole circuits read
// once.
func (r *Results) gather(ctx context.Context, c Candidate, now time.Time, circuits *circuitCache) (Evidenced, error) {
	var ev Evidenced
	switch {
	case c.Sitting == "":
	case !started(c.KnowledgeStart, now):
		ev.KnowledgeMissing = missing(Knowledge, CodeNotSubmitted, "%s is booked on sitting %s at %s", c.Person, c.Sitting, c.KnowledgeStart.Format(time.RFC3339))
	default:
		k, err := r.cfg.Evidence.Knowledge(ctx, c.Sitting, c.Person)
		if ev.KnowledgeMissing, err = asMissing(err); err != nil {
			return Evidenced{}, err
		}
		if ev.KnowledgeMissing == nil {
			ev.Knowledge = &k
		}
	}
	switch {
	case c.Circuit == "":
	case !started(c.RolePlayStart, now):
		ev.RolePlayMissing = missing(RolePlay, CodeNotSubmitted, "%s is booked on circuit %s at %s", c.Person, c.Circuit, c.RolePlayStart.Format(time.RFC3339))
	default:
		rp, err := circuits.rolePlay(ctx, r.cfg.Evidence, c.Circuit, c.Person)
		if ev.RolePlayMissing, err = asMissing(err); err != nil {
			return Evidenced{}, err
		}
		if ev.RolePlayMissing == nil {
			ev.RolePlay = &rp
		}
	}
	return ev, nil
}

// asMissing splits err into a *MissingError and any other error.
func asMissing(err error) (*MissingError, error) {
	var m *MissingError
	if errors.As(err, &m) {
		return m, nil
	}
	return nil, err
}

// circuitCache holds whole circuits' evidence for one run, when the
// Evidence can give it.
type circuitCache struct {
	m map[string]map[string]RolePlayResult
}

func (cc *circuitCache) rolePlay(ctx context.Context, ev Evidence, circuit, person string) (RolePlayScore, error) {
	ce, ok := ev.(CircuitEvidence)
	if cc == nil || !ok {
		return ev.RolePlay(ctx, circuit, person)
	}
	all, ok := cc.m[circuit]
	if !ok {
		var err error
		if all, err = ce.Circuit(ctx, circuit); err != nil {
			return RolePlayScore{}, err
		}
		cc.m[circuit] = all
	}
	return circuitScore(all, circuit, person)
}

// decider decides many people against one set of standards.
type decider struct {
	r        *Results
	now      time.Time
	circuits *circuitCache
	std      map[programme.Status]*Standard // nil entries: none adopted
	override *Standard                      // if set, used for its status
}

func (r *Results) newDecider() *decider {
	return &decider{r: r, now: r.now(), circuits: &circuitCache{m: map[string]map[string]RolePlayResult{}},
		std: map[programme.Status]*Standard{}}
}

func (d *decider) standard(ctx context.Context, s programme.Status) (*Standard, error) {
	if d.override != nil && d.override.Status == s {
		return d.override, nil
	}
	if std, ok := d.std[s]; ok {
		return std, nil
	}
	std, err := d.r.Current(ctx, s)
	if err != nil {
		return nil, err
	}
	d.std[s] = std
	return std, nil
}

func (d *decider) decide(ctx context.Context, c Candidate) (Decision, error) {
	bp, ok := d.r.bps[c.Status]
	if !ok {
		return Decision{}, fmt.Errorf("%w: status %q of %s", ErrNotFound, c.Status, c.Person)
	}
	std, err := d.standard(ctx, c.Status)
	if err != nil {
		return Decision{}, err
	}
	ev, err := d.r.gather(ctx, c, d.now, d.circuits)
	if err != nil {
		return Decision{}, err
	}
	dec := Decide(c, bp, std, ev, d.r.cfg.Feedback)
	if w, ok := windowOf(d.r.cfg.Windows, c.Start); ok {
		dec.Window = w.ID
	}
	return dec, nil
}
