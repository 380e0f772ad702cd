package livesession

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// MaxSeq is the largest seq a frame may carry: the largest integer a
// JavaScript number holds exactly, 2^53 - 1.
const MaxSeq = 1<<53 - 1

// ErrSeqRange is the error of a seq that is a JSON number but not an
// integer from 0 to MaxSeq written in digits; each protocol answers it
// with its own code.
var ErrSeqRange = errors.New("seq must be an integer from 1 to 9007199254740991 (2^53 - 1), written in digits")

// DecodeObject unmarshals the JSON object b into v with encoding/json,
// after checking that no key of the object appears twice: encoding/json
// would keep the last, and matches keys to fields ignoring case, so keys
// that differ only in case count as the same key. Errors are *Error with
// CodeBadFrame. Only the top level is checked: frames hold no nested
// objects.
func DecodeObject(b []byte, v any) error {
	if err := uniqueKeys(b); err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return Errorf(CodeBadFrame, "malformed frame: %v", err)
	}
	return nil
}

func uniqueKeys(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	if t, err := d.Token(); err != nil {
		return Errorf(CodeBadFrame, "malformed frame: %v", err)
	} else if t != json.Delim('{') {
		return Errorf(CodeBadFrame, "frame is not a JSON object")
	}
	seen := map[string]bool{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return Errorf(CodeBadFrame, "malformed frame: %v", err)
		}
		k, _ := t.(string) // the decoder allows only strings here
		f := fold(k)
		if seen[f] {
			return Errorf(CodeBadFrame, "key %q appears twice in the frame", k)
		}
		seen[f] = true
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return Errorf(CodeBadFrame, "malformed frame: %v", err)
		}
	}
	return nil
}

// fold maps each rune of s to the smallest rune of its Unicode simple case
// folding orbit, so that two keys encoding/json matches alike fold alike.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, s)
}

// ParseSeq decodes a frame's raw "seq" value: absent or null is 0 (the
// protocol refuses a change without one). A value that is not a JSON
// number is an *Error with CodeBadFrame; a number with a sign, a fraction
// or an exponent, or over MaxSeq, wraps ErrSeqRange.
func ParseSeq(raw json.RawMessage) (uint64, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "" || s == "null" {
		return 0, nil
	}
	if c := s[0]; c != '-' && (c < '0' || c > '9') {
		return 0, Errorf(CodeBadFrame, "malformed frame: seq must be a number, got %.20s", s)
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || n > MaxSeq {
			return 0, fmt.Errorf("%w, got %.30s", ErrSeqRange, s)
		}
		n = n*10 + uint64(c-'0')
	}
	if n > MaxSeq {
		return 0, fmt.Errorf("%w, got %.30s", ErrSeqRange, s)
	}
	return n, nil
}
