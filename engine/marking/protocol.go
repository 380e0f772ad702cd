package marking

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/internal/livesession"
)

// ProtocolVersion is the version of the assessor protocol described in
// docs/marking-protocol.md. A client names it in its hello message.
const ProtocolVersion = 1

// MaxFrameBytes bounds a client frame: an evidence note of
// roleplay.MaxNote characters fits even when every character takes four
// bytes. A larger frame closes the connection with CloseTooLarge.
const MaxFrameBytes = 32 << 10

// Error codes sent in "error" messages, documented in
// docs/marking-protocol.md: 1xx malformed or refused frames, 2xx identity,
// 3xx sheet rules, 5xx server. A refused change stores nothing. The 1xx,
// 2xx and 5xx codes are the ones every live session shares
// (internal/livesession).
const (
	CodeBadFrame    = livesession.CodeBadFrame    // binary, not a JSON object, a key repeated, or a field missing or of the wrong type
	CodeUnknownType = livesession.CodeUnknownType // "type" names no message
	CodeTooLarge    = livesession.CodeTooLarge    // frame over MaxFrameBytes (the connection is closed)
	CodeRateLimited = livesession.CodeRateLimited // too many frames; the frame was dropped
	CodeBadVersion  = livesession.CodeBadVersion  // hello with an unsupported protocol version
	CodeUnknownCode = livesession.CodeUnknownCode // no assessor has this code
	CodeNotJoined   = livesession.CodeNotJoined   // a change before hello
	CodeStore       = livesession.CodeStore       // the change could not be stored; it is not acknowledged
)

// Error codes of the sheet rules.
const (
	CodeNotAtStation     = 301 // the candidate is not (yet) at a station this assessor marks
	CodeLocked           = 302 // the sheet is submitted; changes need a moderation action
	CodeAlreadySubmitted = 303 // a second submit of the same sheet
	CodeUnknownCriterion = 304 // the criterion is not in the station's rubric
	CodeOutOfScale       = 305 // the mark or judgement is not a point of its scale
	CodeBadSeq           = 306 // seq missing, zero, negative, fractional or over 2^53 - 1, or reused for a different change
	CodeIncomplete       = 307 // submit with a criterion or the judgement unmarked
	CodeBadChange        = 308 // a note too long or not UTF-8
	CodeUnknownSheet     = 309 // no such circuit or station
	CodeNotSubmitted     = 310 // a moderation of a sheet not yet submitted
	CodeNoReason         = 311 // a moderation without a reason
	CodeAssigned         = 312 // the station's third marker has begun marking
)

// WebSocket close codes the server uses: those of every live session.
const (
	CloseTakenOver  = livesession.CloseTakenOver  // another connection signed in with the same code
	CloseTooLarge   = livesession.CloseTooLarge   // a frame exceeded MaxFrameBytes
	CloseUnknown    = livesession.CloseUnknown    // too many unknown assessor codes
	CloseBadVersion = livesession.CloseBadVersion // unsupported protocol version
	CloseRateLimit  = livesession.CloseRateLimit  // the client kept flooding after warnings
)

// ProtocolError is an error the client is told about.
type ProtocolError = livesession.Error

func perr(code int, format string, args ...any) *ProtocolError {
	return livesession.Errorf(code, format, args...)
}

// Client message types.
const (
	MsgHello     = "hello"
	MsgMark      = "mark"
	MsgClearMark = "clear_mark"
	MsgJudgement = "judgement"
	MsgNote      = "note"
	MsgSubmit    = "submit"
	MsgPing      = "ping"
)

// ClientMsg is any frame an assessor's client sends. Type selects which
// fields matter; every change names its sheet by circuit, station and
// candidate (the assessor is the one signed in on the connection).
type ClientMsg struct {
	Type      string `json:"type"`
	V         int    `json:"v,omitempty"`         // hello
	Code      string `json:"code,omitempty"`      // hello
	Seq       uint64 `json:"seq,omitempty"`       // changes
	Circuit   string `json:"circuit,omitempty"`   // changes
	Station   string `json:"station,omitempty"`   // changes
	Candidate string `json:"candidate,omitempty"` // changes
	Criterion string `json:"criterion,omitempty"` // mark, clear_mark, note ("" is the general note)
	Value     *int   `json:"value,omitempty"`     // mark, judgement
	Text      string `json:"text,omitempty"`      // note
}

// Ref returns the sheet the message names.
func (m ClientMsg) Ref() SheetRef {
	return SheetRef{Circuit: m.Circuit, Station: m.Station, Candidate: m.Candidate}
}

// kinds maps change messages to sheet change kinds.
var kinds = map[string]roleplay.Kind{
	MsgMark: roleplay.SetMark, MsgClearMark: roleplay.ClearMark, MsgJudgement: roleplay.SetJudgement,
	MsgNote: roleplay.SetNote, MsgSubmit: roleplay.Submit,
}

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

// DecodeClientMsg parses one client frame. It never panics; a frame that is
// not a JSON object of a known type with the fields that type needs gets a
// ProtocolError, whose message names the problem.
func DecodeClientMsg(b []byte) (ClientMsg, error) {
	var m ClientMsg
	if len(b) > MaxFrameBytes {
		return m, perr(CodeTooLarge, "frame of %d bytes exceeds %d", len(b), MaxFrameBytes)
	}
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return m, perr(CodeBadFrame, "%v", errNotObject)
	}
	w := wire{clientMsg: (*clientMsg)(&m)}
	if err := livesession.DecodeObject(b, &w); err != nil {
		return ClientMsg{}, err
	}
	var err error
	if m.Seq, err = livesession.ParseSeq(w.Seq); err != nil {
		if errors.Is(err, livesession.ErrSeqRange) {
			err = perr(CodeBadSeq, "%v", err)
		}
		return m, err
	}
	switch m.Type {
	case MsgHello, MsgPing:
		return m, nil
	case "":
		return m, perr(CodeBadFrame, "frame has no \"type\"")
	}
	if _, ok := kinds[m.Type]; !ok {
		return m, perr(CodeUnknownType, "unknown message type %q", m.Type)
	}
	return m, checkFields(m)
}

// checkFields checks that a change carries what its type needs.
func checkFields(m ClientMsg) error {
	switch {
	case m.Seq == 0:
		return perr(CodeBadSeq, "%s needs a seq greater than 0", m.Type)
	case m.Circuit == "" || m.Station == "" || m.Candidate == "":
		return perr(CodeBadFrame, "%s needs \"circuit\", \"station\" and \"candidate\"", m.Type)
	case (m.Type == MsgMark || m.Type == MsgClearMark) && m.Criterion == "":
		return perr(CodeBadFrame, "%s needs \"criterion\"", m.Type)
	case (m.Type == MsgMark || m.Type == MsgJudgement) && m.Value == nil:
		return perr(CodeBadFrame, "%s needs \"value\"", m.Type)
	}
	return nil
}

// change turns a decoded change message from assessor by into a sheet
// change.
func (m ClientMsg) change(by string) roleplay.Change {
	c := roleplay.Change{By: by, Seq: m.Seq, Kind: kinds[m.Type], Criterion: m.Criterion, Text: m.Text}
	if m.Value != nil {
		c.Value = *m.Value
	}
	if c.Kind == roleplay.SetJudgement || c.Kind == roleplay.Submit {
		c.Criterion = ""
	}
	if c.Kind != roleplay.SetNote {
		c.Text = ""
	}
	return c
}

// Server message types.
const (
	MsgWelcome = "welcome"
	MsgAck     = "ack"
	MsgSheet   = "sheet"
	MsgError   = "error"
	MsgPong    = "pong"
	MsgClosing = "closing"
	// MsgCircuits: the assessor's stations changed since the welcome (a
	// resolution sheet to mark was assigned or flagged).
	MsgCircuits = "circuits"
)

// SheetRef names one of the signed-in assessor's sheets.
type SheetRef struct {
	Circuit   string `json:"circuit"`
	Station   string `json:"station"`
	Candidate string `json:"candidate"`
}

// ServerMsg is any frame the server sends.
type ServerMsg struct {
	Type      string      `json:"type"`
	V         int         `json:"v,omitempty"`         // welcome
	Seq       uint64      `json:"seq,omitempty"`       // ack, error
	Sheet     *SheetRef   `json:"sheet,omitempty"`     // ack, error
	Duplicate bool        `json:"duplicate,omitempty"` // ack of a re-sent seq
	Now       *time.Time  `json:"now,omitempty"`       // welcome, pong: the server's clock
	Assessor  *AssessorVM `json:"assessor,omitempty"`  // welcome
	Circuits  []CircuitVM `json:"circuits,omitempty"`  // welcome, circuits
	Sheets    []SheetVM   `json:"sheets,omitempty"`    // welcome, sheet
	Code      int         `json:"code,omitempty"`      // error, closing
	Message   string      `json:"message,omitempty"`   // error
	Reason    string      `json:"reason,omitempty"`    // closing
}

func errorMsg(seq uint64, ref *SheetRef, err error) ServerMsg {
	var pe *ProtocolError
	if !errors.As(err, &pe) {
		pe = perr(CodeStore, "%v", err)
	}
	return ServerMsg{Type: MsgError, Seq: seq, Sheet: ref, Code: pe.Code, Message: pe.Message}
}

// Refusal maps an error of the service or of the sheet state machine to
// the protocol error a client is told; anything else is CodeStore.
func Refusal(err error) *ProtocolError { return codeOf(err) }

// codeOf maps the sheet state machine's errors to protocol errors.
func codeOf(err error) *ProtocolError {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return pe
	}
	codes := []struct {
		err  error
		code int
	}{
		{roleplay.ErrNotAtStation, CodeNotAtStation},
		{roleplay.ErrNotPermitted, CodeNotAtStation},
		{roleplay.ErrReference, CodeUnknownSheet},
		{roleplay.ErrAlreadySubmitted, CodeAlreadySubmitted},
		{roleplay.ErrLocked, CodeLocked},
		{roleplay.ErrUnknownCriterion, CodeUnknownCriterion},
		{roleplay.ErrMarkOutOfScale, CodeOutOfScale},
		{roleplay.ErrSequence, CodeBadSeq},
		{roleplay.ErrIncompleteSheet, CodeIncomplete},
		{roleplay.ErrBadChange, CodeBadChange},
		{roleplay.ErrNotSubmitted, CodeNotSubmitted},
		{roleplay.ErrNoReason, CodeNoReason},
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return &ProtocolError{Code: c.code, Message: err.Error()}
		}
	}
	return perr(CodeStore, "not saved: the server could not store it; send it again")
}
