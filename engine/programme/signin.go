package programme

import (
	"context"
	"fmt"

	"github.com/accredit/accredit/engine/content"
)

// Staff sign-ins imported from a content tree's staff.json
// (importfiles.go): invigilators, assessors, lead assessors,
// psychometricians, administrators, auditors, supervisors and employer
// administrators, each with the personal code they sign in with. They live
// on the stream programme/signins, so every node on the store signs them in
// without the file. Records only ever add sign-ins; an import refuses to
// change one.

// signInState is the copy of the sign-ins stream.
type signInState struct {
	byID   map[string]content.Staff
	byCode map[string]string // normalised code to staff id
}

func newSignInState() *signInState {
	return &signInState{byID: map[string]content.Staff{}, byCode: map[string]string{}}
}

func (s *signInState) apply(r *record) error {
	if r.Kind != recSignIns {
		return fmt.Errorf("unexpected %q record", r.Kind)
	}
	for _, st := range r.SignIns {
		s.byID[st.ID] = st
		s.byCode[content.NormCode(st.Code)] = st.ID
	}
	return nil
}

// SignIn returns the imported sign-in of staff member id; ok is false when
// there is none.
func (p *Programme) SignIn(ctx context.Context, id string) (st content.Staff, ok bool, err error) {
	return p.findSignIn(ctx, func(s *signInState) (content.Staff, bool) {
		st, ok := s.byID[id]
		return st, ok
	})
}

// SignInByCode returns the imported sign-in whose code is code, matched as
// the content library matches codes (content.NormCode); ok is false when
// there is none.
func (p *Programme) SignInByCode(ctx context.Context, code string) (st content.Staff, ok bool, err error) {
	norm := content.NormCode(code)
	if norm == "" {
		return content.Staff{}, false, nil
	}
	return p.findSignIn(ctx, func(s *signInState) (content.Staff, bool) {
		st, ok := s.byID[s.byCode[norm]]
		return st, ok
	})
}

// findSignIn looks in this node's copy, and on a miss in the stream as
// stored: a sign-in imported since this node read it.
func (p *Programme) findSignIn(ctx context.Context, find func(*signInState) (content.Staff, bool)) (content.Staff, bool, error) {
	var st content.Staff
	var ok bool
	look := func(s *signInState) { st, ok = find(s) }
	if err := p.signInsW.peek(ctx, p.st, look); err != nil || ok {
		return cloneStaff(st), ok, err
	}
	err := p.signInsW.view(ctx, p.st, look)
	return cloneStaff(st), ok, err
}

// SignIns lists every imported sign-in, by id.
func (p *Programme) SignIns(ctx context.Context) ([]content.Staff, error) {
	var out []content.Staff
	err := p.signInsW.view(ctx, p.st, func(s *signInState) {
		for _, st := range s.byID {
			out = append(out, cloneStaff(st))
		}
	})
	sortStaff(out)
	return out, err
}

func cloneStaff(st content.Staff) content.Staff {
	st.Sittings = append([]string(nil), st.Sittings...)
	return st
}
