package marking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// Config assembles a Service.
type Config struct {
	Model  *roleplay.Model
	Store  store.Store
	Clock  clock.Clock  // nil means clock.System
	Logger *slog.Logger // nil discards
	// Grace is how long after a slot ends an assessor may still submit
	// before the lead view counts the sheet as late (started) or missing
	// (never started). Default 10 minutes.
	Grace time.Duration
	// WS tunes the assessor WebSocket; the zero value is usable.
	WS WSConfig
	// Identify tells who signs in with a hello. code is what the assessor
	// typed, or "" when the page relies on the staff session that r, the
	// WebSocket upgrade request, carries. It returns the assessor's ID in
	// the model, or an error whose text the client is shown. Nil takes the
	// code for the model's assessor ID, which suits tests only: IDs are not
	// secrets.
	Identify func(r *http.Request, code string) (string, error)
	// Broker connects nodes that share the store: each tells the others
	// which sheets it changed. Nil for a single node.
	Broker Broker
	// Audit, if set, records each lead's decision before it is stored
	// (audited.go); nil records none.
	Audit *audit.Log

	// heard, if set, is called with each notice the service hears (tests).
	heard func(stream string, n int64)
}

// Service runs live marking over a store. It is safe for concurrent use.
type Service struct {
	m     *roleplay.Model
	store store.Store
	clock clock.Clock
	log   *slog.Logger
	grace time.Duration
	ws    WSConfig
	ident func(r *http.Request, code string) (string, error)

	broker Broker
	audit  *audit.Log
	heard  func(stream string, n int64)

	bg     context.Context // cancelled by Close
	cancel context.CancelFunc
	conns  sync.WaitGroup // the reader and writer goroutines of every connection
	subs   sync.WaitGroup // the notices subscription

	mu     sync.Mutex // protects sheets, peers, conns set, closed
	sheets map[roleplay.SheetKey]*live
	peers  map[string]*peer // the live connection of each signed-in assessor
	all    map[*peer]bool   // every open connection
	closed bool
}

// live is a sheet held in memory.
type live struct {
	mu    sync.Mutex // protects sheet and n; held across store appends so changes apply in order
	key   roleplay.SheetKey
	sheet *roleplay.Sheet
	n     int64 // records in the stream that sheet was built from
	// stale: a catch-up failed half way, so sheet may not match n; it
	// must be rebuilt before anyone reads or changes it.
	stale bool
	// heard is the longest length another node has announced for the
	// stream (notice.go): when it is beyond n, the copy catches up.
	heard atomic.Int64
}

// Errors of the service's callers (the lead's HTTP actions).
var (
	// ErrNotLead: the code is not the circuit's lead assessor.
	ErrNotLead = errors.New("marking: not the circuit's lead assessor")
	// ErrCorrupt: a stored sheet does not replay.
	ErrCorrupt = errors.New("marking: stored sheet does not replay")
)

// New returns a service; it reads a sheet from the store when it is first
// needed, and again only when an append conflicts or a notice says that
// another node changed it.
func New(cfg Config) *Service {
	if cfg.Model == nil || cfg.Store == nil {
		panic("marking: Config needs a Model and a Store")
	}
	s := &Service{m: cfg.Model, store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, grace: cfg.Grace,
		ws: cfg.WS.WithDefaults(), ident: cfg.Identify, broker: cfg.Broker, audit: cfg.Audit, heard: cfg.heard, sheets: map[roleplay.SheetKey]*live{}, peers: map[string]*peer{}, all: map[*peer]bool{}}
	if s.clock == nil {
		s.clock = clock.System{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.grace <= 0 {
		s.grace = 10 * time.Minute
	}
	if s.ident == nil {
		s.ident = func(_ *http.Request, code string) (string, error) { return code, nil }
	}
	s.bg, s.cancel = context.WithCancel(context.Background())
	s.subscribe()
	return s
}

// Model returns the role-play model the service marks.
func (s *Service) Model() *roleplay.Model { return s.m }

// Close ends every connection (clients resume elsewhere) and waits for
// their goroutines. Sheets need no flushing: every acknowledged change is
// already stored.
func (s *Service) Close() {
	s.cancel()
	s.mu.Lock()
	s.closed = true
	for p := range s.all {
		p.Close(websocket.CloseGoingAway, "server shutting down")
	}
	s.mu.Unlock()
	s.conns.Wait()
	s.subs.Wait()
}

// StreamName is the store stream of a sheet.
func StreamName(k roleplay.SheetKey) string {
	return "sheet/" + k.Circuit + "/" + k.Candidate + "/" + k.Station + "/" + k.Assessor
}

// parseStream is the inverse of StreamName.
func parseStream(name string) (roleplay.SheetKey, bool) {
	p := strings.Split(name, "/")
	if len(p) != 5 || p[0] != "sheet" {
		return roleplay.SheetKey{}, false
	}
	return roleplay.SheetKey{Circuit: p[1], Candidate: p[2], Station: p[3], Assessor: p[4]}, true
}

// markerFor returns the part the key's assessor plays on its sheet: one of
// the station's assessors, or the lead deciding or a third marker on a
// double-marked station, as the circuit's resolution rule says.
func (s *Service) markerFor(k roleplay.SheetKey) (roleplay.Marker, error) {
	c, ok := s.m.Circuits[k.Circuit]
	if !ok {
		return "", fmt.Errorf("%w: no circuit %q", roleplay.ErrReference, k.Circuit)
	}
	st, ok := c.Station(k.Station)
	if !ok {
		return "", fmt.Errorf("%w: no station %q in circuit %q", roleplay.ErrReference, k.Station, k.Circuit)
	}
	switch {
	case st.Marks(k.Assessor):
		return roleplay.Primary, nil
	case c.DoubleMarking.Resolution == roleplay.ResolveLead && k.Assessor == c.LeadAssessor:
		return roleplay.LeadDecision, nil
	case c.DoubleMarking.Resolution == roleplay.ResolveThirdMarker:
		return roleplay.ThirdMarker, nil
	}
	return "", fmt.Errorf("%w: assessor %q does not mark station %q", roleplay.ErrNotAtStation, k.Assessor, k.Station)
}

// open returns the sheet of k, locked and replayed from the store. It
// returns an error wrapping a roleplay error for a sheet that cannot exist.
// A sheet is listed before it is read, so that a notice heard meanwhile
// is not lost.
func (s *Service) open(ctx context.Context, k roleplay.SheetKey) (*live, error) {
	for {
		s.mu.Lock()
		l, ok := s.sheets[k]
		if !ok {
			l = &live{key: k}
			l.mu.Lock()
			s.sheets[k] = l
		}
		s.mu.Unlock()
		if !ok {
			if err := s.rebuild(ctx, l); err != nil {
				s.mu.Lock()
				delete(s.sheets, k)
				s.mu.Unlock()
				l.mu.Unlock()
				return nil, err
			}
			return l, nil
		}
		l.mu.Lock()
		if l.sheet != nil {
			return l, nil
		}
		l.mu.Unlock() // its first read failed: read it again
	}
}

// rebuild replays l's sheet from its stream. l.mu held or l not shared.
func (s *Service) rebuild(ctx context.Context, l *live) error {
	marker, err := s.markerFor(l.key)
	if err != nil {
		return err
	}
	sheet, err := roleplay.NewSheet(s.m, l.key, marker)
	if err != nil {
		return err
	}
	recs, err := s.store.Read(ctx, StreamName(l.key), 0)
	if err != nil {
		return fmt.Errorf("read %s: %w", StreamName(l.key), err)
	}
	if err := replay(sheet, recs); err != nil {
		return fmt.Errorf("%s: %w", StreamName(l.key), err)
	}
	l.sheet, l.n, l.stale = sheet, int64(len(recs)), false
	return nil
}

// catchUp applies what other nodes have appended to l's stream since l
// was read. l.mu held.
func (s *Service) catchUp(ctx context.Context, l *live) error {
	if l.stale {
		return s.rebuild(ctx, l)
	}
	recs, err := s.store.Read(ctx, StreamName(l.key), l.n)
	if err != nil {
		return fmt.Errorf("read %s: %w", StreamName(l.key), err)
	}
	if len(recs) == 0 {
		return nil
	}
	if err := replay(l.sheet, recs); err != nil {
		// sheet holds part of recs: replay the whole stream, and never
		// serve the copy if that fails.
		if err := s.rebuild(ctx, l); err != nil {
			l.stale = true
			return err
		}
		return nil
	}
	l.n += int64(len(recs))
	return nil
}

// replay applies stored records to a sheet; every record must apply.
func replay(sheet *roleplay.Sheet, recs [][]byte) error {
	for i, rec := range recs {
		var e roleplay.Entry
		if err := json.Unmarshal(rec, &e); err != nil {
			return fmt.Errorf("%w: record %d: %v", ErrCorrupt, i, err)
		}
		res, err := sheet.Apply(e.Change, e.At)
		if err != nil || !res.Applied {
			return fmt.Errorf("%w: record %d does not apply: %v", ErrCorrupt, i, err)
		}
	}
	return nil
}

// Outcome says what Apply did with a change.
type Outcome struct {
	Applied bool           // false: a re-sent change already stored; nothing changed
	Acked   uint64         // the author's highest stored sequence number on the sheet
	State   roleplay.State // the sheet after the change
}

// Apply validates change c of sheet k, appends it durably and applies it.
// Only a nil error means the change is stored (or was already). Errors
// are *ProtocolError values whose codes docs/marking-protocol.md lists;
// a refused change stores nothing and leaves the sheet as it was.
func (s *Service) Apply(ctx context.Context, k roleplay.SheetKey, c roleplay.Change) (Outcome, error) {
	if s.audited(k, c) {
		return s.applyRecorded(ctx, k, c)
	}
	return s.apply(ctx, k, func(*roleplay.Sheet) roleplay.Change { return c }, nil)
}

// apply is Apply with the change made under the sheet's lock, so that a
// server-side author (the lead's moderation) can number it, and with its
// audit entry rec, if set, stored in the same write. Once stored, the
// other nodes are told, after the lock is released. A change whose write
// failed with its entry is refused with CodeStore, the error wrapping
// audit.ErrNotRecorded.
func (s *Service) apply(ctx context.Context, k roleplay.SheetKey, next func(*roleplay.Sheet) roleplay.Change, rec *audit.Entry) (Outcome, error) {
	out, n, err := s.commit(ctx, k, next, rec)
	if err != nil {
		return out, s.notStored(err)
	}
	if out.Applied {
		s.announce(ctx, StreamName(k), n)
	}
	return out, nil
}

// errDuplicate stops AppendNext at a re-sent change: nothing to append.
var errDuplicate = errors.New("marking: change already stored")

// commit decides the change on the sheet held in memory, appends it on
// condition that the stream is as long as the copy, and applies it once
// it is durable; it returns the stream's new length. A conflict catches
// the copy up and decides again. So does a refusal, once, when the copy
// has not caught up meanwhile: a copy behind the store may refuse a valid
// change, such as a submit whose marks another node stored.
// With rec set and an audit log configured, the entry is stored in the
// same write as the change (audit.Log.Take).
func (s *Service) commit(ctx context.Context, k roleplay.SheetKey, next func(*roleplay.Sheet) roleplay.Change, rec *audit.Entry) (Outcome, int64, error) {
	l, err := s.fresh(ctx, k)
	if err != nil {
		return Outcome{}, 0, err
	}
	defer l.mu.Unlock()
	f := &follower{s: s, l: l}
	var (
		c       roleplay.Change
		at      time.Time
		refusal error // what decide last refused
		out     Outcome
	)
	decide := func() ([][]byte, error) {
		c, at = next(l.sheet), s.clock.Now()
		out, refusal = s.decide(ctx, l, c)
		if refusal != nil {
			return nil, refusal
		}
		if !out.Applied {
			return nil, errDuplicate
		}
		rec, err := json.Marshal(roleplay.Entry{Change: c, At: at})
		if err != nil {
			panic(err) // an Entry always encodes
		}
		return [][]byte{rec}, nil
	}
	stream := StreamName(k)
	try := func(appendNext func() error) error {
		err := appendNext()
		if err != nil && err == refusal && !f.caught {
			if err = f.CatchUp(ctx); err == nil {
				err = appendNext()
			}
		}
		return err
	}
	alone := func() error {
		return try(func() error { return store.AppendNext(ctx, s.store, stream, f, decide) })
	}
	if rec == nil || s.audit == nil {
		err = alone()
	} else {
		err = s.audit.Take(ctx, s.store, *rec, func(prepare func() (store.Write, error)) error {
			return try(func() error { return audit.AppendNext(ctx, s.store, stream, f, decide, prepare) })
		}, alone)
	}
	switch {
	case errors.Is(err, errDuplicate):
		return Outcome{Acked: out.Acked, State: l.sheet.State()}, 0, nil
	case err != nil && err == refusal:
		return out, 0, err
	case err != nil:
		return Outcome{}, 0, err
	}
	// Stored: the sheet applies what it decided.
	if res, err := l.sheet.Apply(c, at); err != nil || !res.Applied {
		l.stale = true
		return Outcome{}, 0, fmt.Errorf("%w: stored change %d of %q does not apply: %v", ErrCorrupt, c.Seq, c.By, err)
	}
	l.n++
	return Outcome{Applied: true, Acked: c.Seq, State: l.sheet.State()}, l.n, nil
}

// decide checks change c against sheet l without changing it. l.mu held.
func (s *Service) decide(ctx context.Context, l *live, c roleplay.Change) (Outcome, error) {
	if err := s.admit(ctx, l, c); err != nil {
		return Outcome{Acked: l.sheet.Acked(c.By)}, err
	}
	res, err := l.sheet.Decide(c)
	return Outcome{Applied: res.Applied, Acked: res.Acked}, err
}

// follower is a sheet held in memory as store.AppendNext follows it.
// l.mu held.
type follower struct {
	s      *Service
	l      *live
	caught bool // CatchUp was called
}

// Len is the length of the stream the copy was built from.
func (f *follower) Len() int64 { return f.l.n }

// CatchUp applies what other nodes have appended since.
func (f *follower) CatchUp(ctx context.Context) error {
	f.caught = true
	return f.s.catchUp(ctx, f.l)
}

// errNotHere refuses a change to a sheet the assessor may not change now.
// It names no slot, time or other station, nor whether a station is
// flagged: a candidate's schedule and other markers' results are not the
// assessor's to learn from a refusal.
var errNotHere = perr(CodeNotAtStation, "this candidate is not at your station now")

// admit checks what the sheet state machine cannot know: that a change
// re-using a sequence number was stored, that the candidate has reached the
// station, and that a third marker or lead decision follows a flagged
// discrepancy. l.mu held.
func (s *Service) admit(ctx context.Context, l *live, c roleplay.Change) error {
	if c.Seq > 0 && c.Seq <= l.sheet.Acked(c.By) && !logged(l.sheet, c.By, c.Seq) {
		return perr(CodeBadSeq, "seq %d was never stored and is below the last stored %d: number new changes after %d",
			c.Seq, l.sheet.Acked(c.By), l.sheet.Acked(c.By))
	}
	if c.By != l.key.Assessor {
		return nil // a moderation: the sheet checks the lead
	}
	circuit := s.m.Circuits[l.key.Circuit]
	start, _ := circuit.SlotTimes(l.sheet.Slot())
	if now := s.clock.Now(); now.Before(start) {
		return errNotHere
	}
	if l.sheet.Marker() == roleplay.Primary || l.n > 0 {
		return nil
	}
	pair, err := s.pair(ctx, circuit, l.key.Station, l.key.Candidate)
	if err != nil {
		return err
	}
	if d, ok := pair.discrepancy(s.m, circuit); !ok || !d.Flagged() {
		return errNotHere
	}
	if l.sheet.Marker() != roleplay.ThirdMarker {
		return nil
	}
	as, _, err := s.assignments(ctx, circuit.ID)
	if err != nil {
		return err
	}
	if a := as[cellKey{l.key.Station, l.key.Candidate}]; a.Assessor != l.key.Assessor {
		return errNotHere
	}
	return nil
}

func logged(sheet *roleplay.Sheet, by string, seq uint64) bool {
	for _, e := range sheet.Log() {
		if e.By == by && e.Seq == seq {
			return true
		}
	}
	return false
}

// notStored is the error of a change refused or not stored: its protocol
// error, and for a change whose write failed with its audit entry a
// CodeStore refusal wrapping audit.ErrNotRecorded too.
func (s *Service) notStored(err error) error {
	if !errors.Is(err, audit.ErrNotRecorded) {
		return s.protocolErr(err)
	}
	s.log.Error("audit: change not recorded, so not stored", "err", err)
	return fmt.Errorf("%w: %w", perr(CodeStore, "not saved: the audit log could not record it; send it again"), err)
}

func (s *Service) protocolErr(err error) *ProtocolError {
	pe := codeOf(err)
	if pe.Code == CodeStore {
		s.log.Error("marking store", "err", err)
	}
	return pe
}

// Sheet returns the current state of sheet k and the author's highest
// stored sequence number on it. A sheet with nothing stored is empty.
func (s *Service) Sheet(ctx context.Context, k roleplay.SheetKey) (roleplay.State, error) {
	l, err := s.fresh(ctx, k)
	if err != nil {
		return roleplay.State{}, err
	}
	defer l.mu.Unlock()
	return l.sheet.State(), nil
}

// fresh is open, caught up with the store if a notice said another node
// changed the sheet (or a failed catch-up left it stale). A copy no notice
// has spoken of is trusted.
func (s *Service) fresh(ctx context.Context, k roleplay.SheetKey) (*live, error) {
	l, err := s.open(ctx, k)
	if err != nil {
		return nil, err
	}
	if !l.stale && l.heard.Load() <= l.n {
		return l, nil
	}
	if err := s.catchUp(ctx, l); err != nil {
		l.mu.Unlock()
		return nil, err
	}
	return l, nil
}

// current is view with the sheet caught up with the store whatever the
// notices said.
func (s *Service) current(ctx context.Context, k roleplay.SheetKey) (SheetVM, error) {
	l, err := s.open(ctx, k)
	if err != nil {
		return SheetVM{}, err
	}
	defer l.mu.Unlock()
	if err := s.catchUp(ctx, l); err != nil {
		return SheetVM{}, err
	}
	return SheetVM{State: l.sheet.State(), LastSeq: l.sheet.Acked(k.Assessor)}, nil
}

// view returns a sheet's state, its stored record count and the key
// assessor's last sequence number.
func (s *Service) view(ctx context.Context, k roleplay.SheetKey) (SheetVM, int64, error) {
	l, err := s.fresh(ctx, k)
	if err != nil {
		return SheetVM{}, 0, err
	}
	defer l.mu.Unlock()
	return SheetVM{State: l.sheet.State(), LastSeq: l.sheet.Acked(k.Assessor)}, l.n, nil
}

// Log returns the stored changes of sheet k, oldest first: its audit trail.
func (s *Service) Log(ctx context.Context, k roleplay.SheetKey) ([]roleplay.Entry, error) {
	l, err := s.fresh(ctx, k)
	if err != nil {
		return nil, err
	}
	defer l.mu.Unlock()
	return append([]roleplay.Entry(nil), l.sheet.Log()...), nil
}

// RegisterMetrics exports the number of assessors with a live connection,
// read at scrape time.
func (s *Service) RegisterMetrics(reg prometheus.Registerer) {
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "accredit_connected_assessors", Help: "Assessors with a live marking connection.",
	}, func() float64 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return float64(len(s.peers))
	}))
}
