package programme

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
)

// Importing the files that held the programme before it had records of
// its own (docs/programme.md, "Importing content files"): the employers
// and people CSV files, and a content tree's sittings/*.json and
// staff.json. Everything is read and checked against the store before
// anything is written; a record stored already is left as it is, and one
// stored differently is a located fault.

// File is one CSV file of an import: its name, for messages, and its
// contents.
type File struct {
	Name string
	Data io.Reader
}

// FileImport is what ImportFiles brings into the programme's records.
// Every part is optional.
type FileImport struct {
	Employers *File // employers CSV (ImportEmployers' columns)
	People    *File // people CSV (ImportPeople's columns)
	// Content is a content tree (docs/content.md). Its sittings become
	// knowledge sittings, their candidates bookings keeping their access
	// codes, and its staff sign-ins (and programme staff for supervisors
	// and employer administrators). Its items and forms stay files: they
	// are loaded to check the sittings.
	Content fs.FS
	// DryRun checks everything and reports what would be stored, storing
	// nothing.
	DryRun bool
}

// ImportOutcome is what an import did, or would do, with one record.
type ImportOutcome string

// Outcomes. A record stored with other values is a Fault, not an ImportOutcome.
const (
	Created ImportOutcome = "created" // stored by this import (or, dry, would be)
	Present ImportOutcome = "present" // stored already with the same values
)

// Record kinds of an import report, in the order they are stored.
const (
	KindEmployer = "employer"
	KindPerson   = "person"
	KindStaff    = "staff"   // a supervisor's or employer administrator's programme staff record
	KindSignIn   = "sign-in" // a staff member's sign-in code
	KindSitting  = "sitting"
	KindBooking  = "booking"
)

// importKinds lists the record kinds in the order they are stored.
var importKinds = []string{KindEmployer, KindPerson, KindStaff, KindSignIn, KindSitting, KindBooking}

// ImportKinds returns the record kinds of an import in the order they are
// stored.
func ImportKinds() []string { return slices.Clone(importKinds) }

// Imported is one record of an import and what became of it.
type Imported struct {
	Kind          string        `json:"kind"`
	ID            string        `json:"id"`
	File          string        `json:"file"`
	ImportOutcome ImportOutcome `json:"outcome"`
}

// ImportReport lists every record an import read, in the order stored.
type ImportReport struct {
	Records []Imported `json:"records"`
	DryRun  bool       `json:"dry_run,omitempty"`
}

// Count returns how many records of kind had outcome o; kind "" counts
// every kind.
func (r ImportReport) Count(kind string, o ImportOutcome) int {
	n := 0
	for _, x := range r.Records {
		if (kind == "" || x.Kind == kind) && x.ImportOutcome == o {
			n++
		}
	}
	return n
}

func (r *ImportReport) add(kind, id, file string, o ImportOutcome) {
	r.Records = append(r.Records, Imported{Kind: kind, ID: id, File: file, ImportOutcome: o})
}

// ImportFiles imports in, all or nothing: every fault of every file is
// found first and returned, located, in an *ImportError, and then nothing
// is stored. Only an administrator may. Running the same import again
// stores nothing new: each record is reported Present. An imported
// booking keeps the file's access code and approves its time
// accommodation; it is not held to the endorsement rules or the Gate
// (docs/programme.md says why). Should the store fail part-way, what was
// stored stays, and the same import run again stores the rest.
func (p *Programme) ImportFiles(ctx context.Context, by Actor, in FileImport) (ImportReport, error) {
	if err := p.requireAdmin("import files", by); err != nil {
		return ImportReport{}, err
	}
	pf := parseFiles(in)
	plan, err := p.planImport(ctx, by, pf)
	if err != nil {
		return ImportReport{}, err
	}
	if len(plan.faults) > 0 {
		sortFaults(plan.faults)
		return ImportReport{}, &ImportError{Faults: plan.faults}
	}
	plan.report.DryRun = in.DryRun
	if in.DryRun {
		return plan.report, nil
	}
	if err := p.applyImport(ctx, by, plan); err != nil {
		return ImportReport{}, fmt.Errorf("import stopped part-way (what was stored stays; run the same import again to store the rest): %w", err)
	}
	return plan.report, nil
}

// parsedFiles is what the files of an import say, before the store is
// consulted.
type parsedFiles struct {
	employers    []Employer
	employerFile string
	people       []NewPerson
	peopleFile   string
	lib          *content.Library // nil without a content tree
	sittingFile  map[string]string
	faults       []Fault
}

// contentName names the content tree in faults that belong to no file.
const contentName = "content"

// parseFiles reads every file of in; it uses no store.
func parseFiles(in FileImport) parsedFiles {
	var pf parsedFiles
	if f := in.Employers; f != nil {
		pf.employerFile = f.Name
		es, faults := ParseEmployers(f.Name, f.Data)
		pf.employers, pf.faults = es, append(pf.faults, faults...)
		if es == nil && len(faults) == 0 {
			pf.faults = append(pf.faults, Fault{File: f.Name, Line: 1, Message: "no employers"})
		}
	}
	if f := in.People; f != nil {
		pf.peopleFile = f.Name
		ps, faults := ParsePeople(f.Name, f.Data)
		pf.people, pf.faults = ps, append(pf.faults, faults...)
		if len(ps) == 0 && len(faults) == 0 {
			pf.faults = append(pf.faults, Fault{File: f.Name, Line: 1, Message: "no people"})
		}
	}
	if in.Content != nil {
		lib, err := content.Load(in.Content)
		if err != nil {
			pf.faults = append(pf.faults, contentFaults(err)...)
		} else {
			pf.lib = lib
			pf.sittingFile = sittingFiles(in.Content)
		}
	}
	return pf
}

// contentFaults turns the content loader's errors into faults, each at its
// file and field path.
func contentFaults(err error) []Fault {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]Fault, 0, len(errs))
	for _, e := range errs {
		var fe *content.FieldError
		if errors.As(e, &fe) {
			out = append(out, Fault{File: fe.File, Column: fe.Path, Message: fe.Msg})
			continue
		}
		out = append(out, Fault{File: contentName, Message: e.Error()})
	}
	return out
}

// sittingFiles maps each sitting id of a loaded content tree to its file.
func sittingFiles(fsys fs.FS) map[string]string {
	out := map[string]string{}
	names, _ := fs.Glob(fsys, "sittings/*.json")
	for _, name := range names {
		var head struct {
			ID string `json:"id"`
		}
		if b, err := fs.ReadFile(fsys, name); err == nil && json.Unmarshal(b, &head) == nil {
			out[head.ID] = name
		}
	}
	return out
}

// importPlan is what an import will store, and its faults.
type importPlan struct {
	employers []Employer
	people    []NewPerson
	staff     []Staff
	signIns   []content.Staff
	sittings  []Sitting
	bookings  []importedBooking
	report    ImportReport
	faults    []Fault
}

// importedBooking is a booking to store; seatOnly when the person's stream
// has it already (an import stopped between its two writes).
type importedBooking struct {
	b        Booking
	seatOnly bool
}

func (pl *importPlan) fault(file string, line int, column, format string, args ...any) {
	pl.faults = append(pl.faults, Fault{File: file, Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
}

// storeView is what an import checks against: the store's records as
// they stand, and what the import itself adds.
type storeView struct {
	employers map[string]Employer
	people    map[string]Person
	regs      map[string]string // normalised registration number to person id
	staff     map[string]Staff
	signIns   *signInState
	sittings  map[string]*ledgerCopy
	codes     map[string]codeOwner // normalised access code of every live place
}

// ledgerCopy is what an import needs of a stored sitting.
type ledgerCopy struct {
	def   Sitting
	seats map[string]Seat // by booking id
	used  int
}

// codeOwner is the booking a stored access code admits to.
type codeOwner struct{ sitting, booking string }

// planImport checks pf against the store and decides what to store.
func (p *Programme) planImport(ctx context.Context, by Actor, pf parsedFiles) (*importPlan, error) {
	pl := &importPlan{faults: pf.faults}
	v, err := p.readView(ctx)
	if err != nil {
		return nil, err
	}
	p.planEmployers(pl, v, pf)
	p.planPeople(pl, v, pf)
	if pf.lib != nil {
		p.planStaff(pl, v, pf.lib)
		p.planSittings(pl, v, pf)
		if err := p.planBookings(ctx, pl, v, by, pf); err != nil {
			return nil, err
		}
	}
	return pl, nil
}

// readView reads the directories, the sign-ins and every knowledge
// sitting.
func (p *Programme) readView(ctx context.Context) (*storeView, error) {
	v := &storeView{employers: map[string]Employer{}, people: map[string]Person{}, regs: map[string]string{},
		staff: map[string]Staff{}, signIns: newSignInState(), sittings: map[string]*ledgerCopy{}, codes: map[string]codeOwner{}}
	es, err := p.Employers(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		v.employers[e.ID] = e
	}
	ps, err := p.People(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, per := range ps {
		v.people[per.ID] = per
		v.regs[normReg(per.Registration)] = per.ID
	}
	if err := p.staffW.view(ctx, p.st, func(*dirState) {}); err != nil {
		return nil, err
	}
	for _, s := range list(p.idx, p.idx.staff, nil) {
		v.staff[s.ID] = s
	}
	err = p.signInsW.view(ctx, p.st, func(s *signInState) {
		for _, st := range s.byID {
			v.signIns.apply(&record{Kind: recSignIns, SignIns: []content.Staff{st}})
		}
	})
	if err != nil {
		return nil, err
	}
	ids, err := p.Events(ctx, Knowledge)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		err := p.ledgers.get(eventStream(Knowledge, id)).view(ctx, p.st, func(l *ledger) {
			if l.sitting == nil {
				return
			}
			c := &ledgerCopy{def: *l.sitting, seats: map[string]Seat{}, used: l.used[""]}
			for bid, s := range l.seats {
				c.seats[bid] = *s
				v.codes[content.NormCode(s.Code)] = codeOwner{sitting: id, booking: bid}
			}
			v.sittings[id] = c
		})
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

// planEmployers decides on the employers CSV file's rows.
func (p *Programme) planEmployers(pl *importPlan, v *storeView, pf parsedFiles) {
	file := pf.employerFile
	seen := map[string]int{}
	for i, e := range pf.employers {
		line := i + 2
		if j, dup := seen[e.ID]; dup {
			pl.fault(file, line, "id", "employer %q is also on line %d", e.ID, j)
			continue
		}
		seen[e.ID] = line
		if old, ok := v.employers[e.ID]; ok {
			diffs := diffFields([]fieldPair{{"name", old.Name, e.Name}, {"region", old.Region, e.Region},
				{"phase", string(old.Phase), string(e.Phase)}, {"rating", string(old.Rating), string(e.Rating)}})
			for _, d := range diffs {
				pl.fault(file, line, d.field, "employer %s is stored with %s %q; the file has %q", e.ID, d.field, d.stored, d.file)
			}
			if len(diffs) == 0 {
				pl.report.add(KindEmployer, e.ID, file, Present)
			}
			continue
		}
		for _, fe := range e.check() {
			pl.fault(file, line, fe.field, "%s", fe.msg)
		}
		v.employers[e.ID] = e
		pl.employers = append(pl.employers, e)
		pl.report.add(KindEmployer, e.ID, file, Created)
	}
}

// planPeople decides on the people CSV file's rows.
func (p *Programme) planPeople(pl *importPlan, v *storeView, pf parsedFiles) {
	file := pf.peopleFile
	badDate := map[int]bool{}
	for _, f := range pf.faults {
		if f.File == file && f.Column == "started" {
			badDate[f.Line] = true
		}
	}
	seen := map[string]int{}
	now := p.now()
	for i, np := range pf.people {
		per, line := np.Person, i+2
		per.Started = day(per.Started)
		if j, dup := seen[per.ID]; dup {
			pl.fault(file, line, "id", "person %q is also on line %d", per.ID, j)
			continue
		}
		seen[per.ID] = line
		if old, ok := v.people[per.ID]; ok {
			p.comparePerson(pl, file, line, old, per)
			continue
		}
		for _, fe := range per.check(now, func(id string) bool { _, ok := v.employers[id]; return ok }) {
			if !(fe.field == "started" && badDate[line]) {
				pl.fault(file, line, fe.field, "%s", fe.msg)
			}
		}
		if r := normReg(per.Registration); r != "" {
			if other, taken := v.regs[r]; taken {
				pl.fault(file, line, "registration", "registration number %q is taken by %s", per.Registration, other)
			}
			v.regs[r] = per.ID
		}
		v.people[per.ID] = per
		pl.people = append(pl.people, NewPerson{Person: per, Monitoring: np.Monitoring})
		pl.report.add(KindPerson, per.ID, file, Created)
	}
}

// comparePerson reports a person stored already: present, or a fault for
// each field the file gives otherwise. Monitoring answers are not compared.
func (p *Programme) comparePerson(pl *importPlan, file string, line int, old, per Person) {
	diffs := diffFields([]fieldPair{{"name", old.Name, per.Name},
		{"registration", normReg(old.Registration), normReg(per.Registration)},
		{"employer", old.Employer, per.Employer}, {"employment", string(old.Employment), string(per.Employment)},
		{"started", day(old.Started).Format(dateLayout), per.Started.Format(dateLayout)},
		{"email", old.Email, per.Email}, {"seeks", string(old.Seeks), string(per.Seeks)}})
	for _, d := range diffs {
		pl.fault(file, line, d.field, "person %s is stored with %s %q; the file has %q", per.ID, d.field, d.stored, d.file)
	}
	if len(diffs) == 0 {
		pl.report.add(KindPerson, per.ID, file, Present)
	}
}

// staffFile is the content tree's staff file.
const staffFile = "staff.json"

// planStaff decides on staff.json: every entry's sign-in, and the
// programme staff record of supervisors and employer administrators.
func (p *Programme) planStaff(pl *importPlan, v *storeView, lib *content.Library) {
	for _, st := range lib.Staff {
		where := "staff " + st.ID
		if st.Role == content.RoleSupervisor || st.Role == content.RoleEmployerAdmin {
			p.planProgrammeStaff(pl, v, st, where)
		}
		p.planSignIn(pl, v, st, where)
	}
}

func (p *Programme) planProgrammeStaff(pl *importPlan, v *storeView, st content.Staff, where string) {
	role := StaffRole(st.Role)
	if old, ok := v.staff[st.ID]; ok {
		diffs := diffFields([]fieldPair{{"name", old.Name, st.Name}, {"role", string(old.Role), string(role)},
			{"employer", old.Employer, cmp.Or(st.Employer, old.Employer)}})
		for _, d := range diffs {
			pl.fault(staffFile, 0, where+": "+d.field, "programme staff %s is stored with %s %q; the file has %q", st.ID, d.field, d.stored, d.file)
		}
		if len(diffs) == 0 {
			pl.report.add(KindStaff, st.ID, staffFile, Present)
		}
		return
	}
	if st.Employer == "" {
		who := "a supervisor"
		if role == RoleEmployerAdmin {
			who = "an employer administrator"
		}
		pl.fault(staffFile, 0, where+": employer", "%s belongs to an employer: give its employer id (\"employer\") or create the programme staff record first", who)
		return
	}
	s := Staff{ID: st.ID, Name: st.Name, Employer: st.Employer, Role: role}
	for _, fe := range s.check(func(id string) bool { _, ok := v.employers[id]; return ok }) {
		pl.fault(staffFile, 0, where+": "+fe.field, "%s", fe.msg)
	}
	v.staff[s.ID] = s
	pl.staff = append(pl.staff, s)
	pl.report.add(KindStaff, st.ID, staffFile, Created)
}

func (p *Programme) planSignIn(pl *importPlan, v *storeView, st content.Staff, where string) {
	norm := content.NormCode(st.Code)
	if old, ok := v.signIns.byID[st.ID]; ok {
		diffs := diffFields([]fieldPair{{"name", old.Name, st.Name}, {"role", string(old.Role), string(st.Role)},
			{"code", content.NormCode(old.Code), norm}, {"sittings", strings.Join(sorted(old.Sittings), ","), strings.Join(sorted(st.Sittings), ",")},
			{"assessor", old.Assessor, st.Assessor}, {"employer", old.Employer, st.Employer}})
		for _, d := range diffs {
			pl.fault(staffFile, 0, where+": "+d.field, "the sign-in of %s is stored with %s %q; the file has %q", st.ID, d.field, d.stored, d.file)
		}
		if len(diffs) == 0 {
			pl.report.add(KindSignIn, st.ID, staffFile, Present)
		}
		return
	}
	if other, taken := v.signIns.byCode[norm]; taken {
		pl.fault(staffFile, 0, where+": code", "code %q is the sign-in code of %s already", st.Code, other)
	}
	if o, taken := v.codes[norm]; taken {
		pl.fault(staffFile, 0, where+": code", "code %q is the access code of booking %s on sitting %s", st.Code, o.booking, o.sitting)
	}
	v.signIns.apply(&record{Kind: recSignIns, SignIns: []content.Staff{st}})
	pl.signIns = append(pl.signIns, cloneStaff(st))
	pl.report.add(KindSignIn, st.ID, staffFile, Created)
}

// sessionOf names the session of a sitting starting at t (UTC): morning
// before noon, else afternoon.
func sessionOf(t time.Time) string {
	if t.UTC().Hour() < 12 {
		return "morning"
	}
	return "afternoon"
}

// importedSitting is the programme sitting of a content sitting, its
// invigilators those staff.json names for it.
func importedSitting(s *content.Sitting, staff []content.Staff) Sitting {
	var invs []string
	for _, st := range staff {
		if st.Role == content.RoleInvigilator && slices.Contains(st.Sittings, s.ID) {
			invs = append(invs, st.ID)
		}
	}
	slices.Sort(invs)
	return Sitting{ID: s.ID, Centre: s.Centre, Start: s.Scheduled.UTC(), Session: sessionOf(s.Scheduled),
		Capacity: len(s.Candidates), Form: s.Form, Invigilators: invs,
		RejoinApproval: s.RejoinApproval, RejoinGraceSeconds: s.RejoinGraceSeconds, CheckIn: s.CheckIn,
		LateAfterMinutes: s.LateAfterMinutes, MaxExtraMinutes: s.MaxExtraMinutes, VoidReasons: s.VoidReasons}
}

// planSittings decides on the content tree's sittings.
func (p *Programme) planSittings(pl *importPlan, v *storeView, pf parsedFiles) {
	for _, id := range slices.Sorted(maps.Keys(pf.lib.Sittings)) {
		s := importedSitting(pf.lib.Sittings[id], pf.lib.Staff)
		file := cmp.Or(pf.sittingFile[id], "sittings/"+id+".json")
		status, ok := p.owner[s.Form]
		if !ok {
			pl.fault(file, 0, "form", "form %q is in no status's blueprint: add it to the programme's rules", s.Form)
		}
		s.Status = status
		var rs []Reason
		if m := checkID(s.ID); m != "" {
			rs = append(rs, reason(CodeInvalid, "sitting %s", m))
		}
		if s.Capacity > maxCapacity {
			rs = append(rs, reason(CodeInvalid, "%d candidates: a sitting takes at most %d", s.Capacity, maxCapacity))
		}
		for _, r := range append(append(rs, checkRejoin(s)...), checkRoom(s)...) {
			pl.fault(file, 0, "", "%s", r.Message)
		}
		if old := v.sittings[id]; old != nil {
			p.compareSitting(pl, file, old.def, s)
			continue
		}
		pl.sittings = append(pl.sittings, s)
		pl.report.add(KindSitting, id, file, Created)
	}
}

// compareSitting reports a sitting stored already: present, or a fault for
// each field stored otherwise.
func (p *Programme) compareSitting(pl *importPlan, file string, old, s Sitting) {
	diffs := diffFields([]fieldPair{{"centre", old.Centre, s.Centre},
		{"scheduled", old.Start.UTC().Format(time.RFC3339), s.Start.Format(time.RFC3339)}, {"form", old.Form, s.Form},
		{"capacity", fmt.Sprint(old.Capacity), fmt.Sprint(s.Capacity)},
		{"invigilators", strings.Join(sorted(old.Invigilators), ","), strings.Join(s.Invigilators, ",")},
		{"rejoin_approval", fmt.Sprint(old.RejoinApproval), fmt.Sprint(s.RejoinApproval)},
		{"rejoin_grace_seconds", fmt.Sprint(old.RejoinGraceSeconds), fmt.Sprint(s.RejoinGraceSeconds)},
		{"check_in", fmt.Sprint(old.CheckIn), fmt.Sprint(s.CheckIn)},
		{"late_after_minutes", fmt.Sprint(old.LateAfterMinutes), fmt.Sprint(s.LateAfterMinutes)},
		{"max_extra_minutes", fmt.Sprint(old.MaxExtraMinutes), fmt.Sprint(s.MaxExtraMinutes)},
		{"void_reasons", strings.Join(old.VoidReasons, "|"), strings.Join(s.VoidReasons, "|")}})
	for _, d := range diffs {
		pl.fault(file, 0, d.field, "sitting %s is stored with %s %q; the file has %q", s.ID, d.field, d.stored, d.file)
	}
	if len(diffs) == 0 {
		pl.report.add(KindSitting, s.ID, file, Present)
	}
}

// importBookingID is the id of the booking imported for candidate on
// sitting: the same on every run, so a second run finds it.
func importBookingID(sitting, candidate string) string {
	h := sha256.Sum256([]byte(sitting + "\x00" + candidate))
	return "bk-file-" + hex.EncodeToString(h[:8])
}

// planBookings decides on each candidate of the content tree's sittings.
func (p *Programme) planBookings(ctx context.Context, pl *importPlan, v *storeView, by Actor, pf parsedFiles) error {
	booked := map[string]string{} // person to the sitting this import books them on
	for _, sid := range slices.Sorted(maps.Keys(pf.lib.Sittings)) {
		cs := pf.lib.Sittings[sid]
		file := cmp.Or(pf.sittingFile[sid], "sittings/"+sid+".json")
		def := importedSitting(cs, pf.lib.Staff)
		def.Status = p.owner[def.Form]
		old := v.sittings[sid]
		placed := 0
		for _, c := range cs.Candidates {
			ib, ok, err := p.planBooking(ctx, pl, v, by, file, def, old, c, booked)
			if err != nil {
				return err
			}
			if ok && !ib.seatOnly && (old == nil || old.seats[ib.b.ID].Booking == "") {
				placed++
			}
		}
		if old != nil && old.used+placed > old.def.Capacity {
			pl.fault(file, 0, "candidates", "sitting %s is stored with %d of its %d places taken: %d more do not fit", sid, old.used, old.def.Capacity, placed)
		}
	}
	return nil
}

// planBooking decides on candidate c of sitting def (old as stored, or
// nil); ok is true when the booking is to be stored.
func (p *Programme) planBooking(ctx context.Context, pl *importPlan, v *storeView, by Actor, file string, def Sitting, old *ledgerCopy,
	c content.Candidate, booked map[string]string) (importedBooking, bool, error) {
	where := "candidate " + c.ID
	per, ok := v.people[c.ID]
	if !ok {
		pl.fault(file, 0, where, "no person with id %s; import people first or give --people", c.ID)
		return importedBooking{}, false, nil
	}
	faults := len(pl.faults)
	if !strings.EqualFold(strings.TrimSpace(c.Name), strings.TrimSpace(per.Name)) {
		pl.fault(file, 0, where+": name", "the file has %q; person %s is %q", c.Name, per.ID, per.Name)
	}
	if e := strings.TrimSpace(c.Employer); e != "" {
		emp := v.employers[per.Employer]
		if !strings.EqualFold(e, emp.Name) && !strings.EqualFold(e, emp.ID) {
			pl.fault(file, 0, where+": employer", "the file has %q; person %s is with %s (%s)", c.Employer, per.ID, emp.Name, per.Employer)
		}
	}
	factor := c.Accommodation
	if factor == 1 {
		factor = 0 // no extra time
	}
	if factor != 0 && (factor <= 1 || factor > p.rules.MaxTimeFactor) {
		pl.fault(file, 0, where+": time_accommodation", "extra time factor %g: the programme allows more than 1 and at most %g", factor, p.rules.MaxTimeFactor)
	}
	if s, twice := booked[per.ID]; twice {
		pl.fault(file, 0, where, "person %s is a candidate of sitting %s too: a person holds one knowledge booking", per.ID, s)
	}
	booked[per.ID] = def.ID
	id := importBookingID(def.ID, c.ID)
	norm := content.NormCode(c.AccessCode)
	if o, taken := v.codes[norm]; taken && o.booking != id {
		pl.fault(file, 0, where+": access_code", "code %q is the access code of booking %s on sitting %s already", c.AccessCode, o.booking, o.sitting)
	}
	if other, taken := v.signIns.byCode[norm]; taken {
		pl.fault(file, 0, where+": access_code", "code %q is the sign-in code of staff %s", c.AccessCode, other)
	}
	adj := Adjustments{TimeFactor: factor, LargerText: c.LargerText}
	b := Booking{ID: id, Person: per.ID, Kind: Knowledge, Event: def.ID, Status: def.Status, Start: def.Start,
		Code: c.AccessCode, Adjustments: adj, Approved: adj.Any(), By: by, Made: p.now(), Source: file, State: BookingLive}
	if adj.Any() {
		b.ApprovedBy = by.ID
	}
	var stored *Booking
	var active *Booking
	err := p.persons.get(personStream(per.ID)).view(ctx, p.st, func(st *personState) {
		if x := st.bookings[id]; x != nil {
			cp := *x
			stored = &cp
		}
		if a := st.active(Knowledge); a != nil && a.ID != id {
			cp := *a
			active = &cp
		}
	})
	if err != nil {
		return importedBooking{}, false, err
	}
	seated := old != nil && old.seats[id].Booking != ""
	switch {
	case stored != nil && stored.State != BookingLive:
		pl.fault(file, 0, where, "booking %s of %s is %s since it was imported; an import does not book it again", id, per.ID, stored.State)
	case stored != nil:
		p.compareBooking(pl, file, where, *stored, b)
	case active != nil:
		pl.fault(file, 0, where, "%s is booked already on %s %s (%s)", per.ID, active.Kind, active.Event, active.ID)
	}
	if old != nil {
		if other, ok := seatOf(old, per.ID); ok && other != id {
			pl.fault(file, 0, where, "%s has a place on sitting %s already (booking %s)", per.ID, def.ID, other)
		}
	}
	if len(pl.faults) > faults {
		return importedBooking{}, false, nil
	}
	if stored != nil && seated {
		pl.report.add(KindBooking, id, file, Present)
		return importedBooking{}, false, nil
	}
	ib := importedBooking{b: b, seatOnly: stored != nil}
	v.codes[norm] = codeOwner{sitting: def.ID, booking: id}
	pl.bookings = append(pl.bookings, ib)
	pl.report.add(KindBooking, id, file, Created)
	return ib, true, nil
}

// compareBooking reports a fault for each field of an imported booking
// stored otherwise than the file now says.
func (p *Programme) compareBooking(pl *importPlan, file, where string, old, b Booking) {
	diffs := diffFields([]fieldPair{{"access_code", content.NormCode(old.Code), content.NormCode(b.Code)},
		{"time_accommodation", fmt.Sprint(old.Adjustments.TimeFactor), fmt.Sprint(b.Adjustments.TimeFactor)},
		{"larger_text", fmt.Sprint(old.Adjustments.LargerText), fmt.Sprint(b.Adjustments.LargerText)}})
	for _, d := range diffs {
		pl.fault(file, 0, where+": "+d.field, "booking %s is stored with %s %q; the file has %q", old.ID, d.field, d.stored, d.file)
	}
}

func seatOf(l *ledgerCopy, person string) (string, bool) {
	for id, s := range l.seats {
		if s.Person == person {
			return id, true
		}
	}
	return "", false
}

// applyImport stores a plan found faultless, in the order of ImportKinds.
func (p *Programme) applyImport(ctx context.Context, by Actor, pl *importPlan) error {
	if len(pl.employers) > 0 {
		if _, err := p.createEmployers(ctx, by, pl.employers, audit.ImportEmployers); err != nil {
			return err
		}
	}
	if len(pl.people) > 0 {
		if _, err := p.createPeople(ctx, by, pl.people, audit.ImportPeople); err != nil {
			return err
		}
	}
	if len(pl.staff) > 0 {
		if err := p.CreateStaff(ctx, by, pl.staff); err != nil {
			return err
		}
	}
	if len(pl.signIns) > 0 {
		if err := p.storeSignIns(ctx, by, pl.signIns); err != nil {
			return err
		}
	}
	for i := range pl.sittings {
		s := pl.sittings[i]
		if err := p.define(ctx, by, Knowledge, s.ID, &record{Kind: recSitting, By: &by, Sitting: &s}, audit.ImportContent); err != nil {
			return err
		}
	}
	for _, ib := range pl.bookings {
		if err := p.storeImportedBooking(ctx, ib); err != nil {
			return fmt.Errorf("booking %s of %s: %w", ib.b.ID, ib.b.Person, err)
		}
	}
	return nil
}

// storeSignIns appends the sign-ins in one record, refusing any whose id
// or code was stored meanwhile.
func (p *Programme) storeSignIns(ctx context.Context, by Actor, ss []content.Staff) error {
	_, err := audited(ctx, p, p.signInsW, nil, func(st *signInState) (*record, *audit.Entry, error) {
		var rs []Reason
		for _, s := range ss {
			if _, ok := st.byID[s.ID]; ok {
				rs = append(rs, reason(CodeExists, "the sign-in of %s was stored meanwhile", s.ID))
			} else if other, ok := st.byCode[content.NormCode(s.Code)]; ok {
				rs = append(rs, reason(CodeExists, "code of %s: the sign-in code of %s, stored meanwhile", s.ID, other))
			}
		}
		if err := refuse("import sign-ins", rs); err != nil {
			return nil, nil, err
		}
		ids := make([]string, len(ss))
		for i, s := range ss {
			ids[i] = s.ID
		}
		e := p.entry(ctx, by, audit.ImportContent, audit.Target{Kind: audit.TargetPerson, ID: ss[0].ID}, map[string]any{"file": staffFile, "sign_ins": ids})
		return &record{Kind: recSignIns, At: p.now(), By: &by, SignIns: ss}, e, nil
	})
	return err
}

// storeImportedBooking stores an imported booking on its person's stream
// and its seat on the sitting's, in one write where the store can (else
// the person's first, so that a run stopped between them is completed by
// the next run).
func (p *Programme) storeImportedBooking(ctx context.Context, ib importedBooking) error {
	b := ib.b
	pw := p.persons.get(personStream(b.Person))
	lw := p.ledgers.get(eventStream(Knowledge, b.Event))
	seat := Seat{Booking: b.ID, Person: b.Person, Code: b.Code}
	e := p.entry(ctx, b.By, audit.ImportContent, audit.Target{Kind: audit.TargetPerson, ID: b.Person}, map[string]any{"file": b.Source,
		"booking": b.ID, "event": b.Event, "adjustments": b.Adjustments, "seat_only": ib.seatOnly})
	decide := func(l *ledger) (*record, *audit.Entry, error) {
		rec, err := l.decideImportedSeat(seat, p.now())
		return rec, e, err
	}
	booked := &record{Kind: recBooked, At: b.Made, By: &b.By, Booking: &b}
	if !ib.seatOnly && !p.notAtomic.Load() {
		for range 5 {
			var n int64
			var have bool
			if err := pw.viewAt(ctx, p.st, func(st *personState, at int64) { n, have = at, st.bookings[b.ID] != nil }); err != nil {
				return err
			}
			if have {
				break
			}
			_, err := audited(ctx, p, lw, &sideWrite{stream: pw.stream, n: n, rec: booked}, decide)
			switch {
			case errors.Is(err, errSideMoved):
				continue
			case errors.Is(err, store.ErrNotAtomic):
				p.notAtomic.Store(true)
			case err != nil:
				return err
			default:
				pw.adoptRec(ctx, p.st, n, booked)
				return nil
			}
			break
		}
	}
	_, err := pw.do(ctx, p.st, func(st *personState) (*record, error) {
		if st.bookings[b.ID] != nil {
			return nil, nil
		}
		if a := st.active(Knowledge); a != nil {
			return nil, refuse("import booking", []Reason{reason(CodeAlreadyBooked, "%s is booked already on %s %s (%s)", b.Person, a.Kind, a.Event, a.ID)})
		}
		return booked, nil
	})
	if err != nil {
		return err
	}
	_, err = audited(ctx, p, lw, nil, decide)
	return err
}

// decideImportedSeat decides whether an imported booking's seat may take
// its place: as decideSeat, but a sitting that has started takes it too,
// since the file's candidates were admitted to it before the import.
func (l *ledger) decideImportedSeat(seat Seat, now time.Time) (*record, error) {
	if l.seats[seat.Booking] != nil {
		return nil, nil
	}
	_, capacity, ok := l.slot(seat.Slot)
	var rs []Reason
	switch {
	case !ok:
		rs = append(rs, reason(CodeInvalid, "no sitting to seat booking %s on", seat.Booking))
	case l.voided[seat.Booking]:
		rs = append(rs, reason(CodeNotLive, "booking %s was cleared", seat.Booking))
	}
	if other, ok := l.persons[seat.Person]; ok {
		rs = append(rs, reason(CodeAlreadyBooked, "%s already has a place here (booking %s)", seat.Person, other))
	}
	if ok && l.used[seat.Slot] >= capacity {
		rs = append(rs, reason(CodeFull, "all %d places are taken", capacity))
	}
	if err := refuse("import booking", rs); err != nil {
		return nil, err
	}
	seat.At = now
	return &record{Kind: recSeat, At: now, Seat: &seat}, nil
}

// fieldPair is one field of a record as stored and as the file has it.
type fieldPair struct{ field, stored, file string }

// diffFields returns the pairs that differ.
func diffFields(ps []fieldPair) []fieldPair {
	var out []fieldPair
	for _, f := range ps {
		if f.stored != f.file {
			out = append(out, f)
		}
	}
	return out
}

func sorted(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}

func sortStaff(ss []content.Staff) {
	slices.SortFunc(ss, func(a, b content.Staff) int { return strings.Compare(a.ID, b.ID) })
}

// sortFaults orders faults by file, line and column, keeping the order
// found within each.
func sortFaults(fs []Fault) {
	slices.SortStableFunc(fs, func(a, b Fault) int {
		return cmp.Or(strings.Compare(path.Clean(a.File), path.Clean(b.File)), a.Line-b.Line)
	})
}
