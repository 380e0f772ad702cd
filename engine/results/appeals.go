package results

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
)

// Appeal is an appeal against a released outcome. While it is open (not
// decided) the person may book no re-sit.
type Appeal struct {
	ID      string    `json:"id"`
	Person  string    `json:"person"`
	Window  string    `json:"window"`
	Grounds string    `json:"grounds"`
	By      string    `json:"by"`
	Lodged  time.Time `json:"lodged"`
	// Decided, DecidedBy, Upheld and Note are set when decided.
	Decided   time.Time `json:"decided,omitzero"`
	DecidedBy string    `json:"decided_by,omitempty"`
	Upheld    bool      `json:"upheld,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// Open reports whether the appeal awaits its decision.
func (a Appeal) Open() bool { return a.Decided.IsZero() }

// appealRec is one record of a person's appeals stream: an appeal
// lodged, or the decision of appeal ID.
type appealRec struct {
	Kind   string    `json:"k"` // "lodge" or "decide"
	Appeal *Appeal   `json:"appeal,omitempty"`
	ID     string    `json:"id,omitempty"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Upheld bool      `json:"upheld,omitempty"`
	Note   string    `json:"note,omitempty"`
}

const maxText = 2000

// fold turns a person's appeal records into their appeals.
func fold(recs []appealRec) []Appeal {
	var out []Appeal
	for _, rec := range recs {
		switch rec.Kind {
		case "lodge":
			out = append(out, *rec.Appeal)
		case "decide":
			for i := range out {
				if out[i].ID == rec.ID {
					out[i].Decided, out[i].DecidedBy, out[i].Upheld, out[i].Note = rec.At, rec.By, rec.Upheld, rec.Note
				}
			}
		}
	}
	return out
}

// Appeals returns person's appeals, oldest first.
func (r *Results) Appeals(ctx context.Context, person string) ([]Appeal, error) {
	recs, err := readAll[appealRec](ctx, r.cfg.Store, prefixAppeals+person)
	if err != nil {
		return nil, err
	}
	return fold(recs), nil
}

// Lodge lodges an appeal against person's released outcome: by the
// person, their employer's staff or an administrator, within the appeals
// window after the release, with grounds, and while no other appeal of
// theirs is open.
func (r *Results) Lodge(ctx context.Context, by Viewer, person, grounds string) (Appeal, error) {
	c, err := r.cfg.Roster.Candidate(ctx, person)
	if err != nil {
		return Appeal{}, err
	}
	var rs []Reason
	if !(by.Role == RoleAdministrator || by.Role == RoleCandidate && by.ID == person || by.Role == RoleEmployer && by.Employer != "" && by.Employer == c.Employer) {
		rs = append(rs, reason(CodeNotPermitted, "only %s, their employer's staff or an administrator may appeal", person))
	}
	if g := strings.TrimSpace(grounds); g == "" || len(g) > maxText {
		rs = append(rs, reason(CodeInvalid, "an appeal needs its grounds, at most %d bytes", maxText))
	}
	now := r.now()
	rel, err := r.releaseOf(ctx, c)
	switch {
	case err != nil:
		return Appeal{}, err
	case rel == nil:
		rs = append(rs, reason(CodeNotReleased, "%s's outcome is not released: nothing to appeal yet", person))
	case r.cfg.Resit.AppealsWindow == 0:
		rs = append(rs, reason(CodeAppealWindow, "the rules take no appeals"))
	case now.After(rel.At.Add(r.cfg.Resit.AppealsWindow)):
		rs = append(rs, reason(CodeAppealWindow, "appeals close %s after the release, on %s", span(r.cfg.Resit.AppealsWindow), rel.At.Add(r.cfg.Resit.AppealsWindow).Format(time.DateOnly)))
	}
	if err := refuse("appeal", rs); err != nil {
		return Appeal{}, err
	}
	rec, err := update(ctx, r.cfg.Store, prefixAppeals+person, r.cfg.Recorder, func(prev []appealRec) (*appealRec, *audit.Entry, error) {
		all := fold(prev)
		for _, a := range all {
			if a.Open() {
				return nil, nil, refuse("appeal", []Reason{reason(CodeAppealOpen, "appeal %s of %s is open already", a.ID, person)})
			}
		}
		a := &Appeal{ID: fmt.Sprintf("ap-%d", len(all)+1), Person: person, Window: rel.Window, Grounds: strings.TrimSpace(grounds), By: by.ID, Lodged: now}
		ent := r.entry(by, audit.AppealLodge, audit.Target{Kind: audit.TargetPerson, ID: person}, a.Grounds, map[string]any{"appeal": a.ID, "window": a.Window})
		return &appealRec{Kind: "lodge", Appeal: a, At: now, By: by.ID}, ent, nil
	})
	if err != nil {
		return Appeal{}, err
	}
	return *rec.Appeal, nil
}

// DecideAppeal records an administrator's decision on person's open
// appeal id. An upheld appeal is recorded as such; what follows from it
// (a moderated sheet, a new standard version) is done by its own act.
func (r *Results) DecideAppeal(ctx context.Context, by Viewer, person, id string, upheld bool, note string) (Appeal, error) {
	var rs []Reason
	if by.Role != RoleAdministrator {
		rs = append(rs, reason(CodeNotPermitted, "only an administrator decides appeals"))
	}
	if n := strings.TrimSpace(note); n == "" || len(n) > maxText {
		rs = append(rs, reason(CodeInvalid, "a decision needs a note, at most %d bytes", maxText))
	}
	if err := refuse("decide appeal", rs); err != nil {
		return Appeal{}, err
	}
	now := r.now()
	var out Appeal
	_, err := update(ctx, r.cfg.Store, prefixAppeals+person, r.cfg.Recorder, func(prev []appealRec) (*appealRec, *audit.Entry, error) {
		var found *Appeal
		all := fold(prev)
		for i := range all {
			if all[i].ID == id {
				found = &all[i]
			}
		}
		switch {
		case found == nil:
			return nil, nil, fmt.Errorf("%w: appeal %q of %s", ErrNotFound, id, person)
		case !found.Open():
			return nil, nil, refuse("decide appeal", []Reason{reason(CodeInvalid, "appeal %s was decided on %s", id, found.Decided.Format(time.DateOnly))})
		}
		ent := r.entry(by, audit.AppealDecide, audit.Target{Kind: audit.TargetPerson, ID: person}, strings.TrimSpace(note), map[string]any{"appeal": id, "upheld": upheld})
		out = *found
		out.Decided, out.DecidedBy, out.Upheld, out.Note = now, by.ID, upheld, strings.TrimSpace(note)
		return &appealRec{Kind: "decide", ID: id, At: now, By: by.ID, Upheld: upheld, Note: out.Note}, ent, nil
	})
	if err != nil {
		return Appeal{}, err
	}
	return out, nil
}
