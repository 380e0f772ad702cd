package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestNoExportedVars: no package of the tree but a test-support one
// (named ...test) exports a variable other than an error value (Err...),
// since any importer could change it; a list is a function returning a
// copy.
func TestNoExportedVars(t *testing.T) {
	eachGoFile(t, false, parser.SkipObjectResolution, func(rel string, _ *token.FileSet, f *ast.File) {
		if strings.HasSuffix(f.Name.Name, "test") {
			return
		}
		for _, name := range exportedVars(f) {
			t.Errorf("%s: exported variable %s", rel, name)
		}
	})
}

// exportedVars returns the names of f's exported package-level variables
// that are not errors by name (Err...).
func exportedVars(f *ast.File) []string {
	var out []string
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				if n.IsExported() && !strings.HasPrefix(n.Name, "Err") {
					out = append(out, n.Name)
				}
			}
		}
	}
	return out
}

func TestExportedVars(t *testing.T) {
	src := `package p
var Kinds = []string{"a"}
var ErrBad = errors.New("bad")
var (
	kinds = []string{"a"}
	Limit, errFew = 3, errors.New("few")
)
func f() { var Local = 1; _ = Local }
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(exportedVars(f), ","); got != "Kinds,Limit" {
		t.Errorf("exported variables %q, want Kinds,Limit", got)
	}
}
