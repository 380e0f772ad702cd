package roleplay

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadDemo(t *testing.T) {
	m := loadDemo(t)
	var practitioner, supervisor int
	for _, s := range m.Scenarios {
		switch s.Status {
		case StatusPractitioner:
			practitioner++
		case StatusSupervisor:
			supervisor++
		}
	}
	if practitioner != 3 || supervisor != 1 {
		t.Errorf("scenarios: %d practitioner, %d supervisor; want 3 and 1", practitioner, supervisor)
	}
	c := m.Circuits[DemoPractitionerCircuit]
	if c == nil {
		t.Fatal("no demo circuit")
	}
	if got, _ := c.At("S2", 2); got != "C01" {
		t.Errorf("S2 slot 2 = %q, want C01", got)
	}
	if slot, ok := c.SlotOf("S3", "C04"); !ok || slot != 4 {
		t.Errorf("SlotOf(S3, C04) = %d, %v", slot, ok)
	}
	r, _ := m.RubricOf(c, "S1")
	if cr, ok := r.Criterion("safety"); !ok || cr.Domain() != "kss4" || cr.MustPass == nil || cr.EffectiveWeight() != 2 {
		t.Errorf("safety criterion = %+v", cr)
	}
	if m.Assessors[c.LeadAssessor].Name == "" || len(m.Judgement.Points) != 5 {
		t.Error("lead assessor or default judgement scale missing")
	}
}

// demoWith returns the demo tree with some files replaced; an empty text
// removes its file.
func demoWith(t testing.TB, files map[string]string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := walkFiles(Demo(), func(name string, data []byte) { out[name] = &fstest.MapFile{Data: data} })
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if data == "" {
			delete(out, name)
			continue
		}
		out[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return out
}

// patched returns file of the demo tree with its first old replaced by new,
// for demoWith.
func patched(t *testing.T, file, old, new string) map[string]string {
	t.Helper()
	data := string(mustRead(t, Demo(), file))
	if !strings.Contains(data, old) {
		t.Fatalf("fixture lacks %q", old)
	}
	return map[string]string{file: strings.Replace(data, old, new, 1)}
}

// loadErrorCase is the demo tree with files replaced, and the error Load
// must return: kind, and a substring naming file and field.
type loadErrorCase struct {
	name  string
	files map[string]string
	kind  error
	want  string
}

func checkLoadErrors(t *testing.T, tests []loadErrorCase) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(demoWith(t, tc.files))
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %v containing %q", err, tc.kind, tc.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	const circuit = "circuits/supervisor-demo.json"
	sup := func(old, new string) map[string]string { return patched(t, circuit, old, new) }
	checkLoadErrors(t, []loadErrorCase{
		{"unknown field", sup(`"title"`, `"titel"`), ErrSyntax, circuit + ": titel: unknown field"},
		{"syntax", map[string]string{"assessors.json": `{"assessors": [}`}, ErrSyntax, "assessors.json: assessors[0]: invalid JSON at line 1, column 16"},
		{"wrong type", sup(`"tolerance": 2`, `"tolerance": "2"`), ErrSyntax, circuit + ": double_marking.tolerance"},
		{"bad resolution", sup(`"average"`, `"vote"`), ErrInvalid, circuit + `: double_marking.resolution: "vote"`},
		{"unknown scenario", sup(`"sc-supervision"`, `"sc-nope"`), ErrReference, circuit + `: stations[0].scenario: no scenario "sc-nope"`},
		{"scenario of other status", sup(`"sc-supervision"`, `"sc-home-visit"`), ErrReference, "stations[0].scenario"},
		{"three assessors", sup(`"ASR-HELEN"]`, `"ASR-HELEN", "ASR-KOFI"]`), ErrInvalid, "stations[0].assessors: want one or two"},
		{"unknown assessor", sup(`"ASR-HELEN"`, `"ASR-NOBODY"`), ErrReference, `stations[0].assessors[1]: no assessor "ASR-NOBODY"`},
		{"lead not lead", sup(`"lead_assessor": "LEAD-IRIS"`, `"lead_assessor": "ASR-KOFI"`), ErrReference, circuit + ": lead_assessor"},
		{"candidate twice in slot", sup(`{"slot": 2, "station": "P1", "candidate": "P02"}`, `{"slot": 1, "station": "P1", "candidate": "P02"}`), ErrDuplicate, "schedule[1]: station \"P1\" already has"},
		{"unknown candidate", sup(`"candidate": "P02"}`, `"candidate": "P09"}`), ErrReference, `schedule[1].candidate: no candidate "P09"`},
		{"slot zero", sup(`{"slot": 1,`, `{"slot": 0,`), ErrInvalid, "schedule[0].slot"},
		{"missing file", map[string]string{"assessors.json": ""}, ErrSyntax, "assessors.json"},
	})
}

func TestLoadRubricRules(t *testing.T) {
	const f = "rubrics/supervision.json"
	rub := func(old, new string) map[string]string { return patched(t, f, old, new) }
	checkLoadErrors(t, []loadErrorCase{
		{"unknown domain", rub(`"domain": "pss1"`, `"domain": "pss9"`), ErrReference, f + `: domains[0].domain: no domain "pss9"`},
		{"points not increasing", rub(`"value": 1`, `"value": 0`), ErrInvalid, f + ": domains[0].criteria[0].points[1].value"},
		{"threshold off scale", rub(`"threshold": 2`, `"threshold": 7`), ErrInvalid, "must_pass.threshold"},
		{"negative weight", rub(`"weight": 2`, `"weight": -2`), ErrInvalid, ".weight"},
		{"duplicate criterion", rub(`"id": "wellbeing"`, `"id": "climate"`), ErrDuplicate, `criterion "climate"`},
	})
}
