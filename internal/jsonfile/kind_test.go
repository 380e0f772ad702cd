package jsonfile

import (
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

func TestKindName(t *testing.T) {
	for k, want := range map[jsontext.Kind]string{
		'n': "null", 'f': "boolean", 't': "boolean", '"': "string",
		'0': "number", '{': "object", '[': "array", 0: "", '}': "",
	} {
		if got := KindName(k); got != want {
			t.Errorf("KindName(%q) = %q, want %q", k, got, want)
		}
	}
}
