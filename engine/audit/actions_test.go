package audit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/accredit/accredit/engine/audit"
)

// TestActionsListsEveryAction: every Action constant of entry.go is in
// Actions once, in the order of the constants, and so is Known, as is its
// Aborted form; a name that is not an action is not.
func TestActionsListsEveryAction(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "entry.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []audit.Action
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Action" {
				continue
			}
			for _, v := range vs.Values {
				lit, err := strconv.Unquote(v.(*ast.BasicLit).Value)
				if err != nil {
					t.Fatal(err)
				}
				declared = append(declared, audit.Action(lit))
			}
		}
	}
	if len(declared) < 40 {
		t.Fatalf("found %d Action constants in entry.go; the parse missed some", len(declared))
	}
	if !slices.Equal(declared, audit.Actions()) {
		t.Errorf("Actions is not the constants in order:\nconstants %v\nActions   %v", declared, audit.Actions())
	}
	for _, a := range declared {
		if !a.Known() || !a.Aborted().Known() {
			t.Errorf("%s or its aborted form is not Known", a)
		}
	}
	for _, a := range []audit.Action{"employer.delete", "", ".aborted", "booking.create.aborted.aborted"} {
		if a.Known() {
			t.Errorf("%q is Known", a)
		}
	}
}
