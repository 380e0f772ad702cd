package engine

// A candidate's changes: the seq rules, and the translation of a client
// message into the attempt's command.

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
)

// Handle applies one client message to attempt id on behalf of peer, and
// sends the reply (an ack, the state, or an error) to peer.
func (e *Engine) Handle(ctx context.Context, id string, peer Peer, m ClientMsg) {
	l, err := e.load(ctx, id)
	if err != nil {
		peer.Send(errorMsg(m.Seq, e.storeErr(err)))
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.peer != peer {
		return // taken over: this connection is closing
	}
	now := e.clock.Now()
	if m.Type == MsgPing {
		peer.Send(ServerMsg{Type: MsgPong, RemainingMS: ms(l.a.Remaining(now)), SectionRemainingMS: sectionMS(l.a, now)})
		return
	}
	if pe := e.checkSeq(ctx, l, m); pe != nil {
		e.m.change(strconv.Itoa(pe.Code))
		peer.Send(errorMsg(m.Seq, pe))
		return
	}
	if m.Seq <= l.a.LastSeq {
		// Already stored, the same change: acknowledge again, change nothing.
		e.m.change("duplicate")
		peer.Send(ServerMsg{Type: MsgAck, Seq: m.Seq, Item: m.Item, Duplicate: true, RemainingMS: ms(l.a.Remaining(now)), SectionRemainingMS: sectionMS(l.a, now)})
		return
	}
	var ev *event
	err = notAllowed(m.Type)
	if cmd, ok := candidateCommand(m); ok {
		ev, err = e.decide(ctx, l, cmd, now)
	}
	if err != nil {
		e.m.protocolError(errCode(err))
		e.m.change(strconv.Itoa(errCode(err)))
		peer.Send(errorMsg(m.Seq, e.storeErr(err)))
		return
	}
	e.m.change("acked")
	e.m.ack(m.Type, e.clock.Now().Sub(now))
	peer.Send(ServerMsg{Type: MsgAck, Seq: m.Seq, Item: m.Item, RemainingMS: ms(l.a.Remaining(now)), SectionRemainingMS: sectionMS(l.a, now)})
	switch ev.T {
	case evSubmit:
		e.disarm(l)
		peer.Send(e.submittedMsg(l.a))
	case evSection:
		e.arm(l) // the next section's clock
		e.sendState(l)
	}
}

// candidateCommand is the command a candidate's message asks for; false if
// its type asks for none.
// MaxSeq is the largest seq a change may carry: the largest integer a
// JavaScript number holds exactly (2^53 - 1).
const MaxSeq = 1<<53 - 1

// checkSeq refuses a change whose seq cannot be accepted: zero or over
// MaxSeq; at or below the last stored seq once the attempt is submitted
// (302: nothing can change); or at or below the last stored seq but not
// the change stored under it (306: a client must number each new change
// above the last acknowledged one). A re-sent change identical to the
// stored one passes: it is acknowledged again as a duplicate. l.mu held.
func (e *Engine) checkSeq(ctx context.Context, l *live, m ClientMsg) *ProtocolError {
	switch {
	case m.Seq == 0:
		return perr(CodeBadSeq, "%s needs a seq greater than 0", m.Type)
	case m.Seq > MaxSeq:
		return perr(CodeBadSeq, "seq %d is over the largest allowed, %d", m.Seq, uint64(MaxSeq))
	case m.Seq > l.a.LastSeq:
		return nil
	case l.a.Status == StatusSubmitted:
		return perr(CodeSubmitted, "the test has been submitted; nothing can change")
	}
	recs, err := e.store.Read(ctx, l.a.ID, 0)
	if err != nil {
		return perr(CodeStore, "not checked: the server could not read your test; send it again")
	}
	for _, r := range recs {
		var ev event
		if json.Unmarshal(r, &ev) == nil && ev.Seq == m.Seq {
			if sameChange(&ev, m) {
				return nil
			}
			return perr(CodeBadSeq, "seq %d was stored for a different change: number new changes after %d", m.Seq, l.a.LastSeq)
		}
	}
	return perr(CodeBadSeq, "seq %d was never stored and is below the last stored %d: number new changes after %d",
		m.Seq, l.a.LastSeq, l.a.LastSeq)
}

// sameChange reports whether the stored event ev is the change m asks for.
func sameChange(ev *event, m ClientMsg) bool {
	switch m.Type {
	case MsgAnswer:
		return ev.T == evAnswer && ev.Item == m.Item && slices.Equal(ev.Options, m.Options)
	case MsgFlag:
		return ev.T == evFlag && ev.Item == m.Item && ev.Flagged == m.Flagged
	case MsgNavigate:
		return ev.T == evNavigate && ev.Pos == m.Position
	case MsgSubmit:
		return ev.T == evSubmit
	case MsgFinishSection:
		return ev.T == evSection && ev.Reason == ReasonCandidate && ev.Section == m.Section+1
	}
	return false
}

func candidateCommand(m ClientMsg) (Command, bool) {
	cmd := Command{Seq: m.Seq, Item: m.Item, Options: m.Options, Flagged: m.Flagged, Position: m.Position, Confirm: m.Confirm}
	switch m.Type {
	case MsgAnswer:
		cmd.Kind = CmdAnswer
	case MsgFlag:
		cmd.Kind = CmdFlag
	case MsgNavigate:
		cmd.Kind = CmdNavigate
	case MsgSubmit:
		cmd.Kind = CmdSubmit
	case MsgFinishSection:
		cmd.Kind, cmd.Section = CmdFinishSection, m.Section
	default:
		return Command{}, false
	}
	return cmd, true
}

func errorMsg(seq uint64, err error) ServerMsg {
	var pe *ProtocolError
	if !errors.As(err, &pe) {
		pe = perr(CodeStore, "%v", err)
	}
	return ServerMsg{Type: MsgError, Seq: seq, Code: pe.Code, Message: pe.Message}
}

func errCode(err error) int {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return CodeStore
}
