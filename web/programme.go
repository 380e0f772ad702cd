package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/internal/httpjson"
)

// The programme's JSON API (docs/staff-api.md, "Programme"): administrators
// (api_admin.go), an employer's supervisors and administrators
// (api_supervisor.go) and candidates in their own portal (api_portal.go).
// Every route checks the role and the assignment here, on the server; the
// Programme checks them again under its own rules.

func (srv *Server) programmeRoutes() {
	if srv.cfg.Programme == nil {
		return
	}
	srv.portal = &portalKeys{st: srv.cfg.Store, codes: map[string]string{}}
	srv.adminRoutes()
	srv.supervisorRoutes()
	srv.portalRoutes()
}

// actorOf is the Programme's actor for a staff member.
func actorOf(st *content.Staff) programme.Actor {
	if st.Role == content.RoleAdministrator {
		return programme.Actor{Kind: programme.ActorAdmin, ID: st.ID}
	}
	return programme.Actor{Kind: programme.ActorStaff, ID: st.ID}
}

// progCtx is r's context naming actor in the audit entries of the acts the
// Programme takes under it: it stores each entry with its act in one write
// (Config.Audit is its Recorder's log).
func progCtx(r *http.Request, actor audit.Actor) context.Context {
	return programme.AuditActor(r.Context(), actor)
}

// progCtx is progCtx naming the staff member signed in on r.
func (srv *Server) progCtx(r *http.Request) context.Context {
	st, signedIn := srv.staffFrom(r)
	if !signedIn {
		return r.Context() // the Programme names the Actor it is given
	}
	return progCtx(r, staffActor(st))
}

// programmeError answers a Programme error: 503 for an act the audit log
// could not record (nothing changed), a refusal with every reason (403
// when the actor may not, else 409), an import with every located fault
// (400), 404 for what does not exist, 503 for a busy stream.
func (srv *Server) programmeError(w http.ResponseWriter, err error) {
	var re *programme.RefusedError
	var ie *programme.ImportError
	switch {
	case srv.refused(w, "programme", err):
	case errors.As(err, &re):
		code := http.StatusConflict
		if re.Has(programme.CodeNotPermitted) || re.Has(programme.CodeNotSupervisor) {
			code = http.StatusForbidden
		}
		httpjson.Write(w, code, map[string]any{"error": re.Error(), "reasons": re.Reasons})
	case errors.As(err, &ie):
		httpjson.Write(w, http.StatusBadRequest, map[string]any{"error": ie.Error(), "faults": ie.Faults})
	case errors.Is(err, programme.ErrNotFound):
		httpjson.Error(w, http.StatusNotFound, strings.TrimPrefix(err.Error(), "programme: "))
	case errors.Is(err, programme.ErrBusy):
		w.Header().Set("Retry-After", "1")
		httpjson.Error(w, http.StatusServiceUnavailable, "busy just now: nothing was changed; try again")
	default:
		srv.internal(w, err)
	}
}

// personTarget is the audit target of an act on a person.
func personTarget(id string) audit.Target { return target(audit.TargetPerson, id) }

// parseDay reads a YYYY-MM-DD date.
func parseDay(field, v string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not a date (YYYY-MM-DD)", field, v)
	}
	return t, nil
}

// personView is a person as the programme's pages show them: never their
// monitoring answers, which only the fairness and workforce reports read.
type personView struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Registration string `json:"registration"`
	Employer     string `json:"employer"`
	Employment   string `json:"employment"`
	Started      string `json:"started"`
	Email        string `json:"email"`
	Seeks        string `json:"seeks"`
}

func viewPerson(p programme.Person) personView {
	return personView{ID: p.ID, Name: p.Name, Registration: p.Registration, Employer: p.Employer,
		Employment: string(p.Employment), Started: p.Started.Format("2006-01-02"), Email: p.Email, Seeks: string(p.Seeks)}
}

// recordView is a person with their endorsements, bookings and whatever
// blocks them from booking now.
type recordView struct {
	Person       personView              `json:"person"`
	Endorsements []programme.Endorsement `json:"endorsements"`
	Bookings     []bookingView           `json:"bookings"`
	Blocked      []programme.Reason      `json:"blocked"`
}

// bookingView is a booking as its reader may see it. The access code is
// the candidate's key to their test: an administrator sees it; the
// candidate sees it from the start of the day of the sitting or role-play
// day, in the centre's time zone (CodeFrom says when); the employer's
// staff never do.
type bookingView struct {
	programme.Booking
	CodeFrom time.Time `json:"code_from,omitzero"`
}

// codeDay is when the access code of a booking starting at start is shown
// to its candidate: midnight of that day in the centres' time zone.
func codeDay(start time.Time, zone *time.Location) time.Time {
	y, m, d := start.In(zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, zone).UTC()
}

// viewBooking is b as by may see it.
func (srv *Server) viewBooking(by programme.Actor, b programme.Booking) bookingView {
	v := bookingView{Booking: b}
	switch by.Kind {
	case programme.ActorAdmin:
	case programme.ActorCandidate:
		v.CodeFrom = codeDay(b.Start, srv.zone)
		if srv.cfg.Clock.Now().Before(v.CodeFrom) {
			v.Code = ""
		}
	default:
		v.Code = ""
	}
	return v
}

func (srv *Server) personRecord(ctx context.Context, by programme.Actor, id string) (recordView, error) {
	rec, err := srv.cfg.Programme.Record(ctx, id)
	if err != nil {
		return recordView{}, err
	}
	blocked, err := srv.cfg.Programme.Eligibility(ctx, id, rec.Person.Seeks)
	if err != nil {
		return recordView{}, err
	}
	bs := make([]bookingView, 0, len(rec.Bookings))
	for _, b := range rec.Bookings {
		bs = append(bs, srv.viewBooking(by, b))
	}
	return recordView{Person: viewPerson(rec.Person), Endorsements: nonNil(rec.Endorsements),
		Bookings: bs, Blocked: nonNil(blocked)}, nil
}

// eventView is a sitting or role-play day with the places left ("" for a
// sitting's).
type eventView struct {
	Kind    programme.Kind         `json:"kind"`
	Sitting *programme.Sitting     `json:"sitting,omitempty"`
	Day     *programme.RolePlayDay `json:"day,omitempty"`
	Free    map[string]int         `json:"free"`
}

// eventsJSON serves the events, every sitting and role-play day with its
// places left, as {"events": [...]}.
func (srv *Server) eventsJSON(w http.ResponseWriter, r *http.Request) {
	evs, err := srv.events(r.Context())
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"events": evs})
}

// events lists every sitting and role-play day with its places left.
func (srv *Server) events(ctx context.Context) ([]eventView, error) {
	var out []eventView
	for _, k := range []programme.Kind{programme.Knowledge, programme.RolePlay} {
		ids, err := srv.cfg.Programme.Events(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			a, err := srv.cfg.Programme.Availability(ctx, k, id)
			if errors.Is(err, programme.ErrNotFound) {
				continue // a stream without its definition
			}
			if err != nil {
				return nil, err
			}
			out = append(out, eventView{Kind: k, Sitting: a.Sitting, Day: a.Day, Free: a.Free})
		}
	}
	if out == nil {
		out = []eventView{}
	}
	return out, nil
}

// bookingRequest is the body of a booking.
type bookingRequest struct {
	Kind        programme.Kind        `json:"kind"`
	Event       string                `json:"event"`
	Slot        string                `json:"slot"`
	Adjustments programme.Adjustments `json:"adjustments"`
}

// moveRequest is the body of a move.
type moveRequest struct {
	Event string `json:"event"`
	Slot  string `json:"slot"`
}

// book books person under by; the answer is the booking,
// its access code as viewBooking shows it.
func (srv *Server) book(w http.ResponseWriter, r *http.Request, by programme.Actor, actor audit.Actor, person string) {
	var req bookingRequest
	if !httpjson.Read(w, r, &req, 8<<10) {
		return
	}
	b, err := srv.cfg.Programme.Book(progCtx(r, actor), by, programme.Request{Person: person, Kind: req.Kind, Event: req.Event,
		Slot: req.Slot, Adjustments: req.Adjustments})
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusCreated, srv.viewBooking(by, b))
}

// cancelBooking cancels a person's booking.
func (srv *Server) cancelBooking(w http.ResponseWriter, r *http.Request, by programme.Actor, actor audit.Actor, person string) {
	id := r.PathValue("booking")
	err := srv.cfg.Programme.Cancel(progCtx(r, actor), by, person, id)
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// moveBooking moves a person's booking.
func (srv *Server) moveBooking(w http.ResponseWriter, r *http.Request, by programme.Actor, actor audit.Actor, person string) {
	id := r.PathValue("booking")
	var req moveRequest
	if !httpjson.Read(w, r, &req, 4<<10) {
		return
	}
	b, err := srv.cfg.Programme.Move(progCtx(r, actor), by, person, id, req.Event, req.Slot)
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, srv.viewBooking(by, b))
}

// The candidate's portal signs in with a personal code. A person's code is
// derived, not stored: "PC-" and 12 symbols of programme.CodeAlphabet
// taken from HMAC-SHA256 of their person id under a 32-byte key drawn
// with crypto/rand once for the whole store (the first node to need it
// appends it to the stream portal/key; the others read it). The same
// person always has the same code, on every node; an administrator reads
// it (GET /api/admin/people/{id}/portal-code) to issue it. The portal
// session is a cookie holding the person id and its expiry, signed with
// the same key: every node checks it without the store.

const (
	portalKeyStream = "portal/key"
	portalCookie    = "accredit_portal"
	portalTTL       = 12 * time.Hour
)

// portalKeys holds the store's portal key and the codes derived so far.
type portalKeys struct {
	st interface {
		Append(ctx context.Context, stream string, expect int64, records ...[]byte) (int64, error)
		Read(ctx context.Context, stream string, from int64) ([][]byte, error)
	}
	mu     sync.Mutex // protects key, codes, people
	key    []byte
	codes  map[string]string // personal code to person id
	people int               // how many people codes were derived for
}

// get returns the store's portal key, making it when there is none.
func (k *portalKeys) get(ctx context.Context) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	for range 3 {
		recs, err := k.st.Read(ctx, portalKeyStream, 0)
		if err != nil {
			return nil, err
		}
		if len(recs) > 0 {
			key, err := hex.DecodeString(string(recs[0]))
			if err != nil || len(key) != 32 {
				return nil, fmt.Errorf("portal key: corrupt record")
			}
			k.key = key
			return key, nil
		}
		key := make([]byte, 32)
		rand.Read(key)
		if _, err := k.st.Append(ctx, portalKeyStream, 0, []byte(hex.EncodeToString(key))); err == nil {
			k.key = key
			return key, nil
		}
	}
	return nil, errors.New("portal key: could not agree on one")
}

func mac(key []byte, parts ...string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(strings.Join(parts, "\x00")))
	return h.Sum(nil)
}

// personalCode derives a person's portal code.
func personalCode(key []byte, person string) string {
	sum := mac(key, "code", person)
	var b strings.Builder
	b.WriteString("PC-")
	for i := range 12 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(programme.CodeAlphabet[int(sum[i])%len(programme.CodeAlphabet)])
	}
	return b.String()
}

// normalCode writes a typed code as derived: capitals, dashes where due.
func normalCode(code string) string {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(code))
	if len(s) == 14 && strings.HasPrefix(s, "PC") {
		s = s[2:]
	}
	if len(s) != 12 {
		return ""
	}
	return "PC-" + s[:4] + "-" + s[4:8] + "-" + s[8:]
}

// personByCode finds whose personal code code is, deriving the codes of
// people added since the last look.
func (srv *Server) personByCode(ctx context.Context, code string) (string, bool, error) {
	k := srv.portal
	key, err := k.get(ctx)
	if err != nil {
		return "", false, err
	}
	code = normalCode(code)
	k.mu.Lock()
	id, ok := k.codes[code]
	k.mu.Unlock()
	if ok || code == "" {
		return id, ok, nil
	}
	people, err := srv.cfg.Programme.People(ctx, "")
	if err != nil {
		return "", false, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(people) != k.people {
		for _, p := range people {
			k.codes[personalCode(key, p.ID)] = p.ID
		}
		k.people = len(people)
	}
	id, ok = k.codes[code]
	return id, ok, nil
}

// portalPerson returns the person signed in to the portal on r:
// errNoSession without a live portal session, errSessionStore when the
// store cannot tell.
func (srv *Server) portalPerson(r *http.Request) (string, error) {
	c, err := r.Cookie(portalCookie)
	if err != nil {
		return "", errNoSession
	}
	ctx, cancel := context.WithTimeout(r.Context(), sessionTimeout)
	defer cancel()
	return srv.sessions.getPortal(ctx, c.Value)
}
