package content

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
)

// FuzzLoadBank feeds arbitrary bytes to the loader as an item bank, next to
// the demo's domains, form and sitting. Load must never panic; it returns
// either a library whose items obey the rules or errors that each name a file.
//
// The seeds are whole bank files, so shorten minimisation or the fuzzer
// spends its time shrinking each new input instead of exploring:
//
//	go test -run '^$' -fuzz FuzzLoadBank -fuzztime 60s -fuzzminimizetime 1s ./engine/content
func FuzzLoadBank(f *testing.F) {
	demo := Demo()
	for _, name := range []string{"items/practice.json", "items/cases.json", "items/under-review.json"} {
		b, err := fs.ReadFile(demo, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"items":null}`, `{"items":[{}]}`, `{"items":[{"id":"K-1","key":["a","a"]}]}`,
		`{"items":[{"id":"K-1","type":"multiple","select":-1,"options":[{"id":"a"}],"key":["a"]}]}`,
		`{"cases":[{"id":"c"}],"items":[{"case":"c","domain":"kss1"}]}`, "{\"items\":[\"\xff\"]}",
	} {
		f.Add([]byte(s))
	}
	base := fstest.MapFS{}
	for _, name := range []string{"items/domains.json", "forms/demo-form.json", "sittings/demo-sitting.json", "staff.json"} {
		b, err := fs.ReadFile(demo, name)
		if err != nil {
			f.Fatal(err)
		}
		base[name] = &fstest.MapFile{Data: b}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"items/fuzz.json": &fstest.MapFile{Data: data}}
		for k, v := range base {
			fsys[k] = v
		}
		lib, err := Load(fsys)
		if err != nil {
			for _, e := range fieldErrors(err) {
				if e.File == "" || e.Msg == "" || e.Kind == nil {
					t.Fatalf("error without file, message or kind: %#v", e)
				}
			}
			if len(fieldErrors(err)) == 0 && !errors.Is(err, ErrTooMany) {
				t.Fatalf("error is not a *FieldError: %v", err)
			}
			return
		}
		for id, it := range lib.Items {
			if len(it.Options) < 2 || len(it.Key) == 0 || lib.Domains[it.Domain] == nil {
				t.Fatalf("item %s accepted with %d options, %d keys, domain %q", id, len(it.Options), len(it.Key), it.Domain)
			}
			for _, k := range it.Key {
				if !slices.ContainsFunc(it.Options, func(o Option) bool { return o.ID == k }) {
					t.Fatalf("item %s accepted with key %q not an option", id, k)
				}
			}
		}
	})
}
