package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Action names what was done. Every action is a constant below; a new kind
// of action is added here (and to docs/audit.md) before it is logged, so
// the log's vocabulary is documented in one place.
type Action string

// Actions. The name is noun.verb: the kind of thing acted on, then the act.
const (
	StaffSignIn            Action = "staff.signin"
	StaffSignOut           Action = "staff.signout"
	SittingRelease         Action = "sitting.release"
	AttemptPause           Action = "attempt.pause"
	AttemptResume          Action = "attempt.resume"
	AttemptExtraTime       Action = "attempt.extra_time"
	AttemptVoid            Action = "attempt.void"
	AttemptEnd             Action = "attempt.end"
	AttemptTakeover        Action = "attempt.takeover"
	AttemptDeadlineSubmit  Action = "attempt.deadline_submit"
	AttemptCheckIn         Action = "attempt.checkin"
	AttemptAdmit           Action = "attempt.admit"
	AttemptApproveRejoin   Action = "attempt.approve_rejoin"
	SittingAnnounce        Action = "sitting.announce"
	SittingIncident        Action = "sitting.incident"
	SheetModerate          Action = "sheet.moderate"
	SheetAssignThirdMarker Action = "sheet.assign_third_marker"
	SheetLeadDecision      Action = "sheet.lead_decision"
	StandardDecision       Action = "standard.decision"
	ResponsesExport        Action = "responses.export"

	// Programme administration (engine/programme, docs/programme.md).
	EmployerCreate      Action = "employer.create"
	PersonCreate        Action = "person.create"
	StaffCreate         Action = "staff.create"
	SittingCreate       Action = "sitting.create"
	RolePlayDayCreate   Action = "roleplay_day.create"
	EndorsementRecord   Action = "endorsement.record"
	EndorsementWithdraw Action = "endorsement.withdraw"
	BookingCreate       Action = "booking.create"
	BookingCancel       Action = "booking.cancel"
	BookingMove         Action = "booking.move"
	AdjustmentApprove   Action = "adjustment.approve"
	ImportPeople        Action = "import.people"
	ImportEmployers     Action = "import.employers"
	ImportContent       Action = "import.content"
	PortalSignIn        Action = "portal.signin"
	PortalSignOut       Action = "portal.signout"

	// Results (engine/results, docs/results.md).
	StandardAdopt  Action = "standard.adopt"
	ResultsRelease Action = "results.release"
	AppealLodge    Action = "appeal.lodge"
	AppealDecide   Action = "appeal.decide"
)

// actions lists every action, in the order of the constants.
var actions = []Action{
	StaffSignIn, StaffSignOut, SittingRelease,
	AttemptPause, AttemptResume, AttemptExtraTime, AttemptVoid, AttemptEnd,
	AttemptTakeover, AttemptDeadlineSubmit, AttemptCheckIn, AttemptAdmit, AttemptApproveRejoin,
	SittingAnnounce, SittingIncident,
	SheetModerate, SheetAssignThirdMarker, SheetLeadDecision,
	StandardDecision, ResponsesExport,
	EmployerCreate, PersonCreate, StaffCreate, SittingCreate, RolePlayDayCreate,
	EndorsementRecord, EndorsementWithdraw,
	BookingCreate, BookingCancel, BookingMove, AdjustmentApprove,
	ImportPeople, ImportEmployers, ImportContent, PortalSignIn, PortalSignOut,
	StandardAdopt, ResultsRelease, AppealLodge, AppealDecide,
}

// Actions returns every action, in the order of the constants.
func Actions() []Action { return slices.Clone(actions) }

// abortedSuffix marks the record of an action that was logged but then not
// taken: "attempt.void.aborted".
const abortedSuffix = ".aborted"

// Aborted is the action that records that a was logged but not taken.
func (a Action) Aborted() Action { return a + abortedSuffix }

// Known reports whether a is one of Actions or the Aborted form of one.
func (a Action) Known() bool {
	base, aborted := strings.CutSuffix(string(a), abortedSuffix)
	if !aborted {
		base = string(a)
	}
	return slices.Contains(actions, Action(base))
}

// Kinds of actor.
const (
	ActorStaff     = "staff"
	ActorCandidate = "candidate"
	ActorSystem    = "system" // the engine itself: a deadline passing
)

// Kinds of target.
const (
	TargetSitting  = "sitting"
	TargetAttempt  = "attempt"
	TargetSheet    = "sheet"
	TargetPerson   = "person"
	TargetStandard = "standard"
	TargetEmployer = "employer"
	TargetWindow   = "window" // a sitting window (cohort) of results
)

var targetKinds = []string{TargetSitting, TargetAttempt, TargetSheet, TargetPerson, TargetStandard, TargetEmployer, TargetWindow}

// Limits on an entry's free-form parts.
const (
	MaxReason = 2000 // bytes
	MaxState  = 4096 // bytes of Before or After JSON
)

// Actor is who acted: a member of staff (ID and Role), a candidate (ID),
// or the system (ID names the part of it, for example "deadline").
type Actor struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Role string `json:"role,omitempty"`
}

// Target is what was acted on.
type Target struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// Entry is one audit record. Its JSON encoding, as stored, is what the
// Merkle tree hashes (docs/audit.md lists the fields).
type Entry struct {
	// V is the format version, set by Append.
	V int `json:"v"`
	// Time is the server's clock when the entry was appended, set by Append.
	Time   time.Time `json:"time"`
	Actor  Actor     `json:"actor"`
	Action Action    `json:"action"`
	Target Target    `json:"target"`
	Reason string    `json:"reason,omitempty"`
	// Before and After are the target's state where the action changed it:
	// small JSON values, absent when nothing changed.
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
	// Aborts is, on an Aborted action, the index of the entry whose action
	// was not taken.
	Aborts *int64 `json:"aborts,omitempty"`
}

// Version is the entry format Append writes.
const Version = 1

// Errors. Verification failures are *TamperError, which wraps ErrTampered.
var (
	// ErrInvalidEntry is returned by Append for an entry that breaks the
	// rules of Validate; nothing is stored.
	ErrInvalidEntry = errors.New("audit: invalid entry")
	// ErrNoCheckpoint is returned by Prove when no checkpoint has been published.
	ErrNoCheckpoint = errors.New("audit: no checkpoint yet")
	// ErrNotCovered is returned by Prove for an entry the latest checkpoint
	// does not cover (not yet checkpointed, or beyond the log).
	ErrNotCovered = errors.New("audit: entry not covered by the latest checkpoint")
	// ErrTampered is wrapped by every *TamperError: the stored log or its
	// checkpoints are not what was signed.
	ErrTampered = errors.New("audit: log does not match its signed checkpoints")
	// ErrBadProof is returned by CheckProof for a proof that does not check.
	ErrBadProof = errors.New("audit: proof does not check")
	// ErrNotRecorded is wrapped by the error of an act whose audit entry
	// could not be stored: the act was not taken either, and whoever asked
	// for it is told so.
	ErrNotRecorded = errors.New("audit: the act's entry could not be stored")
)

// Validate checks an entry before it is stored: a known action, an actor
// with an id (and a role, for staff), a target of a known kind with an id,
// a reason and states within their limits, states that are JSON, and
// Aborts set exactly on an Aborted action.
func (e *Entry) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidEntry, fmt.Sprintf(format, args...))
	}
	switch {
	case !e.Action.Known():
		return bad("unknown action %q", e.Action)
	case e.Actor.ID == "":
		return bad("actor has no id")
	case e.Actor.Kind == ActorStaff && e.Actor.Role == "":
		return bad("staff actor %q has no role", e.Actor.ID)
	case e.Actor.Kind != ActorStaff && e.Actor.Kind != ActorCandidate && e.Actor.Kind != ActorSystem:
		return bad("actor kind %q", e.Actor.Kind)
	case !slices.Contains(targetKinds, e.Target.Kind):
		return bad("target kind %q", e.Target.Kind)
	case e.Target.ID == "":
		return bad("target has no id")
	case len(e.Reason) > MaxReason:
		return bad("reason of %d bytes, at most %d", len(e.Reason), MaxReason)
	case strings.HasSuffix(string(e.Action), abortedSuffix) != (e.Aborts != nil):
		return bad("aborts is set exactly on an aborted action")
	case e.Aborts != nil && *e.Aborts < 0:
		return bad("aborts %d", *e.Aborts)
	}
	for name, s := range map[string]json.RawMessage{"before": e.Before, "after": e.After} {
		if len(s) > MaxState {
			return bad("%s state of %d bytes, at most %d", name, len(s), MaxState)
		}
		if len(s) > 0 && !json.Valid(s) {
			return bad("%s state is not JSON", name)
		}
	}
	return nil
}
