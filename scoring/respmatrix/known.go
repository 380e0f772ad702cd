package respmatrix

import (
	"fmt"
	"strings"
)

// maxNamed bounds the unknown item ids an error lists.
const maxNamed = 20

// CheckItems returns nil when known reports every id of items (the item
// columns of file), and otherwise a *ParseError wrapping ErrUnknownItem
// that names the unknown ids (the first 20, then a count) and source, where
// they were looked for ("the key key.csv", "the item bank"). When an unknown
// id is what R's read.csv makes of a known one (K-001 read as K.001, 1a as
// X1a), the error says to read with check.names = FALSE: a file written back
// by R would otherwise hold new items.
func CheckItems(file string, items []string, source string, known func(id string) bool) error {
	return checkItems(file, items, source, known, ErrUnknownItem)
}

// checkItems is CheckItems with the sentinel to wrap.
func checkItems(file string, items []string, source string, known func(id string) bool, sentinel error) error {
	var unknown []string
	hint := ""
	for _, id := range items {
		if known(id) {
			continue
		}
		unknown = append(unknown, id)
		if orig, ok := undoRNames(id, known); ok && hint == "" {
			hint = fmt.Sprintf(" (%s looks like R's name for %s: read the file with check.names = FALSE)", id, orig)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	named, more := unknown, ""
	if len(named) > maxNamed {
		named, more = named[:maxNamed], fmt.Sprintf(" and %d more", len(unknown)-maxNamed)
	}
	return parseErr(file, 1, "", sentinel, "%d of %d item columns not in %s: %s%s%s",
		len(unknown), len(items), source, strings.Join(named, ", "), more, hint)
}

// undoRNames guesses the known id that R's make.names turned into id: it
// writes '-' as '.' and puts an X before a leading digit.
func undoRNames(id string, known func(string) bool) (string, bool) {
	cands := []string{strings.ReplaceAll(id, ".", "-")}
	if len(id) > 1 && id[0] == 'X' && id[1] >= '0' && id[1] <= '9' {
		cands = append(cands, id[1:], strings.ReplaceAll(id[1:], ".", "-"))
	}
	for _, c := range cands {
		if c != id && known(c) {
			return c, true
		}
	}
	return "", false
}
