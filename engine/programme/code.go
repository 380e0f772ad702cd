package programme

import (
	"crypto/rand"
	"math/big"
	"strings"
)

// CodeAlphabet is the 31 symbols of access codes: digits and capitals
// without the look-alikes 0, 1, I, L and O.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// codeLen is the symbols of an access code, written in groups of four
// (docs/sign-in-throttle.md: 12 symbols keep guessing hopeless).
const codeLen = 12

// NewCode returns a fresh access code such as 7QK4-M2XZ-9PRT, each symbol
// drawn uniformly from CodeAlphabet with crypto/rand and the whole redrawn
// until it passes the code rules of the content package: a letter and a
// digit, at least 5 different symbols, no run of 4 repeated or
// consecutive ones.
func NewCode() string {
	max := big.NewInt(int64(len(CodeAlphabet)))
	for {
		var b [codeLen]byte
		for i := range b {
			n, err := rand.Int(rand.Reader, max)
			if err != nil {
				panic("programme: crypto/rand failed: " + err.Error())
			}
			b[i] = CodeAlphabet[n.Int64()]
		}
		if codeAcceptable(string(b[:])) {
			return string(b[0:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12])
		}
	}
}

// codeAcceptable applies the code rules to s, written without hyphens.
func codeAcceptable(s string) bool {
	if !strings.ContainsAny(s, "23456789") || !strings.ContainsAny(s, "ABCDEFGHJKMNPQRSTUVWXYZ") {
		return false
	}
	seen := map[byte]bool{}
	for i := range len(s) {
		seen[s[i]] = true
	}
	if len(seen) < 5 {
		return false
	}
	run, step := 1, 0
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
		if run > 3 {
			return false
		}
	}
	return true
}
