package livesession

import (
	"errors"
	"fmt"
)

// Error codes both protocols send in "error" messages: 1xx malformed or
// refused frames, 2xx identity, 5xx server. Each protocol numbers its own
// 3xx codes.
const (
	CodeBadFrame    = 100 // not a JSON object, or a field missing or of the wrong type
	CodeUnknownType = 101 // "type" names no message
	CodeTooLarge    = 102 // frame over the protocol's limit (the connection is closed)
	CodeRateLimited = 103 // too many frames; the frame was dropped
	CodeBadVersion  = 104 // hello with an unsupported protocol version
	CodeUnknownCode = 201 // no one has this code
	CodeNotJoined   = 202 // a frame other than hello before a successful hello
	CodeStore       = 501 // the frame could not be stored; it is not acknowledged
)

// WebSocket close codes both protocols use (4000-4999 is the private range).
const (
	CloseTakenOver  = 4001 // another connection signed in with the same code
	CloseTooLarge   = 1009 // a frame exceeded the limit (WebSocket "message too big")
	CloseUnknown    = 4003 // too many unknown codes
	CloseBadVersion = 4004 // unsupported protocol version
	CloseRateLimit  = 4008 // the client kept flooding after warnings
	CloseIdle       = 4010 // no frame or pong within the idle timeout
)

// Error is an error the client is told about: its code and a message.
type Error struct {
	Code    int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Message) }

// Errorf returns an Error with code and a formatted message.
func Errorf(code int, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the Error err wraps, or CodeStore for any
// other error.
func CodeOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeStore
}

// Closing is a hello's refusal that also ends the connection: the loop
// reports Err to the client, then closes with Code and Reason.
type Closing struct {
	Err    error
	Code   int
	Reason string
}

func (c *Closing) Error() string { return c.Err.Error() }

// Unwrap returns the refusal.
func (c *Closing) Unwrap() error { return c.Err }
