package programme

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/accredit/accredit/engine/audit"
)

// NewPerson is a person to create with their monitoring answers, which are
// stored apart.
type NewPerson struct {
	Person     Person
	Monitoring Monitoring
}

// itemErrs are the invalid fields of each item of a batch, by index.
type itemErrs map[int][]fieldErr

func (ie itemErrs) add(i int, field, format string, args ...any) {
	ie[i] = append(ie[i], fieldErr{field, fmt.Sprintf(format, args...)})
}

// reasons lists ie's faults as reasons, naming each item by what(i).
func (ie itemErrs) reasons(n int, what func(int) string) []Reason {
	var out []Reason
	for i := range n {
		out = append(out, fieldReasons(what(i), ie[i])...)
	}
	return out
}

// checkEmployers decides which employers of a batch may be created on st.
func checkEmployers(st *dirState, es []Employer) itemErrs {
	ie := itemErrs{}
	seen := map[string]bool{}
	for i := range es {
		for _, fe := range es[i].check() {
			ie.add(i, fe.field, "%s", fe.msg)
		}
		if st.ids[es[i].ID] || seen[es[i].ID] {
			ie.add(i, "id", "employer %q exists", es[i].ID)
		}
		seen[es[i].ID] = true
	}
	return ie
}

// checkPeople decides which people of a batch may be created on st.
func (p *Programme) checkPeople(st *dirState, ps []NewPerson) itemErrs {
	ie := itemErrs{}
	ids, regs := map[string]int{}, map[string]int{}
	now := p.now()
	for i := range ps {
		per := &ps[i].Person
		for _, fe := range per.check(now, p.idx.hasEmployer) {
			ie.add(i, fe.field, "%s", fe.msg)
		}
		if j, dup := ids[per.ID]; dup || st.ids[per.ID] {
			ie.add(i, "id", "person %q exists%s", per.ID, also(dup, j))
		}
		r := normReg(per.Registration)
		if j, dup := regs[r]; r != "" && (dup || st.regs[r]) {
			ie.add(i, "registration", "registration number %q is taken%s", per.Registration, also(dup, j))
		}
		ids[per.ID], regs[r] = i, i
	}
	return ie
}

// batchState is the state an audit entry gives of a batch of n created
// records of kind: the record itself when it is the only one, else how
// many and the first's id.
func batchState(kind string, n int, first string, only any) any {
	if n == 1 {
		return only
	}
	return map[string]any{kind: n, "first": first}
}

// also names the earlier item of a batch that holds the same value.
func also(dup bool, j int) string {
	if !dup {
		return ""
	}
	return fmt.Sprintf(" (also in row %d)", j+1)
}

// CreateEmployers adds employers, all or none. Only an administrator may.
func (p *Programme) CreateEmployers(ctx context.Context, by Actor, es []Employer) error {
	if err := p.requireAdmin("create employers", by); err != nil {
		return err
	}
	_, err := p.createEmployers(ctx, by, es, audit.EmployerCreate)
	return err
}

func (p *Programme) createEmployers(ctx context.Context, by Actor, es []Employer, act audit.Action) (itemErrs, error) {
	var ie itemErrs
	_, err := audited(ctx, p, p.employersW, nil, func(st *dirState) (*record, *audit.Entry, error) {
		if ie = checkEmployers(st, es); len(ie) > 0 {
			return nil, nil, refuse("create employers", ie.reasons(len(es), func(i int) string { return fmt.Sprintf("employer %d (%s)", i+1, es[i].ID) }))
		}
		e := p.entry(ctx, by, act, audit.Target{Kind: TargetEmployer, ID: es[0].ID}, batchState("employers", len(es), es[0].ID, es[0]))
		return &record{Kind: recEmployers, At: p.now(), By: &by, Employers: es}, e, nil
	})
	return ie, err
}

// CreatePeople adds people, all or none. Only an administrator may.
func (p *Programme) CreatePeople(ctx context.Context, by Actor, ps []NewPerson) error {
	if err := p.requireAdmin("create people", by); err != nil {
		return err
	}
	_, err := p.createPeople(ctx, by, ps, audit.PersonCreate)
	return err
}

// createPeople stores the monitoring answers first, under a fresh batch
// id, then the people with the same batch id on condition that the
// registry has not changed: answers of a batch that was refused are
// never read.
func (p *Programme) createPeople(ctx context.Context, by Actor, ps []NewPerson, act audit.Action) (itemErrs, error) {
	if len(ps) == 0 {
		return nil, refuse("create people", []Reason{reason(CodeInvalid, "no people")})
	}
	checked := map[string]bool{}
	for _, np := range ps { // the registry's checks use the index
		if e := np.Person.Employer; !checked[e] {
			checked[e] = true
			if _, err := p.hasEmployer(ctx, e); err != nil {
				return nil, err
			}
		}
	}
	batch := newID("b")
	mon := map[string]Monitoring{}
	people := make([]Person, len(ps))
	for i, np := range ps {
		people[i] = np.Person
		people[i].Started = day(np.Person.Started)
		if np.Monitoring != (Monitoring{}) {
			mon[np.Person.ID] = np.Monitoring
		}
	}
	var ie itemErrs
	written := false
	_, err := audited(ctx, p, p.peopleW, nil, func(st *dirState) (*record, *audit.Entry, error) {
		if ie = p.checkPeople(st, ps); len(ie) > 0 {
			return nil, nil, refuse("create people", ie.reasons(len(ps), func(i int) string { return fmt.Sprintf("person %d (%s)", i+1, ps[i].Person.ID) }))
		}
		if !written && len(mon) > 0 {
			b, _ := json.Marshal(&record{Kind: recMonitoring, At: p.now(), Batch: batch, Monitoring: mon})
			if _, err := p.st.Append(ctx, streamMonitoring, -1, b); err != nil {
				return nil, nil, fmt.Errorf("append %s: %w", streamMonitoring, err)
			}
			written = true
		}
		e := p.entry(ctx, by, act, audit.Target{Kind: audit.TargetPerson, ID: ps[0].Person.ID}, batchState("people", len(ps), ps[0].Person.ID, people[0]))
		return &record{Kind: recPeople, At: p.now(), By: &by, Batch: batch, People: people}, e, nil
	})
	return ie, err
}

// CreateStaff adds supervisors and employer administrators, all or none.
// Only an administrator may.
func (p *Programme) CreateStaff(ctx context.Context, by Actor, ss []Staff) error {
	if err := p.requireAdmin("create staff", by); err != nil {
		return err
	}
	for _, s := range ss {
		if _, err := p.hasEmployer(ctx, s.Employer); err != nil {
			return err
		}
	}
	_, err := audited(ctx, p, p.staffW, nil, func(st *dirState) (*record, *audit.Entry, error) {
		ie := itemErrs{}
		seen := map[string]bool{}
		for i := range ss {
			for _, fe := range ss[i].check(p.idx.hasEmployer) {
				ie.add(i, fe.field, "%s", fe.msg)
			}
			if st.ids[ss[i].ID] || seen[ss[i].ID] {
				ie.add(i, "id", "staff %q exists", ss[i].ID)
			}
			seen[ss[i].ID] = true
		}
		if len(ie) > 0 || len(ss) == 0 {
			rs := ie.reasons(len(ss), func(i int) string { return fmt.Sprintf("staff %d (%s)", i+1, ss[i].ID) })
			return nil, nil, refuse("create staff", append(rs, reasonIf(len(ss) == 0, CodeInvalid, "no staff")...))
		}
		e := p.entry(ctx, by, audit.StaffCreate, audit.Target{Kind: TargetEmployer, ID: ss[0].Employer}, ss)
		return &record{Kind: recStaff, At: p.now(), By: &by, Staff: ss}, e, nil
	})
	return err
}

func reasonIf(cond bool, c Code, msg string) []Reason {
	if !cond {
		return nil
	}
	return []Reason{{Code: c, Message: msg}}
}

// requireAdmin refuses op to anyone but a programme administrator.
func (p *Programme) requireAdmin(op string, by Actor) error {
	if by.Kind != ActorAdmin || by.ID == "" {
		return refuse(op, []Reason{reason(CodeNotPermitted, "only a programme administrator may %s", op)})
	}
	return nil
}

// MonitoringRecord is one person's monitoring answers.
type MonitoringRecord struct {
	Person     string
	Employer   string
	Monitoring Monitoring
}

// Monitoring returns every person's monitoring answers, for the fairness
// and workforce reports only: no page for assessors, invigilators or
// supervisors may call it. Answers stored with a batch of people that was
// refused are skipped.
func (p *Programme) Monitoring(ctx context.Context) ([]MonitoringRecord, error) {
	if err := p.peopleW.view(ctx, p.st, func(*dirState) {}); err != nil {
		return nil, err
	}
	recs, err := p.st.Read(ctx, streamMonitoring, 0)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", streamMonitoring, err)
	}
	latest := map[string]Monitoring{}
	for i, b := range recs {
		var r record
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%w: %s record %d: %v", ErrCorrupt, streamMonitoring, i, err)
		}
		p.idx.mu.RLock()
		ok := p.idx.batches[r.Batch]
		p.idx.mu.RUnlock()
		if !ok {
			continue
		}
		for id, m := range r.Monitoring {
			latest[id] = m
		}
	}
	people := list(p.idx, p.idx.people, nil)
	out := make([]MonitoringRecord, 0, len(latest))
	for _, per := range people {
		if m, ok := latest[per.ID]; ok {
			out = append(out, MonitoringRecord{Person: per.ID, Employer: per.Employer, Monitoring: m})
		}
	}
	return out, nil
}
