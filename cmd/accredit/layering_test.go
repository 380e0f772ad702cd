package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/accredit/accredit/"

// layers says, for each part of the module, which of the module's packages
// its (non-test) files may import, by path prefix. A part not listed may
// import anything below it; the order of the README's layout table.
var layers = []struct {
	part  string
	may   []string
	never []string
}{
	{part: "engine/store", may: []string{"engine/store"}},
	{part: "internal", may: []string{"internal"}},
	{part: "scoring", may: []string{"scoring", "engine/content", "engine/roleplay", "internal"}},
	{part: "standardsetting", may: []string{"standardsetting", "scoring", "engine/content", "engine/roleplay", "internal"}},
	{part: "engine/content", may: []string{"engine/content", "internal"}},
	{part: "engine/roleplay", may: []string{"engine/roleplay", "engine/content", "internal"}},
	{part: "engine", never: []string{"web", "cmd", "bench"}},
}

// TestLayering reads every package's imports from source and fails when one
// crosses its layer: the store and internal/ import nothing above them, the
// numerics only the model, and nothing below web or cmd imports them.
func TestLayering(t *testing.T) {
	eachGoFile(t, false, parser.ImportsOnly, func(rel string, _ *token.FileSet, f *ast.File) {
		pkg := path.Dir(rel)
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			if !strings.HasPrefix(ip, module) {
				continue
			}
			if why := crosses(pkg, strings.TrimPrefix(ip, module)); why != "" {
				t.Errorf("%s imports %s: %s", rel, ip, why)
			}
		}
	})
}

// crosses reports why package pkg may not import dep, or "".
func crosses(pkg, dep string) string {
	for _, l := range layers {
		if !within(pkg, l.part) {
			continue
		}
		for _, n := range l.never {
			if within(dep, n) {
				return l.part + " never imports " + n
			}
		}
		if l.may == nil {
			return ""
		}
		for _, m := range l.may {
			if within(dep, m) {
				return ""
			}
		}
		return l.part + " imports only " + strings.Join(l.may, ", ")
	}
	return ""
}

func within(pkg, part string) bool { return pkg == part || strings.HasPrefix(pkg, part+"/") }

func TestCrosses(t *testing.T) {
	for _, tc := range []struct {
		pkg, dep string
		ok       bool
	}{
		{"engine/store/bolt", "engine/store", true},
		{"engine/store/bolt", "engine", false},
		{"internal/throttle", "internal/clock", true},
		{"internal/wsconn", "engine", false},
		{"scoring/rpscore", "engine/roleplay", true},
		{"scoring", "engine/marking", false},
		{"standardsetting", "engine/store", false},
		{"engine/marking", "web", false},
		{"engine/marking", "engine/store", true},
		{"web", "engine/marking", true},
	} {
		if got := crosses(tc.pkg, tc.dep) == ""; got != tc.ok {
			t.Errorf("%s importing %s allowed = %v, want %v", tc.pkg, tc.dep, got, tc.ok)
		}
	}
}
