package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// Peer is the engine's view of a candidate's live connection. Send must not
// block: a connection that cannot keep up closes itself.
type Peer interface {
	Send(ServerMsg)
	Close(code int, reason string)
}

// Config assembles an Engine.
type Config struct {
	Library *content.Library
	// Roster says who sits what; nil means the library's sittings.
	Roster  Roster
	Store   store.Store
	Clock   clock.Clock   // nil means clock.System
	Seed    func() uint64 // source of shuffle seeds; nil means math/rand/v2
	Logger  *slog.Logger  // nil discards
	Metrics *Metrics      // nil records nothing
	// Broker connects nodes that share the store; nil for a single node.
	Broker Broker
	// Leases keeps the nodes' leases, so that the candidates of a node
	// that dies are counted away (lease.go); nil for a single node.
	Leases Leases
	// LeaseTTL is how long a node's lease lives unrenewed; 0 means
	// DefaultLeaseTTL. It is renewed every third of that.
	LeaseTTL time.Duration
	// Node names this node in notices; empty means a random name.
	Node string
	// Audit, if set, records the engine's own acts (takeovers, deadline
	// submissions) before they are taken; nil records none.
	Audit *audit.Log
}

// Engine delivers knowledge-test attempts. It is safe for concurrent use.
type Engine struct {
	lib    *content.Library
	roster Roster
	store  store.Store
	clock  clock.Clock
	seed   func() uint64
	log    *slog.Logger
	m      *Metrics

	broker    Broker
	node      string
	leases    Leases
	leaseLife time.Duration
	lease     leaseKeeper
	audit     *audit.Log
	bg        context.Context // cancelled by Close
	cancel    context.CancelFunc
	wg        sync.WaitGroup // the broker subscription
	conns     sync.WaitGroup // the reader and writer goroutines of every connection

	deadlinePos int64 // next record of deadlinesStream to read; used by the poll timer only

	mu       sync.Mutex // protects attempts, sittings, staleSittings, forms, closed, pollTimer, leaseTimer, expiries
	attempts map[string]*live
	forms    map[string]*formIndex // shared by the attempts at each form
	peers    map[*wsPeer]bool      // live WebSocket connections
	sittings map[string]*sitting   // the node's copy of each sitting; never changed once kept (freshSitting)
	// staleSittings are the sittings whose streams grew since the copy
	// was caught up, as far as this node has heard.
	staleSittings map[string]bool
	closed        bool
	pollTimer     clock.Timer
	leaseTimer    clock.Timer
	expiries      map[string]clock.Timer // by attempt: when its recorded deadline passes (watchDeadline)

	counts statusCounts // attempts held, by status; read without locks at scrape time

	room   room        // presence and watchers of each sitting's room
	outbox chan Notice // notices queued by holders of an attempt's lock; drained by runNotices
}

// live is an attempt held in memory. It follows the attempt's stream
// (store.Follower).
type live struct {
	mu     sync.Mutex // protects all fields; held across store appends so events apply in order
	a      *Attempt
	store  store.Store
	peer   Peer
	timer  clock.Timer
	counts *statusCounts
	status Status // the status counts holds this attempt under
}

// Len is how many records of its stream the attempt has applied. l.mu held.
func (l *live) Len() int64 { return l.a.n }

// CatchUp applies the records appended to the attempt's stream since it
// last read, by this node or another. l.mu held.
func (l *live) CatchUp(ctx context.Context) error {
	recs, err := l.store.Read(ctx, l.a.ID, l.a.n)
	if err != nil {
		return err
	}
	err = l.a.replay(recs)
	l.recount()
	return err
}

// recount moves the attempt to its current status in the node's counts.
// l.mu held.
func (l *live) recount() {
	if l.a.Status != l.status {
		l.counts.add(l.status, -1)
		l.counts.add(l.a.Status, 1)
		l.status = l.a.Status
	}
}

type sitting struct {
	released      bool
	releasedAt    time.Time
	checkedIn     map[string]bool // by candidate
	admitted      map[string]bool // by candidate, after the late cut-off
	announcements []Announcement
	n             int64
}

type sittingEvent struct {
	T         string    `json:"t"`
	At        time.Time `json:"at"`
	By        string    `json:"by,omitempty"`
	Candidate string    `json:"candidate,omitempty"` // checkin, admit
	Text      string    `json:"text,omitempty"`      // announce
}

// Engine errors returned to invigilator and administrator callers.
var (
	ErrUnknownSitting = errors.New("engine: unknown sitting")
	ErrUnknownAttempt = errors.New("engine: unknown attempt")
	ErrNotInProgress  = errors.New("engine: attempt is not in progress")
	// ErrExtraTime: a time change outside the sitting's bounds, or one
	// that would take away time already used.
	ErrExtraTime = errors.New("engine: time change refused")
	// ErrNotAway: a rejoin approved for a candidate who has not left.
	ErrNotAway = errors.New("engine: the candidate is not waiting to rejoin")
	// ErrBadIncident: an incident with no text or an unknown category.
	ErrBadIncident = errors.New("engine: incident refused")
)

// New returns an engine; call Recover before serving.
func New(cfg Config) *Engine {
	e := &Engine{
		lib: cfg.Library, roster: cfg.Roster, store: cfg.Store, clock: cfg.Clock, seed: cfg.Seed,
		log: cfg.Logger, m: cfg.Metrics, broker: cfg.Broker, node: cfg.Node, audit: cfg.Audit,
		leases: cfg.Leases, leaseLife: cfg.LeaseTTL,
		attempts: map[string]*live{}, sittings: map[string]*sitting{}, staleSittings: map[string]bool{}, forms: map[string]*formIndex{},
		peers: map[*wsPeer]bool{}, expiries: map[string]clock.Timer{},
		room:   room{presence: map[string]*presence{}, watchers: map[string]map[*RoomWatch]bool{}},
		outbox: make(chan Notice, 4096),
	}
	e.bg, e.cancel = context.WithCancel(context.Background())
	if e.roster == nil {
		e.roster = LibraryRoster(cfg.Library)
	}
	if e.clock == nil {
		e.clock = clock.System{}
	}
	if e.seed == nil {
		e.seed = rand.Uint64
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.node == "" {
		e.node = fmt.Sprintf("node-%016x", rand.Uint64())
	}
	return e
}

// AttemptID is the store stream of a candidate's attempt in a sitting.
func AttemptID(sittingID, candidateID string) string {
	return "attempt/" + sittingID + "/" + candidateID
}

func sittingStream(id string) string { return "sitting/" + id }

// Recover loads every attempt in the store that is still in progress and
// arms its deadline, so an attempt whose time ran out while the server was
// down is submitted now.
func (e *Engine) Recover(ctx context.Context) error {
	// Deadlines recorded before now belong to attempts armed below.
	known, err := e.store.Read(ctx, deadlinesStream, 0)
	if err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	e.deadlinePos = int64(len(known))
	ids, err := e.store.Streams(ctx, "attempt/")
	if err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	for _, id := range ids {
		l, err := e.load(ctx, id)
		if err != nil {
			return fmt.Errorf("recover: %w", err)
		}
		l.mu.Lock()
		if l.a.Status == StatusInProgress {
			e.arm(l)
		}
		l.mu.Unlock()
	}
	e.log.Info("recovered attempts", "count", len(ids))
	e.setTimer(&e.pollTimer, e.clock.AfterFunc(pollEvery, e.pollDeadlines))
	if e.broker != nil {
		e.wg.Go(e.runNotices)
		e.wg.Go(func() {
			if err := e.broker.Subscribe(e.bg, e.onMessage); err != nil && e.bg.Err() == nil {
				e.log.Error("notices subscription ended", "err", err)
			}
		})
	}
	if e.leases != nil {
		// The first renewal takes over a predecessor of this node's name
		// that died.
		if err := e.renewLease(ctx); err != nil {
			e.log.Warn("node lease", "err", err)
		}
		e.setTimer(&e.leaseTimer, e.clock.AfterFunc(e.leaseTTL()/3, e.keepLease))
	}
	return nil
}

// load returns the in-memory attempt, reading it from the store if needed.
// It returns ErrUnknownAttempt if the stream is empty.
func (e *Engine) load(ctx context.Context, id string) (*live, error) {
	e.mu.Lock()
	l, ok := e.attempts[id]
	e.mu.Unlock()
	if ok {
		return l, nil
	}
	recs, err := e.store.Read(ctx, id, 0)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	if len(recs) == 0 {
		return nil, ErrUnknownAttempt
	}
	a, err := decodeAttempt(id, recs)
	if err != nil {
		return nil, err
	}
	return e.adopt(a)
}

// adopt installs a decoded attempt unless another goroutine did first.
func (e *Engine) adopt(a *Attempt) (*live, error) {
	f, ok := e.lib.Forms[a.Form]
	if !ok {
		return nil, fmt.Errorf("attempt %s: form %q is not loaded", a.ID, a.Form)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if l, ok := e.attempts[a.ID]; ok {
		return l, nil
	}
	fi, ok := e.forms[f.ID]
	if !ok {
		fi = newFormIndex(e.lib, f)
		e.forms[f.ID] = fi
	}
	a.lay = newLayout(fi, a.Seed)
	l := &live{a: a, store: e.store, counts: &e.counts}
	l.recount()
	e.attempts[a.ID] = l
	return l, nil
}

// errNoChange is what decide's store.AppendNext callback returns for a
// command that changes nothing: nothing is appended.
var errNoChange = errors.New("engine: no change")

// decide appends and applies the event the attempt decides on cmd at now,
// deciding again on the current state if another node wrote first. With
// cmd.Record set and an audit log configured, the entry is stored in the
// same durable write as the event (appendRecorded). It returns the event
// applied, nil if the command changes nothing, or the refusal (a
// *ProtocolError) or store error. l.mu held.
func (e *Engine) decide(ctx context.Context, l *live, cmd Command, now time.Time) (*event, error) {
	var ev *event
	appended := false
	start := e.clock.Now()
	next := func() ([][]byte, error) {
		var err error
		if ev, err = l.a.Decide(cmd, now); err != nil {
			return nil, err
		}
		if ev == nil {
			return nil, errNoChange
		}
		rec, err := json.Marshal(ev)
		appended = err == nil
		return [][]byte{rec}, err
	}
	var err error
	if cmd.Record != nil && e.audit != nil {
		err = e.appendRecorded(ctx, l, *cmd.Record, next)
	} else {
		err = store.AppendNext(ctx, e.store, l.a.ID, l, next)
	}
	if appended {
		e.m.observeStore(e.clock.Now().Sub(start), err)
	}
	if errors.Is(err, errNoChange) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.a.apply(ev)
	l.recount()
	e.touch(l.a.Sitting, l.a.Candidate)
	e.notify(Notice{Kind: NoticeActivity, Attempt: l.a.ID})
	return ev, nil
}

// Join attaches peer to the attempt of the candidate with the access code,
// creating the attempt on first join and starting it if the sitting has been
// released. A previous connection to the same attempt is closed with
// CloseTakenOver. It returns the attempt id.
func (e *Engine) Join(ctx context.Context, code string, peer Peer) (string, error) {
	s, c, err := e.byCode(ctx, code)
	if errors.Is(err, ErrUnknownCode) {
		return "", perr(CodeUnknownCode, "no candidate has that access code")
	}
	if err != nil {
		return "", e.storeErr(err)
	}
	form := e.lib.Forms[s.Form]
	id := AttemptID(s.ID, c.ID)
	l, err := e.load(ctx, id)
	e.m.joined(err == nil)
	if err == nil || errors.Is(err, ErrUnknownAttempt) {
		if aerr := e.admit(ctx, s, c, err == nil); aerr != nil {
			return "", e.storeErr(aerr)
		}
	}
	if errors.Is(err, ErrUnknownAttempt) {
		l, err = e.create(ctx, id, s, c, form)
	}
	if err != nil {
		return "", e.storeErr(err)
	}
	l.mu.Lock()
	notices, err := e.attach(ctx, l, s, c, peer)
	l.mu.Unlock()
	e.publish(notices...)
	if err != nil {
		return "", e.storeErr(err)
	}
	return id, nil
}

// attach makes peer the attempt's connection, closing any other, starts the
// attempt if its sitting is released and sends the welcome and the state.
// It returns the notices to publish once l.mu is released. l.mu held.
func (e *Engine) attach(ctx context.Context, l *live, s *content.Sitting, c *content.Candidate, peer Peer) ([]Notice, error) {
	if err := l.CatchUp(ctx); err != nil { // another node may have written
		return nil, err
	}
	if s.RejoinApproval {
		if _, err := e.decide(ctx, l, Command{Kind: CmdRejoin, Grace: s.RejoinGrace()}, e.clock.Now()); err != nil {
			var pe *ProtocolError
			if errors.As(err, &pe) { // the room shows who waits to rejoin
				e.touch(s.ID, c.ID)
				return []Notice{{Kind: NoticeActivity, Attempt: l.a.ID}}, pe
			}
			return nil, err
		}
	}
	if l.peer != nil && l.peer != peer {
		// No takeover without its record: a join whose record cannot be
		// stored is refused, and the old connection stays.
		if _, err := e.record(ctx, takeoverEntry(l.a)); err != nil {
			return nil, err
		}
		e.closeTakenOver(l)
	}
	l.peer = peer
	e.connected(l.a.ID, e.node)
	notices := []Notice{{Kind: NoticeTakeover, Attempt: l.a.ID}}
	st, err := e.sitting(ctx, s.ID)
	if err != nil {
		return notices, err
	}
	if l.a.Status == StatusWaiting && st.released {
		if err := e.start(ctx, l); err != nil {
			return notices, err
		}
	}
	if l.a.Status == StatusInProgress && l.timer == nil {
		e.arm(l) // started on another node: a section's deadline is on no shared list
	}
	peer.Send(ServerMsg{Type: MsgWelcome, V: ProtocolVersion, Candidate: &CandidateVM{
		Name: c.Name, Sitting: s.ID, Centre: s.Centre, FormTitle: e.lib.Forms[s.Form].Title,
		Status: string(l.a.Status), LimitMS: l.a.Limit.Milliseconds(), LargerText: c.LargerText,
	}})
	if l.a.Status == StatusSubmitted {
		e.sendStored(l) // a candidate who comes back sees what was stored
	}
	e.sendState(l)
	for _, a := range st.announcements {
		peer.Send(announcementMsg(a))
	}
	return notices, nil
}

func (e *Engine) create(ctx context.Context, id string, s *content.Sitting, c *content.Candidate, f *content.Form) (*live, error) {
	limit := time.Duration(float64(f.TimeLimit) * c.TimeFactor()).Round(time.Second)
	ev := &event{T: evCreate, At: e.clock.Now(), Sitting: s.ID, Candidate: c.ID, Form: f.ID,
		Seed: e.seed(), LimitMS: limit.Milliseconds(), SectionsMS: sectionLimits(f, c.TimeFactor()),
		Linear: f.Linear()}
	rec, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	if _, err := e.store.Append(ctx, id, 0, rec); err != nil && !errors.Is(err, store.ErrConflict) {
		return nil, err
	}
	// Whoever won the race to create it, the stream now holds the attempt.
	return e.load(ctx, id)
}

// sendState sends the attempt's current state to its peer. l.mu held.
func (e *Engine) sendState(l *live) {
	if l.peer == nil {
		return
	}
	switch l.a.Status {
	case StatusWaiting:
		l.peer.Send(ServerMsg{Type: MsgWaiting, RemainingMS: ms(l.a.Limit)})
	case StatusInProgress:
		rem, sec := l.a.Remaining(e.clock.Now()), sectionMS(l.a, e.clock.Now())
		m := ServerMsg{Type: MsgAttempt, RemainingMS: ms(rem), SectionRemainingMS: sec, raw: l.a.lay.attemptJSON(l.a, rem.Milliseconds(), sec)}
		if _, ok := l.peer.(*wsPeer); !ok {
			m.Attempt = l.a.lay.view(e.lib, l.a) // other peers (tests) read the struct
		}
		l.peer.Send(m)
		if l.a.Paused {
			l.peer.Send(ServerMsg{Type: MsgPaused, RemainingMS: ms(l.a.Remaining(e.clock.Now())), Note: l.a.PauseNote})
		}
	case StatusSubmitted:
		l.peer.Send(e.submittedMsg(l.a))
	}
}

// sendStored sends a submitted attempt's peer what was stored, to read
// only: the attempt with no time left. l.mu held.
func (e *Engine) sendStored(l *live) {
	m := ServerMsg{Type: MsgAttempt, RemainingMS: ms(0), raw: l.a.lay.attemptJSON(l.a, 0, nil)}
	if _, ok := l.peer.(*wsPeer); !ok {
		m.Attempt = l.a.lay.view(e.lib, l.a) // other peers (tests) read the struct
	}
	l.peer.Send(m)
}

func (e *Engine) submittedMsg(a *Attempt) ServerMsg {
	zero := int64(0)
	return ServerMsg{Type: MsgSubmitted, Reason: a.Reason, At: a.Submitted.UTC().Format(time.RFC3339), RemainingMS: &zero}
}

func ms(d time.Duration) *int64 {
	v := d.Milliseconds()
	return &v
}

// start begins the attempt's clock now. l.mu held.
func (e *Engine) start(ctx context.Context, l *live) error {
	now := e.clock.Now()
	if err := e.recordDeadline(ctx, l.a.ID, now.Add(l.a.Limit)); err != nil {
		return err
	}
	return e.startAt(ctx, l, now)
}

// startAt starts the attempt's clock at now; its deadline must already be
// recorded. l.mu held.
func (e *Engine) startAt(ctx context.Context, l *live, now time.Time) error {
	_, err := e.decide(ctx, l, Command{Kind: CmdStart}, now)
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return nil // started elsewhere meanwhile
	}
	if err != nil {
		return err
	}
	e.m.started()
	e.arm(l)
	return nil
}

// Leave detaches peer, whose connection ended, from the attempt if it is
// still the live connection; where the sitting's rejoins need approval,
// the candidate is recorded away.
func (e *Engine) Leave(id string, peer Peer) { e.leave(id, peer, true) }

// leave is Leave; away false (a connection that sends hello again) counts
// the drop but records nobody away.
func (e *Engine) leave(id string, peer Peer, away bool) {
	e.mu.Lock()
	l, ok := e.attempts[id]
	e.mu.Unlock()
	if !ok {
		return
	}
	l.mu.Lock()
	left := l.peer == peer
	if left {
		l.peer = nil
	}
	counted := left && l.a.Status != StatusSubmitted
	if counted && away {
		e.recordAway(l)
	}
	l.mu.Unlock()
	if !left {
		return
	}
	drops := e.localDrops(id)
	if counted {
		drops++
	}
	e.dropped(id, e.node, drops)
	e.publish(Notice{Kind: NoticeDropped, Attempt: id, Drops: drops})
}

// recordAway records that the candidate of l left during the test, where
// the sitting's rejoins need approval. A node shutting down records no one
// away: its candidates resume on another node. l.mu held.
func (e *Engine) recordAway(l *live) {
	if e.isClosed() {
		return
	}
	ctx, cancel := context.WithTimeout(e.bg, 5*time.Second)
	defer cancel()
	s, err := e.roster.Sitting(ctx, l.a.Sitting)
	if err == nil && s.RejoinApproval {
		_, err = e.decide(ctx, l, Command{Kind: CmdLeave}, e.clock.Now())
	}
	if err != nil && e.bg.Err() == nil {
		e.log.Warn("record a candidate away", "attempt", l.a.ID, "err", err)
	}
}

func (e *Engine) storeErr(err error) error {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return pe
	}
	e.log.Error("store", "err", err)
	return perr(CodeStore, "not saved: the server could not store it; send it again")
}

// Close stops the engine's timers and subscription, closes every
// connection (clients are told the server is going away and resume
// elsewhere) and waits for their goroutines.
func (e *Engine) Close() {
	e.cancel()
	e.wg.Wait()
	e.mu.Lock()
	e.closed = true
	for p := range e.peers {
		p.Close(websocket.CloseGoingAway, "server shutting down")
	}
	if e.pollTimer != nil {
		e.pollTimer.Stop()
	}
	if e.leaseTimer != nil {
		e.leaseTimer.Stop()
	}
	for _, t := range e.expiries {
		t.Stop()
	}
	clear(e.expiries)
	ls := make([]*live, 0, len(e.attempts))
	for _, l := range e.attempts {
		ls = append(ls, l)
	}
	e.mu.Unlock()
	for _, l := range ls {
		l.mu.Lock()
		e.disarm(l)
		l.mu.Unlock()
	}
	e.conns.Wait()
	if e.leases != nil {
		e.dropLease()
	}
}
