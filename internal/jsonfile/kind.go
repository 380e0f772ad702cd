package jsonfile

import "github.com/go-json-experiment/json/jsontext"

// KindName names the kind of a JSON value, for a Reader's Mismatch: "null",
// "boolean", "string", "number", "object" or "array"; "" for an invalid kind.
func KindName(k jsontext.Kind) string {
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
	return ""
}
