package results

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/programme"
)

// Release is the release of one sitting window's outcomes: once stored,
// the candidates of the window see their outcomes and their employers
// their people's.
type Release struct {
	Window string    `json:"window"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	// Versions has the standard version each status was decided on.
	Versions map[programme.Status]int `json:"versions"`
	People   int                      `json:"people"`
	Outcomes map[Outcome]int          `json:"outcomes"`
	// Incomplete lists the people released as incomplete: their evidence
	// is missing for good (absent, voided), never pending.
	Incomplete []string `json:"incomplete,omitempty"`
}

// Release releases window's outcomes, once: by an administrator, when no
// person of the window has evidence still pending (an attempt not
// submitted, a role-play sheet unsettled) or lacks an adopted cut for
// their form or circuit. A refusal lists every such person and reason.
// People whose evidence is missing for good are released as incomplete.
func (r *Results) Release(ctx context.Context, by Viewer, window string) (Release, error) {
	if by.Role != RoleAdministrator {
		return Release{}, refuse("release", []Reason{reason(CodeNotPermitted, "only an administrator releases results")})
	}
	if _, ok := r.window(window); !ok {
		return Release{}, fmt.Errorf("%w: window %q", ErrNotFound, window)
	}
	if rel, err := r.Released(ctx, window); err != nil {
		return Release{}, err
	} else if rel != nil {
		return Release{}, refuse("release", []Reason{reason(CodeReleased, "window %s was released on %s by %s", window, rel.At.Format(time.RFC3339), rel.By)})
	}
	decs, err := r.DecideWindow(ctx, window)
	if err != nil {
		return Release{}, err
	}
	rel := Release{Window: window, By: by.ID, At: r.now(), Versions: map[programme.Status]int{}, People: len(decs), Outcomes: map[Outcome]int{}}
	var rs []Reason
	for _, d := range decs {
		rel.Outcomes[d.Outcome]++
		if d.Version > 0 {
			rel.Versions[d.Status] = d.Version
		}
		final := true
		for _, m := range d.Missing {
			if pending(m.Code) {
				rs = append(rs, Reason{Code: m.Code, Message: d.Person + ": " + m.Message})
				final = false
			}
		}
		if d.Outcome == Incomplete && final {
			rel.Incomplete = append(rel.Incomplete, d.Person)
		}
	}
	if err := refuse("release", rs); err != nil {
		return Release{}, err
	}
	summary := map[string]any{"people": rel.People, "outcomes": rel.Outcomes, "versions": rel.Versions}
	ent := r.entry(by, audit.ResultsRelease, audit.Target{Kind: audit.TargetWindow, ID: window}, "", summary)
	_, err = update(ctx, r.cfg.Store, prefixReleases+window, r.cfg.Recorder, func(prev []Release) (*Release, *audit.Entry, error) {
		if len(prev) > 0 {
			return nil, nil, refuse("release", []Reason{reason(CodeReleased, "window %s was released on %s by %s", window, prev[0].At.Format(time.RFC3339), prev[0].By)})
		}
		return &rel, ent, nil
	})
	if err != nil {
		return Release{}, err
	}
	return rel, nil
}

// Released returns window's release, or nil before it.
func (r *Results) Released(ctx context.Context, window string) (*Release, error) {
	rels, err := readAll[Release](ctx, r.cfg.Store, prefixReleases+window)
	if err != nil || len(rels) == 0 {
		return nil, err
	}
	return &rels[0], nil
}

// Releases lists every release, by window id.
func (r *Results) Releases(ctx context.Context) ([]Release, error) {
	names, err := r.cfg.Store.Streams(ctx, prefixReleases)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefixReleases, err)
	}
	var out []Release
	for _, n := range names {
		rel, err := r.Released(ctx, strings.TrimPrefix(n, prefixReleases))
		if err != nil {
			return nil, err
		}
		if rel != nil {
			out = append(out, *rel)
		}
	}
	return out, nil
}

// Outcome returns what viewer may see of person's outcome: the programme
// team at any time; the candidate themselves and their employer's staff
// once the person's window is released. Anyone else, or anyone outside
// the team before release, gets ErrEmbargoed and must show nothing.
func (r *Results) Outcome(ctx context.Context, viewer Viewer, person string) (CandidateOutcome, error) {
	c, err := r.cfg.Roster.Candidate(ctx, person)
	if errors.Is(err, ErrNotFound) && !viewer.Team() {
		return CandidateOutcome{}, ErrEmbargoed // say nothing of who exists
	}
	if err != nil {
		return CandidateOutcome{}, err
	}
	var released time.Time
	if !viewer.Team() {
		own := viewer.Role == RoleCandidate && viewer.ID != "" && viewer.ID == c.Person
		staff := viewer.Role == RoleEmployer && viewer.Employer != "" && viewer.Employer == c.Employer
		if !own && !staff {
			return CandidateOutcome{}, ErrEmbargoed
		}
		rel, err := r.releaseOf(ctx, c)
		if err != nil {
			return CandidateOutcome{}, err
		}
		if rel == nil {
			return CandidateOutcome{}, ErrEmbargoed
		}
		released = rel.At
	}
	d, err := r.newDecider().decide(ctx, c)
	if err != nil {
		return CandidateOutcome{}, err
	}
	o := d.ForCandidate()
	o.Released = released
	return o, nil
}

// DecisionOf returns person's decision with its scores, to the programme
// team only (ErrEmbargoed to anyone else), released or not.
func (r *Results) DecisionOf(ctx context.Context, viewer Viewer, person string) (Decision, error) {
	if !viewer.Team() {
		return Decision{}, ErrEmbargoed
	}
	c, err := r.cfg.Roster.Candidate(ctx, person)
	if err != nil {
		return Decision{}, err
	}
	return r.newDecider().decide(ctx, c)
}

// releaseOf returns the release of c's window, or nil.
func (r *Results) releaseOf(ctx context.Context, c Candidate) (*Release, error) {
	w, ok := windowOf(r.cfg.Windows, c.Start)
	if !ok {
		return nil, nil
	}
	return r.Released(ctx, w.ID)
}
