package content

import (
	"fmt"
	"slices"
)

// Accommodation bounds: a time factor is 0 (none) or from 1 to 3.
const (
	minAccommodation = 1
	maxAccommodation = 3
)

// checkSittings checks sittings and indexes their candidates by access code,
// which must be unique across all sittings.
func (l *loader) checkSittings() {
	sittings, codes := map[string]where{}, map[string]where{}
	for fi := range l.sittings {
		f := &l.sittings[fi]
		s := &f.Value
		if l.define(sittings, "sitting", s.ID, f.Name, "") {
			l.lib.Sittings[s.ID] = s
		}
		switch form := l.lib.Forms[s.Form]; {
		case s.Form == "":
			l.errs.Add(ErrInvalid, f.Name, "form", "missing")
		case form == nil:
			l.errs.Add(ErrReference, f.Name, "form", "form %q is not defined", s.Form)
		case form.Status != StatusLive:
			l.errs.Add(ErrReference, f.Name, "form", "form %q is %s; a sitting uses a live form", s.Form, form.Status)
		}
		l.require(s.Centre, f.Name, "centre")
		if s.Scheduled.IsZero() {
			l.errs.Add(ErrInvalid, f.Name, "scheduled", "missing")
		}
		if s.LateAfterMinutes < 0 || s.MaxExtraMinutes < 0 {
			l.errs.Add(ErrInvalid, f.Name, "late_after_minutes", "want minutes of 0 or more")
		}
		if s.RejoinGraceSeconds < 0 {
			l.errs.Add(ErrInvalid, f.Name, "rejoin_grace_seconds", "want seconds of 0 or more")
		}
		if len(s.Candidates) == 0 {
			l.errs.Add(ErrInvalid, f.Name, "candidates", "want at least one candidate")
		}
		ids := map[string]where{}
		for ci := range s.Candidates {
			c, p := &s.Candidates[ci], fmt.Sprintf("candidates[%d]", ci)
			l.define(ids, "candidate", c.ID, f.Name, p)
			l.require(c.Name, f.Name, join(p, "name"))
			if a := c.Accommodation; a != 0 && (a < minAccommodation || a > maxAccommodation) {
				l.errs.Add(ErrInvalid, f.Name, join(p, "time_accommodation"), "want 0 (none) or a factor from %d to %d, got %g", minAccommodation, maxAccommodation, a)
			}
			if l.checkCodeAt(codes, c.AccessCode, f.Name, join(p, "access_code")) {
				l.lib.byCode[normCode(c.AccessCode)] = codeRef{sitting: s, candidate: c}
			}
		}
	}
	l.accessCodes = codes
}

// checkCodeAt checks a code and that it is not already in codes, then adds it.
func (l *loader) checkCodeAt(codes map[string]where, code, file, path string) bool {
	if msg := checkCode(code); msg != "" {
		l.errs.Add(ErrInvalid, file, path, "%s", msg)
		return false
	}
	n := normCode(code)
	if w, dup := codes[n]; dup {
		l.errs.Add(ErrDuplicate, file, path, "code %q is already used in %s at %s", code, w.file, w.path)
		return false
	}
	codes[n] = where{file, path}
	return true
}

// checkStaff checks staff.json: sign-in codes must differ from one another
// and from every access code, and only invigilators list sittings.
func (l *loader) checkStaff() {
	if l.staff == nil {
		return
	}
	file := l.staff.Name
	l.lib.Staff = l.staff.Value
	ids, codes, assessors := map[string]where{}, map[string]where{}, map[string]where{}
	for i := range l.lib.Staff {
		st, p := &l.lib.Staff[i], fmt.Sprintf("[%d]", i)
		l.define(ids, "staff", st.ID, file, p)
		l.require(st.Name, file, join(p, "name"))
		if !slices.Contains(staffRoles, st.Role) {
			l.errs.Add(ErrInvalid, file, join(p, "role"), "%q is not one of %v", st.Role, staffRoles)
		}
		cp := join(p, "code")
		if w, clash := l.accessCodes[normCode(st.Code)]; clash {
			l.errs.Add(ErrDuplicate, file, cp, "code %q is also an access code, in %s at %s", st.Code, w.file, w.path)
		} else if l.checkCodeAt(codes, st.Code, file, cp) {
			l.lib.staffByCode[normCode(st.Code)] = i
		}
		l.checkStaffSittings(file, p, st)
		if st.Employer != "" && st.Role != RoleSupervisor && st.Role != RoleEmployerAdmin {
			l.errs.Add(ErrInvalid, file, join(p, "employer"), "only a supervisor or employer administrator belongs to an employer; this is a %s", st.Role)
		}
		l.checkStaffAssessor(assessors, file, p, st)
	}
}

// checkStaffAssessor checks the link from an assessor's staff record to
// the role-play model; the model itself is checked where both are loaded.
func (l *loader) checkStaffAssessor(seen map[string]where, file, p string, st *Staff) {
	if st.Assessor == "" || !slices.Contains(staffRoles, st.Role) {
		return // nothing to check, or the role is reported already
	}
	ap := join(p, "assessor")
	if st.Role != RoleAssessor && st.Role != RoleLeadAssessor {
		l.errs.Add(ErrInvalid, file, ap, "only an assessor or lead assessor marks role-plays; this is a %s", st.Role)
		return
	}
	if w, dup := seen[st.Assessor]; dup {
		l.errs.Add(ErrDuplicate, file, ap, "assessor %q is already linked at %s", st.Assessor, w.path)
		return
	}
	seen[st.Assessor] = where{file: file, path: ap}
}

func (l *loader) checkStaffSittings(file, p string, st *Staff) {
	if len(st.Sittings) > 0 && st.Role != RoleInvigilator {
		l.errs.Add(ErrInvalid, file, join(p, "sittings"), "only an invigilator runs sittings; this is a %s", st.Role)
		return
	}
	for j, id := range st.Sittings {
		sp := fmt.Sprintf("%s.sittings[%d]", p, j)
		switch {
		case l.lib.Sittings[id] == nil:
			l.errs.Add(ErrReference, file, sp, "sitting %q is not defined", id)
		case slices.Index(st.Sittings, id) < j:
			l.errs.Add(ErrDuplicate, file, sp, "sitting %q is listed twice", id)
		}
	}
}
