package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// Kinds of import, in the order their groups stand.
const (
	importStd = iota
	importThirdParty
	importModule
)

func importKind(path string) int {
	switch {
	case strings.HasPrefix(path, module):
		return importModule
	case strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
		return importThirdParty
	}
	return importStd
}

// importGroupFault says what is wrong with a file's import groups, each a
// list of kinds, or "": every group is of one kind, and the groups stand
// standard library, third-party, module, each once at most.
func importGroupFault(groups [][]int) string {
	names := []string{"standard library", "third-party", "module"}
	last := -1
	for _, g := range groups {
		for _, k := range g[1:] {
			if k != g[0] {
				return "a group mixes " + names[g[0]] + " and " + names[k] + " imports"
			}
		}
		switch {
		case g[0] == last:
			return "the " + names[g[0]] + " imports stand in two groups"
		case g[0] < last:
			return "the " + names[g[0]] + " group stands after the " + names[last] + " group"
		}
		last = g[0]
	}
	return ""
}

// TestImportGroups: every Go file groups its imports standard library,
// third-party, module, a blank line between groups.
func TestImportGroups(t *testing.T) {
	eachGoFile(t, true, parser.ImportsOnly, func(rel string, fset *token.FileSet, f *ast.File) {
		var groups [][]int
		prev := 0
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			line := fset.Position(im.Pos()).Line
			if len(groups) == 0 || line > prev+1 {
				groups = append(groups, nil)
			}
			groups[len(groups)-1] = append(groups[len(groups)-1], importKind(ip))
			prev = line
		}
		if why := importGroupFault(groups); why != "" {
			t.Errorf("%s: %s", rel, why)
		}
	})
}

func TestImportGroupFault(t *testing.T) {
	for _, tc := range []struct {
		groups [][]int
		ok     bool
	}{
		{nil, true},
		{[][]int{{importStd, importStd}, {importThirdParty}, {importModule, importModule}}, true},
		{[][]int{{importStd}, {importModule}}, true},
		{[][]int{{importStd, importModule}}, false},
		{[][]int{{importStd}, {importModule}, {importThirdParty}}, false},
		{[][]int{{importStd}, {importModule}, {importModule}}, false},
	} {
		if got := importGroupFault(tc.groups) == ""; got != tc.ok {
			t.Errorf("%v: ok = %v, want %v", tc.groups, got, tc.ok)
		}
	}
	for path, want := range map[string]int{"fmt": importStd, "net/http": importStd, "go.etcd.io/bbolt": importThirdParty,
		"github.com/gorilla/websocket": importThirdParty, module + "engine": importModule} {
		if got := importKind(path); got != want {
			t.Errorf("importKind(%q) = %d, want %d", path, got, want)
		}
	}
}
