package roleplay

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what a change does.
type Kind string

const (
	SetMark           Kind = "mark"               // Criterion, Value
	ClearMark         Kind = "clear_mark"         // Criterion
	SetJudgement      Kind = "judgement"          // Value
	SetNote           Kind = "note"               // Criterion ("" for the general note), Text
	Submit            Kind = "submit"             // locks the sheet
	ModerateMark      Kind = "moderate_mark"      // Criterion, Value, Reason; lead assessor only
	ModerateJudgement Kind = "moderate_judgement" // Value, Reason; lead assessor only
)

// MaxNote is the longest evidence note, in characters.
const MaxNote = 4000

// Change is one edit of a sheet sent by a client. Seq is the author's own
// sequence number, from 1 and increasing: a change whose Seq the sheet has
// already applied for that author is ignored (an idempotent re-send), so
// each change applies exactly once however often it is sent.
type Change struct {
	By        string `json:"by"` // assessor code of the author
	Seq       uint64 `json:"seq"`
	Kind      Kind   `json:"kind"`
	Criterion string `json:"criterion,omitempty"`
	Value     int    `json:"value,omitempty"`
	Text      string `json:"text,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// Entry is an applied change with the time it was applied.
type Entry struct {
	Change
	At time.Time `json:"at"`
}

// Moderation is one moderation action in a sheet's audit trail. Original is
// the value at submission, Previous the value just before this action.
type Moderation struct {
	At        time.Time `json:"at"`
	By        string    `json:"by"`
	Criterion string    `json:"criterion,omitempty"` // "" for the global judgement
	Original  int       `json:"original"`
	Previous  int       `json:"previous"`
	Value     int       `json:"value"`
	Reason    string    `json:"reason"`
}

// Result says what Apply did.
type Result struct {
	Applied bool   // false: a re-sent or stale change, ignored
	Acked   uint64 // highest sequence number applied for the author
}

// Apply validates c and applies it at time now. A change the sheet has
// already applied (same author and sequence number, same content) or one
// older than the author's last applied change is ignored and reported with
// Applied false; the same sequence number with different content is
// ErrSequence. An invalid change returns an error and changes nothing; its
// sequence number stays free, so a corrected change may reuse it.
func (s *Sheet) Apply(c Change, now time.Time) (Result, error) {
	if res, err := s.Decide(c); err != nil || !res.Applied {
		return res, err
	}
	s.do(c, now)
	s.lastSeq[c.By] = c.Seq
	s.log = append(s.log, Entry{Change: c, At: now})
	return Result{Applied: true, Acked: c.Seq}, nil
}

func (s *Sheet) entry(by string, seq uint64) (Entry, bool) {
	for i := len(s.log) - 1; i >= 0; i-- {
		if e := s.log[i]; e.By == by && e.Seq == seq {
			return e, true
		}
	}
	return Entry{}, false
}

// check validates c against the sheet without changing it.
func (s *Sheet) check(c Change) error {
	switch c.Kind {
	case SetMark, ClearMark, SetJudgement, SetNote, Submit:
		if c.By != s.key.Assessor {
			return fmt.Errorf("%w: %q may not mark %q's sheet", ErrNotPermitted, c.By, s.key.Assessor)
		}
		if s.submitted && c.Kind == Submit {
			return fmt.Errorf("%w at %s", ErrAlreadySubmitted, s.submittedAt.Format(time.RFC3339))
		}
		if s.submitted {
			return ErrLocked
		}
	case ModerateMark, ModerateJudgement:
		return s.checkModeration(c)
	default:
		return fmt.Errorf("%w: unknown kind %q", ErrBadChange, c.Kind)
	}
	switch c.Kind {
	case SetMark:
		return s.checkMark(c.Criterion, c.Value)
	case ClearMark:
		_, err := s.criterion(c.Criterion)
		return err
	case SetJudgement:
		return s.checkJudgement(c.Value)
	case SetNote:
		return s.checkNote(c)
	default: // Submit
		return s.checkComplete()
	}
}

func (s *Sheet) checkModeration(c Change) error {
	switch {
	case c.By != s.lead:
		return fmt.Errorf("%w: only the lead assessor %q moderates", ErrNotPermitted, s.lead)
	case !s.submitted:
		return ErrNotSubmitted
	case strings.TrimSpace(c.Reason) == "":
		return ErrNoReason
	case c.Kind == ModerateMark:
		return s.checkMark(c.Criterion, c.Value)
	default:
		return s.checkJudgement(c.Value)
	}
}

func (s *Sheet) criterion(id string) (*Criterion, error) {
	cr, ok := s.rubric.Criterion(id)
	if !ok {
		return nil, fmt.Errorf("%w: %q is not in rubric %q", ErrUnknownCriterion, id, s.rubric.ID)
	}
	return cr, nil
}

func (s *Sheet) checkMark(id string, v int) error {
	cr, err := s.criterion(id)
	if err != nil {
		return err
	}
	if !cr.Valid(v) {
		return fmt.Errorf("%w: criterion %q: %d is not on its scale %d..%d", ErrMarkOutOfScale, id, v, cr.Min(), cr.Max())
	}
	return nil
}

func (s *Sheet) checkJudgement(v int) error {
	if _, ok := s.scale.Index(v); !ok {
		return fmt.Errorf("%w: global judgement %d is not on the judgement scale", ErrMarkOutOfScale, v)
	}
	return nil
}

func (s *Sheet) checkNote(c Change) error {
	if c.Criterion != "" {
		if _, err := s.criterion(c.Criterion); err != nil {
			return err
		}
	}
	if n := utf8.RuneCountInString(c.Text); n > MaxNote || !utf8.ValidString(c.Text) {
		return fmt.Errorf("%w: note of %d characters or invalid UTF-8; at most %d", ErrBadChange, n, MaxNote)
	}
	return nil
}

func (s *Sheet) checkComplete() error {
	var missing []string
	for _, cr := range s.rubric.Criteria() {
		if _, ok := s.cur.marks[cr.ID]; !ok {
			missing = append(missing, cr.ID)
		}
	}
	if !s.cur.judged {
		missing = append(missing, "global judgement")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: not marked: %s", ErrIncompleteSheet, strings.Join(missing, ", "))
	}
	return nil
}

// do applies a checked change.
func (s *Sheet) do(c Change, now time.Time) {
	switch c.Kind {
	case SetMark:
		s.cur.marks[c.Criterion] = c.Value
	case ClearMark:
		delete(s.cur.marks, c.Criterion)
	case SetJudgement:
		s.cur.judgement, s.cur.judged = c.Value, true
	case SetNote:
		if c.Text == "" {
			delete(s.notes, c.Criterion)
		} else {
			s.notes[c.Criterion] = c.Text
		}
	case Submit:
		s.submitted, s.submittedAt = true, now
		s.original = s.cur.clone()
	case ModerateMark:
		s.moderations = append(s.moderations, Moderation{At: now, By: c.By, Criterion: c.Criterion,
			Original: s.original.marks[c.Criterion], Previous: s.cur.marks[c.Criterion], Value: c.Value, Reason: c.Reason})
		s.cur.marks[c.Criterion] = c.Value
	case ModerateJudgement:
		s.moderations = append(s.moderations, Moderation{At: now, By: c.By,
			Original: s.original.judgement, Previous: s.cur.judgement, Value: c.Value, Reason: c.Reason})
		s.cur.judgement = c.Value
	}
}
