package jsonfile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decode is strict: unknown fields, repeated fields, invalid UTF-8 and
// trailing data are errors, and field names match exactly.
func decode(data []byte, v any) error {
	return json.Unmarshal(data, v, json.RejectUnknownMembers(true))
}

// describe turns a decoding error into a field path and a message; mismatch
// words a value of the wrong JSON type.
func describe(data []byte, err error, mismatch func(*json.SemanticError) string) (path, msg string) {
	var serr *json.SemanticError
	if errors.As(err, &serr) {
		if serr.Err == json.ErrUnknownName {
			return fieldPath(serr.JSONPointer), "unknown field"
		}
		if syn, ok := serr.Err.(*jsontext.SyntacticError); ok {
			return describeSyntax(data, syn)
		}
		if serr.Err != nil {
			return fieldPath(serr.JSONPointer), serr.Err.Error()
		}
		return fieldPath(serr.JSONPointer), mismatch(serr)
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return describeSyntax(data, syn)
	}
	return "", err.Error()
}

func describeSyntax(data []byte, syn *jsontext.SyntacticError) (path, msg string) {
	line, col := position(data, syn.ByteOffset)
	text := strings.TrimPrefix(syn.Err.Error(), "jsontext: ")
	if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
		text = "field given twice"
	}
	return fieldPath(syn.JSONPointer), fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, text)
}

// position converts a byte offset into a 1-based line and column; an
// offset outside data is clamped to it.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + len(before) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}

// fieldPath writes a JSON pointer ("/items/3/key/0") as a field path
// ("items[3].key[0]").
func fieldPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}
