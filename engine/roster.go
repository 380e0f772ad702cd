package engine

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/accredit/accredit/engine/content"
)

// A Roster says who sits what: the sittings and the candidates booked on
// them, with their access codes. The content library is one roster, fixed
// when the node starts; the programme's bookings are another, which grows
// while the node runs and is shared by every node through the store.
//
// What a roster returns is the caller's to read, never to change.
type Roster interface {
	// Sitting returns the sitting with its candidates, or ErrUnknownSitting.
	Sitting(ctx context.Context, id string) (*content.Sitting, error)
	// Sittings lists the roster's sitting ids, sorted.
	Sittings(ctx context.Context) ([]string, error)
	// ByCode finds the sitting and candidate an access code admits, or
	// fails with ErrUnknownCode.
	ByCode(ctx context.Context, code string) (*content.Sitting, *content.Candidate, error)
}

// ErrUnknownCode: no candidate of the roster has the access code.
var ErrUnknownCode = errors.New("engine: unknown access code")

// LibraryRoster is the roster of the content library's sitting files.
func LibraryRoster(lib *content.Library) Roster { return libraryRoster{lib} }

type libraryRoster struct{ lib *content.Library }

func (r libraryRoster) Sitting(_ context.Context, id string) (*content.Sitting, error) {
	if s, ok := r.lib.Sittings[id]; ok {
		return s, nil
	}
	return nil, ErrUnknownSitting
}

func (r libraryRoster) Sittings(context.Context) ([]string, error) {
	ids := make([]string, 0, len(r.lib.Sittings))
	for id := range r.lib.Sittings {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

func (r libraryRoster) ByCode(_ context.Context, code string) (*content.Sitting, *content.Candidate, error) {
	if s, c, ok := r.lib.CandidateByCode(code); ok {
		return s, c, nil
	}
	return nil, nil, ErrUnknownCode
}

// Rosters joins rosters: a sitting or code is looked for in each in turn.
// Sitting ids should not repeat across them; where one does, the first
// roster's sitting is the one served.
func Rosters(rs ...Roster) Roster { return rosters(rs) }

type rosters []Roster

func (rs rosters) Sitting(ctx context.Context, id string) (*content.Sitting, error) {
	for _, r := range rs {
		s, err := r.Sitting(ctx, id)
		if !errors.Is(err, ErrUnknownSitting) {
			return s, err
		}
	}
	return nil, ErrUnknownSitting
}

func (rs rosters) Sittings(ctx context.Context) ([]string, error) {
	var ids []string
	for _, r := range rs {
		more, err := r.Sittings(ctx)
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

func (rs rosters) ByCode(ctx context.Context, code string) (*content.Sitting, *content.Candidate, error) {
	for _, r := range rs {
		s, c, err := r.ByCode(ctx, code)
		if !errors.Is(err, ErrUnknownCode) {
			return s, c, err
		}
	}
	return nil, nil, ErrUnknownCode
}

// Roster returns the engine's roster.
func (e *Engine) Roster() Roster { return e.roster }

// byCode finds the sitting and candidate of a typed access code.
func (e *Engine) byCode(ctx context.Context, code string) (*content.Sitting, *content.Candidate, error) {
	return e.roster.ByCode(ctx, strings.TrimSpace(code))
}
