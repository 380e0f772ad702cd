package programme

import (
	"crypto/rand"
	"math/big"

	"github.com/accredit/accredit/engine/content"
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
		if code := string(b[0:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]); content.CheckCode(code) == "" {
			return code
		}
	}
}
