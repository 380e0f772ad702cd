package content_test

import (
	"fmt"
	"testing/fstest"

	"github.com/accredit/accredit/engine/content"
)

func ExampleLoad() {
	lib, err := content.Load(content.Demo())
	if err != nil {
		panic(err)
	}
	sitting, cand, _ := lib.CandidateByCode("demo anna 7q4k")
	form := lib.Forms[sitting.Form]
	fmt.Println(cand.Name, "sits", form.ID, "at", sitting.Centre)
	// Output: Anna Kowalska sits demo-form at Harbour Street Assessment Centre, Northmoor
}

func ExampleLoad_errors() {
	bank := `{
  "domains": [{"id": "kss4", "title": "Abuse and neglect of children"}],
  "items": [{
    "id": "K-012", "type": "single", "domain": "kss4", "status": "live",
    "stem": "Which is right?",
    "options": [{"id": "a", "text": "This"}, {"id": "b", "text": "That"}],
    "key": ["e"]
  }]
}`
	form := `{"id": "f", "title": "Form", "status": "live", "time_limit": "0s",
  "sections": [{"id": "A", "title": "A", "items": ["K-012", "K-099"]}]}`
	_, err := content.Load(fstest.MapFS{
		"items/bank1.json": {Data: []byte(bank)},
		"forms/f.json":     {Data: []byte(form)},
	})
	fmt.Println(err)
	// Output:
	// items/bank1.json: items[0].key[0]: "e" is not an option of item "K-012"
	// forms/f.json: time_limit: want more than 0 and at most 8h0m0s, got 0s
	// forms/f.json: sections[0].items[1]: item "K-099" is not in any item bank
}
