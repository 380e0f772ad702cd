package load

import (
	"fmt"

	"github.com/accredit/accredit/engine"
)

// codeNames are the error codes' names from docs/protocol.md.
var codeNames = map[int]string{
	engine.CodeBadFrame: "bad_frame", engine.CodeUnknownType: "unknown_type",
	engine.CodeTooLarge: "too_large", engine.CodeRateLimited: "rate_limited",
	engine.CodeBadVersion: "bad_version", engine.CodeUnknownCode: "unknown_code",
	engine.CodeNotJoined: "not_joined", engine.CodeNotStarted: "not_started",
	engine.CodeSubmitted: "submitted", engine.CodeDeadlinePassed: "deadline_passed",
	engine.CodeUnknownItem: "unknown_item", engine.CodeBadOptions: "bad_options",
	engine.CodeBadSeq: "bad_seq", engine.CodeNotConfirmed: "not_confirmed",
	engine.CodeBadPosition: "bad_position", engine.CodePaused: "paused",
	engine.CodeStore: "store",
}

// codeKey is how an error message is counted: "error 501 store".
func codeKey(code int) string {
	if name, ok := codeNames[code]; ok {
		return fmt.Sprintf("error %d %s", code, name)
	}
	return fmt.Sprintf("error %d", code)
}
