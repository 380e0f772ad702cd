package engine

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/accredit/accredit/internal/livesession"
)

// ProtocolVersion is the version of the candidate protocol described in
// docs/protocol.md. A client names it in its hello message.
const ProtocolVersion = 1

// MaxFrameBytes bounds a client frame; a larger one closes the connection
// with CloseTooLarge.
const MaxFrameBytes = 8 << 10

// Error codes sent in "error" messages. The number space is documented in
// docs/protocol.md: 1xx malformed or refused frames, 2xx identity, 3xx
// attempt state, 5xx server. The 1xx, 2xx and 5xx codes are the ones every
// live session shares (internal/livesession).
const (
	CodeBadFrame    = livesession.CodeBadFrame    // binary, not a JSON object, a key repeated, or a field of the wrong type
	CodeUnknownType = livesession.CodeUnknownType // "type" names no message
	CodeTooLarge    = livesession.CodeTooLarge    // frame over MaxFrameBytes (the connection is closed)
	CodeRateLimited = livesession.CodeRateLimited // too many frames; the frame was dropped
	CodeBadVersion  = livesession.CodeBadVersion  // hello with an unsupported protocol version
	CodeUnknownCode = livesession.CodeUnknownCode // no candidate has this access code
	CodeNotJoined   = livesession.CodeNotJoined   // a message other than hello before hello
	CodeStore       = livesession.CodeStore       // the answer could not be stored; it is not acknowledged
)

// Error codes of the attempt's state.
const (
	CodeNotStarted     = 301 // the attempt has not started
	CodeSubmitted      = 302 // the attempt is submitted; nothing may change
	CodeDeadlinePassed = 303 // the time limit (plus grace) has passed
	CodeUnknownItem    = 304 // the item is not in this attempt
	CodeBadOptions     = 305 // an option is not in the item, repeated, or too many
	CodeBadSeq         = 306 // seq missing, zero, negative, fractional or over MaxSeq; or reused
	CodeNotConfirmed   = 307 // submit without "confirm": true
	CodeBadPosition    = 308 // navigate outside the attempt
	CodePaused         = 309 // the invigilator has paused the attempt
)

// WebSocket close codes the server uses (4000-4999 is the private range),
// those of every live session.
const (
	CloseTakenOver  = livesession.CloseTakenOver  // another connection took over the attempt
	CloseTooLarge   = livesession.CloseTooLarge   // a frame exceeded MaxFrameBytes (WebSocket "message too big")
	CloseUnknown    = livesession.CloseUnknown    // hello with an unknown access code
	CloseRateLimit  = livesession.CloseRateLimit  // the client kept flooding after warnings
	CloseIdle       = livesession.CloseIdle       // no frame or pong within the idle timeout
	CloseBadVersion = livesession.CloseBadVersion // unsupported protocol version
)

// ProtocolError is an error the client is told about.
type ProtocolError = livesession.Error

func perr(code int, format string, args ...any) *ProtocolError {
	return livesession.Errorf(code, format, args...)
}

// ClientMsg is any frame a candidate's client sends. Type selects which
// fields matter.
type ClientMsg struct {
	Type     string   `json:"type"`
	V        int      `json:"v,omitempty"`        // hello
	Code     string   `json:"code,omitempty"`     // hello
	Seq      uint64   `json:"seq,omitempty"`      // answer, flag, navigate, submit
	Item     string   `json:"item,omitempty"`     // answer, flag
	Options  []string `json:"options,omitempty"`  // answer
	Flagged  bool     `json:"flagged,omitempty"`  // flag
	Position int      `json:"position,omitempty"` // navigate
	Confirm  bool     `json:"confirm,omitempty"`  // submit, finish_section
	Section  int      `json:"section,omitempty"`  // finish_section: the section finished (0 is the first)
}

// Client message types.
const (
	MsgHello    = "hello"
	MsgAnswer   = "answer"
	MsgFlag     = "flag"
	MsgNavigate = "navigate"
	MsgSubmit   = "submit"
	MsgPing     = "ping"
	// MsgFinishSection closes the current section of a form delivered
	// section by section (sections.go).
	MsgFinishSection = "finish_section"
)

var errNotObject = errors.New("frame is not a JSON object")

// clientMsg is ClientMsg without its methods, and wire the frame as
// decoded: seq kept raw, for livesession.ParseSeq to check.
type (
	clientMsg ClientMsg
	wire      struct {
		*clientMsg
		Seq json.RawMessage `json:"seq"`
	}
)

// seqErr is the protocol error of a seq livesession.ParseSeq refused.
func seqErr(err error) error {
	if errors.Is(err, livesession.ErrSeqRange) {
		return perr(CodeBadSeq, "%v", err)
	}
	return err
}

// DecodeClientMsg parses one client frame. It never panics; a frame that is
// not a JSON object with a known type gets a ProtocolError.
func DecodeClientMsg(b []byte) (ClientMsg, error) {
	var m ClientMsg
	if len(b) > MaxFrameBytes {
		return m, perr(CodeTooLarge, "frame of %d bytes exceeds %d", len(b), MaxFrameBytes)
	}
	trimmed := strings.TrimSpace(string(b))
	if !strings.HasPrefix(trimmed, "{") {
		return m, perr(CodeBadFrame, "%v", errNotObject)
	}
	w := wire{clientMsg: (*clientMsg)(&m)}
	if err := livesession.DecodeObject(b, &w); err != nil {
		return ClientMsg{}, err
	}
	var err error
	if m.Seq, err = livesession.ParseSeq(w.Seq); err != nil {
		return m, seqErr(err)
	}
	switch m.Type {
	case MsgHello, MsgAnswer, MsgFlag, MsgNavigate, MsgSubmit, MsgPing, MsgFinishSection:
	case "":
		return m, perr(CodeBadFrame, "frame has no \"type\"")
	default:
		return m, perr(CodeUnknownType, "unknown message type %q", m.Type)
	}
	if len(m.Options) > 64 {
		return m, perr(CodeBadOptions, "too many options")
	}
	return m, nil
}

// Server message types.
const (
	MsgWelcome   = "welcome"
	MsgWaiting   = "waiting"
	MsgAttempt   = "attempt"
	MsgAck       = "ack"
	MsgTime      = "time"
	MsgSubmitted = "submitted"
	MsgError     = "error"
	MsgPong      = "pong"
	MsgClosing   = "closing"
	MsgPaused    = "paused"
	// MsgAnnouncement carries the invigilator's Message to the room, sent
	// At.
	MsgAnnouncement = "announcement"
)

// ServerMsg is any frame the server sends.
type ServerMsg struct {
	// raw, when set, is this message already encoded; connections send it
	// as it is (see attemptJSON).
	raw         []byte
	Type        string `json:"type"`
	V           int    `json:"v,omitempty"`
	Seq         uint64 `json:"seq,omitempty"`          // ack, error
	Item        string `json:"item,omitempty"`         // ack
	Duplicate   bool   `json:"duplicate,omitempty"`    // ack of a re-sent seq
	RemainingMS *int64 `json:"remaining_ms,omitempty"` // attempt, ack, time, pong
	// SectionRemainingMS, beside RemainingMS, is the current section's
	// time left, when it has a limit of its own.
	SectionRemainingMS *int64       `json:"section_remaining_ms,omitempty"`
	Warning            string       `json:"warning,omitempty"`   // time
	Note               string       `json:"note,omitempty"`      // paused, time: the invigilator's reason
	Candidate          *CandidateVM `json:"candidate,omitempty"` // welcome
	Attempt            *AttemptView `json:"attempt,omitempty"`   // attempt
	Reason             string       `json:"reason,omitempty"`    // submitted, closing
	At                 string       `json:"at,omitempty"`        // submitted, announcement
	Code               int          `json:"code,omitempty"`      // error, closing
	Message            string       `json:"message,omitempty"`   // error, announcement
}

// CandidateVM is what a candidate is told about themself and the sitting.
type CandidateVM struct {
	Name      string `json:"name"`
	Sitting   string `json:"sitting"`
	Centre    string `json:"centre"`
	FormTitle string `json:"form_title"`
	Status    string `json:"status"` // waiting, in_progress, submitted
	LimitMS   int64  `json:"time_limit_ms"`
	// LargerText: the candidate's approved adjustment; the page starts
	// in larger text (the candidate may still change it).
	LargerText bool `json:"larger_text,omitempty"`
}

// AttemptView is the attempt as a candidate sees it: items in their order,
// options in their order, no keys.
type AttemptView struct {
	Sections []SectionView       `json:"sections"`
	Cases    map[string]CaseVM   `json:"cases,omitempty"`
	Answers  map[string][]string `json:"answers"`
	Flags    []string            `json:"flags"`
	Position int                 `json:"position"`
	LastSeq  uint64              `json:"last_seq"`
	Status   string              `json:"status"`
	Paused   bool                `json:"paused"`
	// Section is the current section (0 is the first), set only for a
	// form delivered section by section.
	Section *int `json:"section,omitempty"`
	// Linear: one question after another, the current one at Position,
	// with no going back.
	Linear bool `json:"linear,omitempty"`
}

// SectionView is a section with its items in delivery order. In a form
// delivered section by section it also says its State ("closed", "open",
// or "later", which holds no items, only their Count), why a closed one
// closed ("candidate" or "deadline") and its own time limit, if any.
type SectionView struct {
	Title       string     `json:"title"`
	State       string     `json:"state,omitempty"`
	ClosedBy    string     `json:"closed_by,omitempty"`
	TimeLimitMS int64      `json:"time_limit_ms,omitempty"`
	Count       int        `json:"count,omitempty"`
	Items       []ItemView `json:"items"`
}

// Section states.
const (
	SectionClosed = "closed"
	SectionOpen   = "open"
	SectionLater  = "later"
)

// ItemView is an item without its key.
type ItemView struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Case   string `json:"case,omitempty"`
	Stem   string `json:"stem"`
	Select int    `json:"select"` // the most options an answer may hold
	// MinSelect is set for an item that gives a range of options to
	// choose (MinSelect to Select); without it a multiple-response item
	// asks for exactly Select.
	MinSelect *int   `json:"min_select,omitempty"`
	StemHTML  string `json:"stem_html,omitempty"` // rich text (docs/content.md)
	// Stylesheets are the item's stylesheets, paths of the candidate asset
	// route: the page applies them to the item's stem and options only.
	Stylesheets []string `json:"stylesheets,omitempty"`
	// Options is the last field: viewjson.go writes each candidate's order
	// of them after the rest of the item, encoded once.
	Options []OptionView `json:"options"`
}

// OptionView is an answer option.
type OptionView struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	HTML string `json:"html,omitempty"`
}

// CaseVM is a case scenario shared by several items.
type CaseVM struct {
	Title string `json:"title"`
	Text  string `json:"text"`
	HTML  string `json:"html,omitempty"`
	// Stylesheets are the case's stylesheets, paths of the candidate asset
	// route: the page applies them to the case's scenario only.
	Stylesheets []string `json:"stylesheets,omitempty"`
}
