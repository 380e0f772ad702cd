package roleplay

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// maxFileSize bounds one model file.
const maxFileSize = 4 << 20

// readFile decodes one file strictly: unknown or repeated fields, invalid
// UTF-8 and trailing data are errors naming the file and field.
func readFile[T any](l *loader, fsys fs.FS, name string) (T, bool) {
	var v T
	info, err := fs.Stat(fsys, name)
	if err == nil && info.Size() > maxFileSize {
		err = fmt.Errorf("file is %d bytes, more than the %d allowed", info.Size(), maxFileSize)
	}
	var data []byte
	if err == nil {
		data, err = fs.ReadFile(fsys, name)
	}
	if err != nil {
		l.errs.add(ErrSyntax, name, "", "%v", err)
		return v, false
	}
	if err := json.Unmarshal(data, &v, json.RejectUnknownMembers(true)); err != nil {
		path, msg := describe(data, err)
		l.errs.add(ErrSyntax, name, path, "%s", msg)
		return v, false
	}
	return v, true
}

// describe turns a decoding error into a field path and a message.
func describe(data []byte, err error) (path, msg string) {
	var syn *jsontext.SyntacticError
	var serr *json.SemanticError
	switch {
	case errors.As(err, &serr) && serr.Err == json.ErrUnknownName:
		return fieldPath(serr.JSONPointer), "unknown field"
	case errors.As(err, &syn):
		line, col := position(data, syn.ByteOffset)
		text := strings.TrimPrefix(syn.Err.Error(), "jsontext: ")
		if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
			text = "field given twice"
		}
		return fieldPath(syn.JSONPointer), fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, text)
	case serr != nil && serr.Err != nil:
		return fieldPath(serr.JSONPointer), serr.Err.Error()
	case serr != nil:
		return fieldPath(serr.JSONPointer), fmt.Sprintf("wrong type: got a JSON %s", kindName(serr.JSONKind))
	}
	return "", err.Error()
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + len(before) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}

// fieldPath writes a JSON pointer ("/domains/0/criteria") as a field path
// ("domains[0].criteria").
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
