package jsonfile

import (
	"testing"
	"testing/fstest"
)

// FuzzRead decodes arbitrary bytes: Read must never panic, and when it
// refuses a file it adds exactly one error naming the file with a message.
//
//	go test -run '^$' -fuzz FuzzRead -fuzztime 60s ./internal/jsonfile
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"id":"a","items":[{"key":["x"],"n":1}]}`, `{"items":[{"key":"x"}]}`,
		`{"id":"a","id":"b"}`, `{"at":"2026-01-02T03:04:05Z"}`, "{\"id\":\"\xff\"}", `{"id":"a"} x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := newReader(fstest.MapFS{"a.json": {Data: data}})
		r.MaxSize = 1 << 20
		_, ok := Read[doc](r, "a.json")
		if ok != r.Errs.Empty() {
			t.Fatalf("ok %v with errors %v", ok, r.Errs.Err())
		}
		if !ok {
			if fe := only(t, r.Errs); fe.File != "a.json" || fe.Msg == "" || fe.Kind != errBad {
				t.Fatalf("error without file, message or kind: %#v", fe)
			}
		}
	})
}
