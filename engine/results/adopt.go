package results

import (
	"context"
	"fmt"
	"maps"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/programme"
)

// Adopt stores s as the next version of its status's standard: by a
// psychometrician, with each knowledge form and circuit in the status's
// blueprint and each cut within the element's score range (a Cut left 0
// is set to Panel + K*SEM). Before any release of the status's outcomes
// the new version simply replaces the last in every decision; once a
// window holding the status is released, a new version needs a reason
// (s.Why). Every reason it may not is returned; nothing is stored then.
func (r *Results) Adopt(ctx context.Context, by Viewer, s Standard) (Standard, error) {
	if by.Role != RolePsychometrician {
		return Standard{}, refuse("adopt", []Reason{reason(CodeNotPermitted, "only a psychometrician adopts standards")})
	}
	s.Knowledge, s.RolePlay = maps.Clone(s.Knowledge), maps.Clone(s.RolePlay)
	rs, err := r.check(ctx, &s)
	if err != nil {
		return Standard{}, err
	}
	released, err := r.releasedStatus(ctx, s.Status)
	if err != nil {
		return Standard{}, err
	}
	if released != "" && s.Why == "" {
		rs = append(rs, reason(CodeNeedsReason, "window %s is released: a new %s standard needs a reason", released, s.Status))
	}
	if err := refuse("adopt", rs); err != nil {
		return Standard{}, err
	}
	s.By, s.At = by.ID, r.now()
	stored, err := update(ctx, r.cfg.Store, prefixStandards+string(s.Status), r.cfg.Recorder, func(prev []Standard) (*Standard, *audit.Entry, error) {
		v := s
		v.Version = len(prev) + 1
		t := audit.Target{Kind: audit.TargetStandard, ID: string(s.Status)}
		return &v, r.entry(by, audit.StandardAdopt, t, s.Why, map[string]any{"version": v.Version, "cuts": v.summary()}), nil
	})
	if err != nil {
		return Standard{}, err
	}
	return *stored, nil
}

// check returns every reason s breaks its blueprint, resolving its cuts.
func (r *Results) check(ctx context.Context, s *Standard) ([]Reason, error) {
	bp, ok := r.bps[s.Status]
	if !ok {
		return []Reason{reason(CodeUnknown, "status %q has no blueprint", s.Status)}, nil
	}
	return checkStandard(ctx, s, bp, r.cfg.Evidence)
}

// Standards returns every version of status's standard, oldest first.
func (r *Results) Standards(ctx context.Context, status programme.Status) ([]Standard, error) {
	if _, ok := r.bps[status]; !ok {
		return nil, fmt.Errorf("%w: status %q", ErrNotFound, status)
	}
	return readAll[Standard](ctx, r.cfg.Store, prefixStandards+string(status))
}

// Current returns the version of status's standard in force, or nil when
// none is adopted.
func (r *Results) Current(ctx context.Context, status programme.Status) (*Standard, error) {
	all, err := r.Standards(ctx, status)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return &all[len(all)-1], nil
}

// releasedStatus returns a released window whose release decided people
// of status, or "".
func (r *Results) releasedStatus(ctx context.Context, status programme.Status) (string, error) {
	rels, err := r.Releases(ctx)
	if err != nil {
		return "", err
	}
	for _, rel := range rels {
		if _, ok := rel.Versions[status]; ok {
			return rel.Window, nil
		}
	}
	return "", nil
}
