package load

import (
	"fmt"
	"maps"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/internal/livesession"
)

// sharedCodeNames are the names of the error codes both protocols send
// (docs/protocol.md, docs/marking-protocol.md).
var sharedCodeNames = map[int]string{
	livesession.CodeBadFrame: "bad_frame", livesession.CodeUnknownType: "unknown_type",
	livesession.CodeTooLarge: "too_large", livesession.CodeRateLimited: "rate_limited",
	livesession.CodeBadVersion: "bad_version", livesession.CodeUnknownCode: "unknown_code",
	livesession.CodeNotJoined: "not_joined", livesession.CodeStore: "store",
}

// codeNames are the candidate protocol's codes' names, from docs/protocol.md.
var codeNames = withShared(map[int]string{
	engine.CodeNotStarted: "not_started", engine.CodeSubmitted: "submitted",
	engine.CodeDeadlinePassed: "deadline_passed", engine.CodeUnknownItem: "unknown_item",
	engine.CodeBadOptions: "bad_options", engine.CodeBadSeq: "bad_seq",
	engine.CodeNotConfirmed: "not_confirmed", engine.CodeBadPosition: "bad_position",
	engine.CodePaused: "paused",
})

// markCodeNames are the marking protocol's codes' names, from
// docs/marking-protocol.md.
var markCodeNames = withShared(map[int]string{
	marking.CodeNotAtStation: "not_at_station", marking.CodeLocked: "locked",
	marking.CodeAlreadySubmitted: "already_submitted", marking.CodeUnknownCriterion: "unknown_criterion",
	marking.CodeOutOfScale: "out_of_scale", marking.CodeBadSeq: "bad_seq",
	marking.CodeIncomplete: "incomplete", marking.CodeBadChange: "bad_change",
	marking.CodeUnknownSheet: "unknown_sheet",
})

func withShared(own map[int]string) map[int]string {
	maps.Copy(own, sharedCodeNames)
	return own
}

// codeKey is how a candidate's error message is counted: "error 501 store".
func codeKey(code int) string { return nameCode(codeNames, code) }

// markCodeKey is how an assessor's error message is counted.
func markCodeKey(code int) string { return nameCode(markCodeNames, code) }

func nameCode(names map[int]string, code int) string {
	if name, ok := names[code]; ok {
		return fmt.Sprintf("error %d %s", code, name)
	}
	return fmt.Sprintf("error %d", code)
}
