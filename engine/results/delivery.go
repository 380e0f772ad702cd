package results

import (
	"context"
	"errors"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
)

// DeliveryRoster is the engine's roster of the programme's knowledge
// sittings: a booking's access code admits its candidate to the attempt,
// with the extra time approved. Join it to the library's roster with
// engine.Rosters.
func DeliveryRoster(p *programme.Programme) engine.Roster { return deliveryRoster{p} }

type deliveryRoster struct{ p *programme.Programme }

var _ engine.Roster = deliveryRoster{}

func (r deliveryRoster) Sitting(ctx context.Context, id string) (*content.Sitting, error) {
	s, err := r.p.DeliverySitting(ctx, id)
	if errors.Is(err, programme.ErrNotFound) {
		return nil, engine.ErrUnknownSitting
	}
	return s, err
}

func (r deliveryRoster) Sittings(ctx context.Context) ([]string, error) {
	return r.p.DeliverySittings(ctx)
}

func (r deliveryRoster) ByCode(ctx context.Context, code string) (*content.Sitting, *content.Candidate, error) {
	s, c, err := r.p.ByAccessCode(ctx, code)
	if errors.Is(err, programme.ErrNotFound) {
		return nil, nil, engine.ErrUnknownCode
	}
	return s, c, err
}
