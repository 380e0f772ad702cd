package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
)

// The room: what an invigilator sees of a sitting and does to it as a
// whole. Check-ins, admissions and announcements are records of the
// sitting's stream, so any node reads them; who is connected, and how
// often they dropped, each node knows of its own connections and tells the
// others in notices; a change to any attempt of a sitting marks its row
// for the sitting's watchers on every node.

// Codes of a join the room refuses.
const (
	CodeNotCheckedIn = 310 // the sitting checks candidates in; this one is not yet
	CodeLate         = 311 // past the sitting's late cut-off; the invigilator must admit them
	// CodeRejoinApproval: the candidate left during the test, longer ago
	// than the sitting's grace; the invigilator must approve their rejoin.
	CodeRejoinApproval = 312
)

// Sitting event types, besides "release".
const (
	sevRelease  = "release"
	sevCheckIn  = "checkin"
	sevAdmit    = "admit"
	sevAnnounce = "announce"
)

// Announcement is a message the invigilator sent to every screen in the room.
type Announcement struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// MaxAnnouncement bounds an announcement's text, in bytes.
const MaxAnnouncement = 500

// admission says why a candidate of a sitting run by rules may not join at
// now, or nil: not checked in where the sitting checks in; or first joining
// (joined false) after the late cut-off without being admitted.
func admission(rules *content.SittingRules, st *sitting, cand string, joined bool, now time.Time) *ProtocolError {
	if rules.CheckIn && !st.checkedIn[cand] {
		return perr(CodeNotCheckedIn, "your invigilator has not checked you in yet: show them your photo ID")
	}
	if late := time.Duration(rules.LateAfterMinutes) * time.Minute; !joined && late > 0 && st.released &&
		now.After(st.releasedAt.Add(late)) && !st.admitted[cand] {
		return perr(CodeLate, "the test started more than %d minutes ago: ask your invigilator to admit you", rules.LateAfterMinutes)
	}
	return nil
}

// admit applies the sitting's rules to a join. A refusal on the node's
// copy of the sitting is checked again on the stream, since another node
// may have checked the candidate in.
func (e *Engine) admit(ctx context.Context, s *content.Sitting, c *content.Candidate, joined bool) error {
	if !s.CheckIn && s.LateAfterMinutes == 0 {
		return nil
	}
	st, err := e.sitting(ctx, s.ID)
	if err != nil {
		return err
	}
	now := e.clock.Now()
	if admission(&s.SittingRules, st, c.ID, joined, now) == nil {
		return nil
	}
	if st, err = e.freshSitting(ctx, s.ID); err != nil {
		return err
	}
	if pe := admission(&s.SittingRules, st, c.ID, joined, now); pe != nil {
		// The room shows who is waiting to be checked in or admitted.
		e.touch(s.ID, c.ID)
		e.publish(Notice{Kind: NoticeActivity, Attempt: AttemptID(s.ID, c.ID)})
		return pe
	}
	return nil
}

// clone returns a copy of st to fold more records into; a nil st clones
// to the state of an empty stream.
func (st *sitting) clone() *sitting {
	if st == nil {
		return &sitting{checkedIn: map[string]bool{}, admitted: map[string]bool{}}
	}
	c := *st
	c.checkedIn, c.admitted = maps.Clone(st.checkedIn), maps.Clone(st.admitted)
	c.announcements = slices.Clip(st.announcements) // appending copies
	return &c
}

// fold applies records of a sitting's stream, the next after the st.n
// already applied.
func (st *sitting) fold(id string, recs [][]byte) error {
	for _, r := range recs {
		var ev sittingEvent
		if err := json.Unmarshal(r, &ev); err != nil {
			return fmt.Errorf("sitting %s record %d: %w", id, st.n, err)
		}
		st.n++
		switch ev.T {
		case sevRelease:
			if !st.released {
				st.released, st.releasedAt = true, ev.At
			}
		case sevCheckIn:
			st.checkedIn[ev.Candidate] = true
		case sevAdmit:
			st.admitted[ev.Candidate] = true
		case sevAnnounce:
			st.announcements = append(st.announcements, Announcement{At: ev.At, Text: ev.Text})
		}
	}
	return nil
}

// appendSitting records ev in a sitting's stream, with its audit entry
// rec in the same write when rec is set and a log configured
// (audit.Log.AppendWith), marks the node's copy behind and tells the
// room's watchers here and on other nodes.
func (e *Engine) appendSitting(ctx context.Context, sittingID string, ev sittingEvent, rec *audit.Entry) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if err := e.appendWith(ctx, store.Write{Stream: sittingStream(sittingID), Expect: -1, Records: [][]byte{b}}, rec); err != nil {
		return err
	}
	e.staleSitting(sittingID)
	e.touch(sittingID, ev.Candidate)
	e.publish(Notice{Kind: NoticeSitting, Sitting: sittingID, Attempt: attemptOrEmpty(sittingID, ev.Candidate)})
	return nil
}

func attemptOrEmpty(sittingID, cand string) string {
	if cand == "" {
		return ""
	}
	return AttemptID(sittingID, cand)
}

// candidate finds a candidate booked on a sitting.
func (e *Engine) candidate(ctx context.Context, sittingID, cand string) (*content.Sitting, *content.Candidate, error) {
	s, err := e.roster.Sitting(ctx, sittingID)
	if err != nil {
		return nil, nil, err
	}
	if c := bookedOn(s, cand); c != nil {
		return s, c, nil
	}
	return nil, nil, ErrUnknownAttempt
}

// bookedOn returns the candidate of s with id cand, or nil.
func bookedOn(s *content.Sitting, cand string) *content.Candidate {
	for i := range s.Candidates {
		if s.Candidates[i].ID == cand {
			return &s.Candidates[i]
		}
	}
	return nil
}

// CheckIn records that the invigilator has confirmed a candidate's
// identity: where the sitting checks candidates in, their code now works.
func (e *Engine) CheckIn(ctx context.Context, sittingID, cand, by string) error {
	return e.CheckInRecorded(ctx, sittingID, cand, by, nil)
}

// CheckInRecorded is CheckIn with the act's audit entry rec stored in the
// same write (nil: none); a failed write wraps audit.ErrNotRecorded.
func (e *Engine) CheckInRecorded(ctx context.Context, sittingID, cand, by string, rec *audit.Entry) error {
	return e.candidateAct(ctx, sittingID, cand, by, sevCheckIn, rec)
}

// Admit lets a candidate join after the sitting's late cut-off.
func (e *Engine) Admit(ctx context.Context, sittingID, cand, by string) error {
	return e.AdmitRecorded(ctx, sittingID, cand, by, nil)
}

// AdmitRecorded is Admit with the act's audit entry rec stored in the same
// write (nil: none); a failed write wraps audit.ErrNotRecorded.
func (e *Engine) AdmitRecorded(ctx context.Context, sittingID, cand, by string, rec *audit.Entry) error {
	return e.candidateAct(ctx, sittingID, cand, by, sevAdmit, rec)
}

// candidateAct appends to the sitting's stream the act of type typ that
// by took on candidate cand, with its audit entry rec (nil: none), once
// cand is known to be booked on the sitting.
func (e *Engine) candidateAct(ctx context.Context, sittingID, cand, by, typ string, rec *audit.Entry) error {
	if _, _, err := e.candidate(ctx, sittingID, cand); err != nil {
		return err
	}
	return e.appendSitting(ctx, sittingID, sittingEvent{T: typ, At: e.clock.Now(), By: by, Candidate: cand}, rec)
}

// Announce shows text on the screen of every candidate in the room, on
// every node, and to every candidate who joins later.
func (e *Engine) Announce(ctx context.Context, sittingID, text, by string) error {
	return e.AnnounceRecorded(ctx, sittingID, text, by, nil)
}

// AnnounceRecorded is Announce with the act's audit entry rec stored in
// the same write (nil: none); a failed write wraps audit.ErrNotRecorded.
func (e *Engine) AnnounceRecorded(ctx context.Context, sittingID, text, by string, rec *audit.Entry) error {
	if _, err := e.roster.Sitting(ctx, sittingID); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || len(text) > MaxAnnouncement {
		return fmt.Errorf("%w: an announcement has 1 to %d bytes", ErrBadIncident, MaxAnnouncement)
	}
	now := e.clock.Now()
	if err := e.appendSitting(ctx, sittingID, sittingEvent{T: sevAnnounce, At: now, By: by, Text: text}, rec); err != nil {
		return err
	}
	e.announceHere(sittingID, Announcement{At: now, Text: text})
	e.publish(Notice{Kind: NoticeAnnounce, Sitting: sittingID, Text: text, At: now})
	return nil
}

// announceHere sends an announcement to the connections this node holds
// to the sitting's attempts.
func (e *Engine) announceHere(sittingID string, a Announcement) {
	for _, l := range e.held(sittingID) {
		l.mu.Lock()
		if l.peer != nil {
			l.peer.Send(announcementMsg(a))
		}
		l.mu.Unlock()
	}
}

func announcementMsg(a Announcement) ServerMsg {
	return ServerMsg{Type: MsgAnnouncement, Message: a.Text, At: a.At.UTC().Format(time.RFC3339)}
}

// held lists the attempts of a sitting this node holds in memory.
func (e *Engine) held(sittingID string) []*live {
	prefix := AttemptID(sittingID, "")
	e.mu.Lock()
	defer e.mu.Unlock()
	var ls []*live
	for id, l := range e.attempts {
		if strings.HasPrefix(id, prefix) {
			ls = append(ls, l)
		}
	}
	return ls
}

// sittingOf splits an attempt id into its sitting and candidate.
func sittingOf(attempt string) (sittingID, cand string, ok bool) {
	rest, ok := strings.CutPrefix(attempt, "attempt/")
	if !ok {
		return "", "", false
	}
	return strings.Cut(rest, "/")
}

// presence is what the nodes know of an attempt's connections: which node
// holds one, and how many times each saw it drop.
type presence struct {
	conn  map[string]bool // by node
	drops map[string]int  // by node
}

// room is the node's presence and watchers.
type room struct {
	mu       sync.Mutex // protects presence and watchers
	presence map[string]*presence
	watchers map[string]map[*RoomWatch]bool // by sitting
}

func (r *room) at(attempt string) *presence {
	p, ok := r.presence[attempt]
	if !ok {
		p = &presence{conn: map[string]bool{}, drops: map[string]int{}}
		r.presence[attempt] = p
	}
	return p
}

// connected records that node now holds the attempt's connection, and no
// other node does.
func (e *Engine) connected(attempt, node string) {
	e.room.mu.Lock()
	p := e.room.at(attempt)
	clear(p.conn)
	p.conn[node] = true
	e.room.mu.Unlock()
	if s, c, ok := sittingOf(attempt); ok {
		e.touch(s, c)
	}
}

// dropped records that node no longer holds the attempt's connection, and
// how many times it has seen it drop.
func (e *Engine) dropped(attempt, node string, drops int) {
	e.room.mu.Lock()
	p := e.room.at(attempt)
	delete(p.conn, node)
	p.drops[node] = drops
	e.room.mu.Unlock()
	if s, c, ok := sittingOf(attempt); ok {
		e.touch(s, c)
	}
}

// stillHeld records that node holds the attempt's connection still,
// beside any other node that does.
func (e *Engine) stillHeld(attempt, node string) {
	e.room.mu.Lock()
	e.room.at(attempt).conn[node] = true
	e.room.mu.Unlock()
	if s, c, ok := sittingOf(attempt); ok {
		e.touch(s, c)
	}
}

// presenceOf reports whether any node holds the attempt's connection and
// how many drops the nodes saw.
func (e *Engine) presenceOf(attempt string) (bool, int) {
	e.room.mu.Lock()
	defer e.room.mu.Unlock()
	p, ok := e.room.presence[attempt]
	if !ok {
		return false, 0
	}
	n := 0
	for _, d := range p.drops {
		n += d
	}
	return len(p.conn) > 0, n
}

// localDrops is the number of drops this node saw of an attempt.
func (e *Engine) localDrops(attempt string) int {
	e.room.mu.Lock()
	defer e.room.mu.Unlock()
	if p, ok := e.room.presence[attempt]; ok {
		return p.drops[e.node]
	}
	return 0
}

// noticeRoom applies a notice from another node to the room.
func (e *Engine) noticeRoom(n Notice) {
	switch n.Kind {
	case NoticeTakeover:
		e.connected(n.Attempt, n.Node)
	case NoticeDropped:
		e.dropped(n.Attempt, n.Node, n.Drops)
	case NoticeActivity, NoticeChanged:
		if s, c, ok := sittingOf(n.Attempt); ok {
			e.touch(s, c)
		}
	case NoticeSitting:
		e.staleSitting(n.Sitting)
		_, c, _ := sittingOf(n.Attempt)
		e.touch(n.Sitting, c)
	case NoticeReleased:
		e.touch(n.Sitting, "")
	case NoticeAnnounce:
		e.announceHere(n.Sitting, Announcement{At: n.At, Text: n.Text})
	case NoticeHeld:
		e.stillHeld(n.Attempt, n.Node)
	}
}
