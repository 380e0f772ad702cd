package web

import (
	"context"
	"errors"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
)

// ProgrammeRoster is the engine's roster of the programme's knowledge
// sittings: a booking's access code admits its candidate to the attempt,
// with the extra time approved. Join it to the library's roster with
// engine.Rosters.
func ProgrammeRoster(p *programme.Programme) engine.Roster { return programmeRoster{p} }

type programmeRoster struct{ p *programme.Programme }

func (r programmeRoster) Sitting(ctx context.Context, id string) (*content.Sitting, error) {
	s, err := r.p.DeliverySitting(ctx, id)
	if errors.Is(err, programme.ErrNotFound) {
		return nil, engine.ErrUnknownSitting
	}
	return s, err
}

func (r programmeRoster) Sittings(ctx context.Context) ([]string, error) {
	return r.p.DeliverySittings(ctx)
}

func (r programmeRoster) ByCode(ctx context.Context, code string) (*content.Sitting, *content.Candidate, error) {
	s, c, err := r.p.ByAccessCode(ctx, code)
	if errors.Is(err, programme.ErrNotFound) {
		return nil, nil, engine.ErrUnknownCode
	}
	return s, c, err
}
