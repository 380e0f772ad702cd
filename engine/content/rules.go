package content

import (
	"fmt"
	"strings"
)

// maxIDLen bounds ids: they become CSV column names and store keys.
const maxIDLen = 64

// checkID reports why id is not a usable id, or "" when it is: 1 to 64
// letters, digits, '-', '_' or '.', starting with a letter or digit.
func checkID(id string) string {
	if id == "" {
		return "missing id"
	}
	if len(id) > maxIDLen {
		return fmt.Sprintf("id %q is longer than %d characters", id, maxIDLen)
	}
	for i, r := range id {
		if isAlnum(r) || (i > 0 && (r == '-' || r == '_' || r == '.')) {
			continue
		}
		return fmt.Sprintf("id %q: use letters, digits, '-', '_' or '.', starting with a letter or digit", id)
	}
	return ""
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// Limits on access and sign-in codes, counted on the normalised code.
const (
	minCodeLen      = 8
	maxCodeLen      = 32
	minCodeDistinct = 5
	maxCodeRun      = 3 // longest run of repeated or consecutive characters
)

// normCode is the form in which codes are compared: upper case, without
// hyphens or spaces.
// NormCode is how codes are compared: capitals, without hyphens or spaces.
func NormCode(code string) string { return normCode(code) }

func normCode(code string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
}

// CheckCode reports why code is not an acceptable access or sign-in code,
// or "" when it is: the rule checkCode applies to every code of the
// content files, for codes made elsewhere (the programme's bookings).
func CheckCode(code string) string { return checkCode(code) }

// checkCode reports why code is not an acceptable access or sign-in code, or
// "" when it is. A code is written in capital letters, digits and hyphens;
// without its hyphens it has 8 to 32 characters, at least one letter and one
// digit, at least 5 different characters, and no run of 4 repeated or
// consecutive characters ("1111", "1234", "DCBA"). The rule refuses
// demo-style codes; it cannot measure randomness, so real codes must still
// be generated at random.
func checkCode(code string) string {
	for _, r := range code {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Sprintf("code %q: use capital letters, digits and hyphens only", code)
		}
	}
	n := normCode(code)
	switch {
	case len(n) < minCodeLen || len(n) > maxCodeLen:
		return fmt.Sprintf("code %q: want %d to %d letters and digits, not counting hyphens", code, minCodeLen, maxCodeLen)
	case !strings.ContainsAny(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || !strings.ContainsAny(n, "0123456789"):
		return fmt.Sprintf("code %q is guessable: want both letters and digits", code)
	case distinct(n) < minCodeDistinct:
		return fmt.Sprintf("code %q is guessable: want at least %d different characters", code, minCodeDistinct)
	case longestRun(n) > maxCodeRun:
		return fmt.Sprintf("code %q is guessable: it has a run such as 1111, 1234 or ABCD", code)
	}
	return ""
}

func distinct(s string) int {
	seen := map[byte]bool{}
	for i := range len(s) {
		seen[s[i]] = true
	}
	return len(seen)
}

// longestRun is the length of the longest stretch of s in which each
// character equals, or is one more or one less than, the one before, all
// with the same step ("AAAA", "1234", "9876").
func longestRun(s string) int {
	best, run, step := min(len(s), 1), 1, 0
	for i := 1; i < len(s); i++ {
		d := int(s[i]) - int(s[i-1])
		switch {
		case d >= -1 && d <= 1 && (run == 1 || d == step):
			run++
		case d >= -1 && d <= 1:
			run = 2
		default:
			run = 1
		}
		step = d
		best = max(best, run)
	}
	return best
}

// validStatus reports whether s is draft, live or retired.
func validStatus(s Status) bool {
	return s == StatusDraft || s == StatusLive || s == StatusRetired
}

// staffRoles are the roles a staff member may hold.
var staffRoles = []Role{RoleInvigilator, RoleAssessor, RoleLeadAssessor, RolePsychometrician, RoleAdministrator, RoleAuditor,
	RoleSupervisor, RoleEmployerAdmin}
