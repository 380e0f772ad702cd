package roleplay

import (
	"cmp"
	"fmt"

	"github.com/go-json-experiment/json"

	"github.com/accredit/accredit/internal/jsonfile"
)

// maxFileSize bounds one model file.
const maxFileSize = 4 << 20

// mismatch words a value of the wrong JSON type, e.g. "wrong type: got a
// JSON string".
func mismatch(e *json.SemanticError) string {
	return fmt.Sprintf("wrong type: got a JSON %s", cmp.Or(jsonfile.KindName(e.JSONKind), "value"))
}
