package roleplay

import (
	"fmt"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// maxFileSize bounds one model file.
const maxFileSize = 4 << 20

// mismatch words a value of the wrong JSON type, e.g. "wrong type: got a
// JSON string".
func mismatch(e *json.SemanticError) string {
	return fmt.Sprintf("wrong type: got a JSON %s", kindName(e.JSONKind))
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
