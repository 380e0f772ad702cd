package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/accredit/accredit/scoring"
)

// ErrNotSubmitted is returned by Score for an attempt not yet submitted.
var ErrNotSubmitted = errors.New("engine: attempt not submitted")

// Score is a submitted attempt's score, overall and by domain, with what
// the results need to know of the attempt.
type Score struct {
	Attempt   string         `json:"attempt"`
	Form      string         `json:"form"`
	Started   time.Time      `json:"started"`
	Submitted time.Time      `json:"submitted"`
	Reason    string         `json:"reason"` // the submission reason: see Counts
	Result    scoring.Result `json:"result"`
}

// Counts reports whether the attempt is scored (not voided or withdrawn).
func (s Score) Counts() bool { return Counts(s.Reason) }

// Score returns the score of candidate's attempt in sitting. It fails with
// ErrUnknownAttempt when the candidate never joined and with
// ErrNotSubmitted while the attempt is not submitted. A voided or
// withdrawn attempt is returned with its reason; its Result is what it
// would have scored, which does not count.
func (e *Engine) Score(ctx context.Context, sitting, candidate string) (Score, error) {
	a, _, err := e.Attempt(ctx, AttemptID(sitting, candidate))
	if err != nil {
		return Score{}, err
	}
	if a.Status != StatusSubmitted {
		return Score{}, fmt.Errorf("%w: %s is %s", ErrNotSubmitted, a.ID, a.Status)
	}
	s := Score{Attempt: a.ID, Form: a.Form, Started: a.Started, Submitted: a.Submitted, Reason: a.Reason}
	if a.Score != nil {
		s.Result = *a.Score
	} else {
		s.Result = *a.score()
	}
	return s, nil
}
