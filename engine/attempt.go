package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/accredit/accredit/engine/audit"
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
	ReasonVoided      = "voided"    // ended by the invigilator; the attempt does not count
	ReasonWithdrawn   = "withdrawn" // the candidate withdrew; the attempt does not count
)

// Counts reports whether a submission with this reason is scored: a voided
// or withdrawn attempt is kept as evidence only.
func Counts(reason string) bool { return reason != ReasonVoided && reason != ReasonWithdrawn }

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
	// SectionsMS: each section's limit times the candidate's factor (0:
	// untimed), for a form delivered section by section (sections.go).
	SectionsMS []int64 `json:"sections_ms,omitempty"`
	// Linear: the form is delivered one question after another, with no
	// going back (linear.go).
	Linear bool `json:"linear,omitempty"`

	// answer, flag, navigate, submit (the client's sequence number)
	Seq     uint64   `json:"seq,omitempty"`
	Item    string   `json:"item,omitempty"`
	Options []string `json:"options,omitempty"`
	Flagged bool     `json:"flagged,omitempty"`
	Pos     int      `json:"pos,omitempty"`
	Section int      `json:"section,omitempty"` // section: the section opened

	// extra time (ms), submit reason and score; on a pause or extra time,
	// Reason is the invigilator's; on a void, Detail is theirs
	ExtraMS int64           `json:"extra_ms,omitempty"`
	Reason  string          `json:"reason,omitempty"`
	Detail  string          `json:"detail,omitempty"`
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
	evLeave    = "leave"          // the candidate's connection closed, where rejoins need approval
	evRejoin   = "rejoin"         // the candidate is back after leaving
	evApprove  = "approve_rejoin" // the invigilator lets a candidate who left back in
)

// Attempt is one candidate's attempt at a form, rebuilt from its stream. It
// is a pure state machine: Decide says what a Command would record, without
// reading a clock or a store, and apply folds the recorded event in. The
// engine appends between the two, so only durable events change the
// attempt. Decide reads the attempt's layout (its items, their options, the
// number of positions, the scoring key), which an Attempt from the Engine
// carries. An Attempt is not safe for concurrent use.
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
	Paused    bool          // the invigilator paused the clock
	PausedAt  time.Time     // when, if Paused
	PauseNote string        // the invigilator's reason, if Paused
	Extra     time.Duration // incident time added (or taken, if negative) by the invigilator
	Detail    string        // the invigilator's account of a void or withdrawal
	// Away: the candidate's connection closed during the test, at
	// AwaySince, and they have not rejoined (recorded only where the
	// sitting's rejoins need approval); RejoinApproved: the invigilator
	// has approved their rejoin since.
	Away           bool
	AwaySince      time.Time
	RejoinApproved bool
	// SectionLimits, for an attempt delivered section by section, holds
	// each section's limit times the candidate's accommodation (0:
	// untimed); Section is the current one, SectionDeadline its deadline
	// (zero if untimed), moved by pauses and incident time as Deadline is,
	// and SectionsClosed says why each earlier one closed (ReasonCandidate
	// or ReasonDeadline).
	SectionLimits   []time.Duration
	Section         int
	SectionDeadline time.Time
	SectionsClosed  []string
	// Linear: the candidate answers one question after another and may
	// not go back (linear.go).
	Linear  bool
	LastAt  time.Time // the candidate's last recorded change
	LastSeq uint64
	Score   *scoring.Result

	n   int64   // records applied; the expected length for the next append
	lay *layout // the items in delivery order; set by the engine on loading
}

// CommandKind names what a Command asks of an attempt.
type CommandKind string

// Command kinds: the candidate's, the invigilator's and the server's.
const (
	CmdAnswer    CommandKind = "answer"         // the candidate chooses Options for Item
	CmdFlag      CommandKind = "flag"           // the candidate sets or clears Item's flag
	CmdNavigate  CommandKind = "navigate"       // the candidate moves to Position
	CmdSubmit    CommandKind = "submit"         // the candidate submits, with Confirm
	CmdStart     CommandKind = "start"          // the sitting is released: the clock starts
	CmdExtraTime CommandKind = "extra_time"     // the invigilator adds Extra to the deadline
	CmdPause     CommandKind = "pause"          // the invigilator stops the clock
	CmdResume    CommandKind = "resume"         // the invigilator restarts the clock
	CmdVoid      CommandKind = "void"           // the invigilator ends the attempt; it does not count
	CmdDeadline  CommandKind = "deadline"       // the server submits an attempt out of time
	CmdLeave     CommandKind = "leave"          // the server: the candidate's connection closed
	CmdRejoin    CommandKind = "rejoin"         // the server: the candidate reconnects, within Grace or approved
	CmdApprove   CommandKind = "approve_rejoin" // the invigilator lets a candidate who left rejoin
	// Timed sections (sections.go).
	CmdFinishSection   CommandKind = "finish_section"   // the candidate closes Section, with Confirm
	CmdSectionDeadline CommandKind = "section_deadline" // the server closes a section out of time
)

// Command is one request to change an attempt. Only the fields of its
// Kind are read.
type Command struct {
	Kind CommandKind

	// The candidate's: the message's sequence number and content.
	Seq      uint64
	Item     string
	Options  []string
	Flagged  bool
	Position int
	Confirm  bool
	Section  int // CmdFinishSection: the section the candidate finishes

	// The invigilator's.
	Extra    time.Duration // CmdExtraTime: added, or taken away if negative
	MaxExtra time.Duration // CmdExtraTime: the bound on the attempt's total incident time; 0 means none
	Reason   string        // CmdPause, CmdExtraTime: why; CmdVoid: the account kept with the attempt
	Withdraw bool          // CmdVoid: the candidate withdrew rather than being voided
	By       string

	// Record, when set, is the act's audit entry (the invigilator's, the
	// deadline submission's): stored in the same durable write as the
	// event the command decides, or not at all, with Before set to the
	// state decided on. A command refused or changing nothing records
	// nothing. It is not read by Decide.
	Record *audit.Entry

	// The server's.
	Grace time.Duration // CmdRejoin: how long a candidate may be away and rejoin unapproved
}

// Decide returns the event that cmd, arriving at now, records in the
// attempt, or an error saying why it may not: a *ProtocolError with the
// code the candidate is told (docs/protocol.md). A nil event with a nil
// error means the command changes nothing (pausing a paused attempt; the
// deadline submission before the deadline and grace have passed). Decide
// changes nothing; apply the event once it is durable.
func (a *Attempt) Decide(cmd Command, now time.Time) (*event, error) {
	switch cmd.Kind {
	case CmdAnswer, CmdFlag, CmdNavigate, CmdSubmit, CmdFinishSection:
		return a.decideCandidate(cmd, now)
	case CmdSectionDeadline:
		return a.decideSectionDeadline(now)
	case CmdExtraTime, CmdPause, CmdResume, CmdVoid, CmdApprove:
		return a.decideInvigilator(cmd, now)
	case CmdLeave, CmdRejoin:
		return a.decidePresence(cmd, now)
	case CmdStart:
		if a.Status != StatusWaiting {
			return nil, perr(CodeNotStarted, "already started")
		}
		return &event{T: evStart, At: now}, nil
	case CmdDeadline:
		if a.Status != StatusInProgress {
			return nil, perr(CodeSubmitted, "not in progress")
		}
		if a.Paused || !a.due(now) && !(a.sectionDue(now) && a.lastSection()) {
			return nil, nil
		}
		return &event{T: evSubmit, At: now, Reason: ReasonDeadline, Score: a.score()}, nil
	}
	return nil, notAllowed(string(cmd.Kind))
}

// decideCandidate decides a candidate's message.
func (a *Attempt) decideCandidate(cmd Command, now time.Time) (*event, error) {
	if pe := a.accepting(now); pe != nil {
		return nil, pe
	}
	if cmd.Kind == CmdFinishSection {
		return a.decideFinish(cmd, now)
	}
	if pe := a.checkSection(cmd, now); pe != nil {
		return nil, pe
	}
	if pe := a.checkLinear(cmd); pe != nil {
		return nil, pe
	}
	ev := &event{At: now, Seq: cmd.Seq, Item: cmd.Item}
	switch cmd.Kind {
	case CmdAnswer, CmdFlag:
		it, ok := a.lay.item(cmd.Item)
		if !ok {
			return nil, perr(CodeUnknownItem, "item %q is not in this test", cmd.Item)
		}
		if cmd.Kind == CmdFlag {
			ev.T, ev.Flagged = evFlag, cmd.Flagged
			return ev, nil
		}
		if pe := checkOptions(it, cmd.Options); pe != nil {
			return nil, pe
		}
		ev.T, ev.Options = evAnswer, cmd.Options
	case CmdNavigate:
		if cmd.Position < 0 || cmd.Position > a.lay.count { // count = the review screen
			return nil, perr(CodeBadPosition, "position %d is outside 0..%d", cmd.Position, a.lay.count)
		}
		ev.T, ev.Pos = evNavigate, cmd.Position
	case CmdSubmit:
		if !cmd.Confirm {
			return nil, perr(CodeNotConfirmed, "submit needs \"confirm\": true")
		}
		ev.T, ev.Reason, ev.Score = evSubmit, ReasonCandidate, a.score()
	}
	return ev, nil
}

// accepting says why the candidate may change nothing at now, or nil.
func (a *Attempt) accepting(now time.Time) *ProtocolError {
	switch a.Status {
	case StatusWaiting:
		return perr(CodeNotStarted, "the test has not started")
	case StatusSubmitted:
		return perr(CodeSubmitted, "the test has been submitted; nothing can change")
	}
	if a.Paused {
		return perr(CodePaused, "the invigilator has paused your test; wait for them to resume it")
	}
	if now.After(a.Deadline.Add(Grace)) {
		return perr(CodeDeadlinePassed, "time is up: answers after the deadline are not accepted")
	}
	return nil
}

// decideInvigilator decides an invigilator's action on an attempt in
// progress.
func (a *Attempt) decideInvigilator(cmd Command, now time.Time) (*event, error) {
	if a.Status != StatusInProgress {
		return nil, perr(CodeNotStarted, "not in progress")
	}
	ev := &event{At: now, By: cmd.By}
	switch cmd.Kind {
	case CmdExtraTime:
		if err := a.checkExtra(cmd, now); err != nil {
			return nil, err
		}
		ev.T, ev.ExtraMS, ev.Reason = evExtra, cmd.Extra.Milliseconds(), cmd.Reason
	case CmdPause:
		if a.Paused {
			return nil, nil
		}
		ev.T, ev.Reason = evPause, cmd.Reason
	case CmdResume:
		if !a.Paused {
			return nil, nil
		}
		ev.T = evResume
	case CmdVoid:
		ev.T, ev.Reason, ev.Detail, ev.Score = evSubmit, ReasonVoided, cmd.Reason, a.score()
		if cmd.Withdraw {
			ev.Reason = ReasonWithdrawn
		}
	case CmdApprove:
		switch {
		case !a.Away:
			return nil, ErrNotAway
		case a.RejoinApproved:
			return nil, nil
		}
		ev.T, ev.Reason = evApprove, cmd.Reason
	}
	return ev, nil
}

// decidePresence decides the server's record of a candidate leaving during
// the test and coming back: leaving is recorded once; coming back is
// refused with CodeRejoinApproval after more than cmd.Grace away, until
// the invigilator approves. An attempt not in progress records neither.
func (a *Attempt) decidePresence(cmd Command, now time.Time) (*event, error) {
	switch {
	case a.Status != StatusInProgress:
		return nil, nil
	case cmd.Kind == CmdLeave && a.Away, cmd.Kind == CmdRejoin && !a.Away:
		return nil, nil
	case cmd.Kind == CmdLeave:
		return &event{T: evLeave, At: now}, nil
	case !a.RejoinApproved && now.Sub(a.AwaySince) > cmd.Grace:
		return nil, perr(CodeRejoinApproval, "you left the test: ask your invigilator to let you back in; this page tries again by itself")
	}
	return &event{T: evRejoin, At: now}, nil
}

// checkExtra refuses a time change of zero, one that takes the attempt's
// incident time past its bound either way, or a reduction that would take
// away time already used.
func (a *Attempt) checkExtra(cmd Command, now time.Time) error {
	total := a.Extra + cmd.Extra
	switch {
	case cmd.Extra == 0:
		return fmt.Errorf("%w: no time given", ErrExtraTime)
	case cmd.MaxExtra > 0 && (total > cmd.MaxExtra || total < -cmd.MaxExtra):
		return fmt.Errorf("%w: the attempt's incident time would be %v, over the bound of %v", ErrExtraTime, total, cmd.MaxExtra)
	case cmd.Extra < 0 && a.Remaining(now)+cmd.Extra < 0:
		return fmt.Errorf("%w: only %v is left; time already used cannot be taken away", ErrExtraTime, a.Remaining(now).Round(time.Second))
	}
	return nil
}

// due reports whether the deadline and the grace have passed at now: the
// server submits the attempt.
func (a *Attempt) due(now time.Time) bool { return !now.Before(a.Deadline.Add(Grace)) }

// score marks the attempt's answers as they stand.
func (a *Attempt) score() *scoring.Result {
	r := scoring.Knowledge(a.lay.items(), a.Answers)
	return &r
}

// apply folds one event, durably recorded, into the attempt.
func (a *Attempt) apply(e *event) {
	a.n++
	if e.Seq > a.LastSeq {
		a.LastSeq = e.Seq
	}
	if e.Seq > 0 {
		a.LastAt = e.At
	}
	switch e.T {
	case evCreate:
		a.Sitting, a.Candidate, a.Form, a.Seed = e.Sitting, e.Candidate, e.Form, e.Seed
		a.Limit = time.Duration(e.LimitMS) * time.Millisecond
		a.SectionLimits = nil
		for _, ms := range e.SectionsMS {
			a.SectionLimits = append(a.SectionLimits, time.Duration(ms)*time.Millisecond)
		}
		a.Linear = e.Linear
		a.Status = StatusWaiting
		a.Answers, a.Flags = map[string][]string{}, map[string]bool{}
	case evStart:
		a.Status, a.Started, a.Deadline = StatusInProgress, e.At, e.At.Add(a.Limit)
		if a.BySection() {
			a.openSection(0, e.At)
		}
	case evSection:
		a.closeSection(e)
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
		d := time.Duration(e.ExtraMS) * time.Millisecond
		a.Deadline, a.Extra = a.Deadline.Add(d), a.Extra+d
		a.moveSection(d)
	case evPause:
		a.Paused, a.PausedAt, a.PauseNote = true, e.At, e.Reason
	case evResume:
		if a.Paused {
			a.Deadline = a.Deadline.Add(e.At.Sub(a.PausedAt))
			a.moveSection(e.At.Sub(a.PausedAt))
		}
		a.Paused, a.PauseNote = false, ""
	case evLeave:
		a.Away, a.AwaySince, a.RejoinApproved = true, e.At, false
	case evRejoin:
		a.Away, a.AwaySince, a.RejoinApproved = false, time.Time{}, false
	case evApprove:
		a.RejoinApproved = true
	case evSubmit:
		a.Status, a.Submitted, a.Reason, a.Score = StatusSubmitted, e.At, e.Reason, e.Score
		a.Paused, a.PauseNote, a.Detail = false, "", e.Detail
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

// checkOptions validates a candidate's choice for an item: distinct
// options of the item, at most the most its range allows (Select, or
// MaxSelect; one for a single-best answer). Fewer are accepted while the
// test runs, since a candidate builds a multiple-response answer one option
// at a time; an answer below the range scores 0 (content.Item.Points).
func checkOptions(it *content.Item, chosen []string) *ProtocolError {
	_, limit := it.Range()
	limit = max(limit, 1)
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

// notAllowed refuses a message type that changes nothing in an attempt.
func notAllowed(typ string) *ProtocolError {
	return perr(CodeUnknownType, "%q is not allowed here", typ)
}
