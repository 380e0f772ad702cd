package roleplay

import (
	"testing"
	"testing/fstest"
)

// FuzzLoadRubric loads the demo model with one rubric file replaced by
// arbitrary bytes: the loader must refuse or accept, never panic.
func FuzzLoadRubric(f *testing.F) {
	base := demoWith(f, nil)
	const target = "rubrics/home-visit.json"
	f.Add(base[target].Data)
	f.Add([]byte(`{"id":"x"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = v
		}
		fsys[target] = &fstest.MapFile{Data: data}
		m, err := Load(fsys)
		if err == nil && m == nil {
			t.Fatal("no error and no model")
		}
	})
}
