package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/scoring"
)

// Status is where an attempt is in its life.
type Status string

const (
	StatusWaiting    Status = "waiting"     // joined; the sitting is not released
	StatusInProgress Status = "in_progress" // the clock is running
	StatusSubmitted  Status = "submitted"   // final; nothing may change
)

// Submission reasons.
const (
	ReasonCandidate   = "candidate"
	ReasonDeadline    = "deadline"
	ReasonInvigilator = "invigilator"
	ReasonVoided      = "voided" // ended by the invigilator; the attempt does not count
)

// Grace is how long after the deadline an answer is still accepted, for
// messages in flight when time ran out. The attempt is submitted by the
// server at deadline + Grace.
const Grace = 2 * time.Second

// event is one record of an attempt's stream. The stream is the attempt's
// only durable state: replaying it rebuilds the attempt.
type event struct {
	T  string    `json:"t"`
	At time.Time `json:"at"`

	// create
	Sitting   string `json:"sitting,omitempty"`
	Candidate string `json:"candidate,omitempty"`
	Form      string `json:"form,omitempty"`
	Seed      uint64 `json:"seed,omitempty"`
	LimitMS   int64  `json:"limit_ms,omitempty"`

	// answer, flag, navigate, submit (the client's sequence number)
	Seq     uint64   `json:"seq,omitempty"`
	Item    string   `json:"item,omitempty"`
	Options []string `json:"options,omitempty"`
	Flagged bool     `json:"flagged,omitempty"`
	Pos     int      `json:"pos,omitempty"`

	// extra time (ms), submit reason and score
	ExtraMS int64           `json:"extra_ms,omitempty"`
	Reason  string          `json:"reason,omitempty"`
	By      string          `json:"by,omitempty"`
	Score   *scoring.Result `json:"score,omitempty"`
}

// Event types.
const (
	evCreate   = "create"
	evStart    = "start"
	evAnswer   = "answer"
	evFlag     = "flag"
	evNavigate = "navigate"
	evExtra    = "extra_time"
	evSubmit   = "submit"
	evPause    = "pause"
	evResume   = "resume"
)

// Attempt is one candidate's attempt at a form, rebuilt from its stream.
type Attempt struct {
	ID        string
	Sitting   string
	Candidate string
	Form      string
	Seed      uint64
	Limit     time.Duration // the form's limit times the candidate's accommodation
	Status    Status
	Started   time.Time
	Deadline  time.Time
	Submitted time.Time
	Reason    string
	Answers   map[string][]string
	Flags     map[string]bool
	Position  int
	Paused    bool      // the invigilator paused the clock
	PausedAt  time.Time // when, if Paused
	LastSeq   uint64
	Score     *scoring.Result

	n int64 // records applied; the expected length for the next append
}

// apply folds one event into the attempt.
func (a *Attempt) apply(e *event) {
	a.n++
	if e.Seq > a.LastSeq {
		a.LastSeq = e.Seq
	}
	switch e.T {
	case evCreate:
		a.Sitting, a.Candidate, a.Form, a.Seed = e.Sitting, e.Candidate, e.Form, e.Seed
		a.Limit = time.Duration(e.LimitMS) * time.Millisecond
		a.Status = StatusWaiting
		a.Answers, a.Flags = map[string][]string{}, map[string]bool{}
	case evStart:
		a.Status, a.Started, a.Deadline = StatusInProgress, e.At, e.At.Add(a.Limit)
	case evAnswer:
		if len(e.Options) == 0 {
			delete(a.Answers, e.Item)
		} else {
			a.Answers[e.Item] = e.Options
		}
	case evFlag:
		if e.Flagged {
			a.Flags[e.Item] = true
		} else {
			delete(a.Flags, e.Item)
		}
	case evNavigate:
		a.Position = e.Pos
	case evExtra:
		a.Deadline = a.Deadline.Add(time.Duration(e.ExtraMS) * time.Millisecond)
	case evPause:
		a.Paused, a.PausedAt = true, e.At
	case evResume:
		if a.Paused {
			a.Deadline = a.Deadline.Add(e.At.Sub(a.PausedAt))
		}
		a.Paused = false
	case evSubmit:
		a.Status, a.Submitted, a.Reason, a.Score = StatusSubmitted, e.At, e.Reason, e.Score
		a.Paused = false
	}
}

func decodeAttempt(id string, recs [][]byte) (*Attempt, error) {
	a := &Attempt{ID: id}
	if err := a.replay(recs); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *Attempt) replay(recs [][]byte) error {
	for i, r := range recs {
		var e event
		if err := json.Unmarshal(r, &e); err != nil {
			return fmt.Errorf("attempt %s record %d: %w", a.ID, a.n, err)
		}
		if a.n == 0 && e.T != evCreate {
			return fmt.Errorf("attempt %s record %d: stream does not begin with create", a.ID, i)
		}
		a.apply(&e)
	}
	return nil
}

// Remaining returns the time left at now, never negative.
func (a *Attempt) Remaining(now time.Time) time.Duration {
	switch a.Status {
	case StatusWaiting:
		return a.Limit
	case StatusSubmitted:
		return 0
	}
	if a.Paused {
		now = a.PausedAt // the clock stands still while paused
	}
	return max(a.Deadline.Sub(now), 0)
}

// checkOptions validates a candidate's choice for an item.
func checkOptions(it *content.Item, chosen []string) *ProtocolError {
	limit := max(it.Select, 1)
	if len(chosen) > limit {
		return perr(CodeBadOptions, "item %s takes at most %d option(s), got %d", it.ID, limit, len(chosen))
	}
	seen := map[string]bool{}
	for _, c := range chosen {
		if seen[c] {
			return perr(CodeBadOptions, "option %q chosen twice", c)
		}
		seen[c] = true
		if !slices.ContainsFunc(it.Options, func(o content.Option) bool { return o.ID == c }) {
			return perr(CodeBadOptions, "option %q is not an option of item %s", c, it.ID)
		}
	}
	return nil
}
