package content

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// tree is a small valid content tree that each test case breaks in one way.
type tree struct {
	banks    map[string]*Bank
	forms    map[string]*Form
	sittings map[string]*Sitting
	staff    []Staff
	raw      map[string]string // files written as given, replacing the above
}

func opts(ids ...string) []Option {
	var o []Option
	for _, id := range ids {
		o = append(o, Option{ID: id, Text: "option " + id})
	}
	return o
}

func validTree() *tree {
	item := func(id, typ, dom string, st Status, key ...string) Item {
		it := Item{ID: id, Type: ItemType(typ), Stem: "stem of " + id, Options: opts("a", "b", "c", "d"), Key: key, Domain: dom, Status: st}
		if it.Type == MultipleResponse {
			it.Select = len(key)
		}
		return it
	}
	withCase := item("I-3", "single", "d1", StatusLive, "c")
	withCase.Case = "c1"
	return &tree{
		banks: map[string]*Bank{
			"items/a.json": {
				Domains: []Domain{{ID: "d1", Title: "Domain one"}, {ID: "d2", Title: "Domain two"}},
				Cases:   []Case{{ID: "c1", Title: "A case", Text: "What happened."}},
				Items: []Item{
					item("I-1", "single", "d1", StatusLive, "a"),
					item("I-2", "multiple", "d2", StatusLive, "b", "d"),
					withCase,
					item("I-4", "single", "d1", StatusDraft, "a"),
					item("I-5", "single", "d1", StatusRetired, "a"),
				},
			},
			"items/b.json": {Items: []Item{item("I-6", "single", "d2", StatusLive, "b")}},
		},
		forms: map[string]*Form{
			"forms/f.json": {ID: "F", Title: "Form", Status: StatusLive, TimeLimit: Duration(30 * time.Minute),
				Sections: []Section{{ID: "S1", Title: "One", Items: []string{"I-1", "I-2"}}, {ID: "S2", Title: "Two", Items: []string{"I-3", "I-6"}}}},
			"forms/g.json": {ID: "G", Title: "Draft form", Status: StatusDraft, TimeLimit: Duration(time.Hour),
				Sections: []Section{{ID: "S1", Title: "One", Items: []string{"I-4", "I-5"}}}},
		},
		sittings: map[string]*Sitting{
			"sittings/s.json": {ID: "S", Form: "F", Centre: "A centre", Scheduled: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC),
				Candidates: []Candidate{
					{ID: "X1", Name: "Anna", AccessCode: "TEST-ANNA-7Q4K"},
					{ID: "X2", Name: "Ben", AccessCode: "TEST-BEN-3RX9", Accommodation: 1.25},
				}},
			"sittings/t.json": {ID: "T", Form: "F", Centre: "A centre", Scheduled: time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC),
				Candidates: []Candidate{{ID: "X1", Name: "Cal", AccessCode: "TEST-CAL-5TW2"}}},
		},
		staff: []Staff{
			{ID: "P1", Name: "Grace", Role: RoleInvigilator, Code: "INV-GRACE-4W8N", Sittings: []string{"S", "T"}},
			{ID: "P2", Name: "Liam", Role: RoleAssessor, Code: "ASR-LIAM-5C7V", Assessor: "ASR-LIAM"},
		},
	}
}

// fs writes the tree as JSON files.
func (tr *tree) fs(t testing.TB) fstest.MapFS {
	m := fstest.MapFS{}
	put := func(name string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	for n, v := range tr.banks {
		put(n, v)
	}
	for n, v := range tr.forms {
		put(n, v)
	}
	for n, v := range tr.sittings {
		put(n, v)
	}
	if tr.staff != nil {
		put(staffFile, tr.staff)
	}
	for n, v := range tr.raw {
		m[n] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

func TestValidTreeLoads(t *testing.T) {
	lib, err := Load(validTree().fs(t))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(lib.Items) != 6 || len(lib.Forms) != 2 || len(lib.Sittings) != 2 || len(lib.Domains) != 2 || len(lib.Cases) != 1 {
		t.Errorf("library holds %d items, %d forms, %d sittings, %d domains, %d cases",
			len(lib.Items), len(lib.Forms), len(lib.Sittings), len(lib.Domains), len(lib.Cases))
	}
	for _, code := range []string{"TEST-ANNA-7Q4K", "test anna 7q4k", "TESTANNA7Q4K"} {
		if s, c, ok := lib.CandidateByCode(code); !ok || s.ID != "S" || c.ID != "X1" {
			t.Errorf("CandidateByCode(%q) = %v, %v, %v", code, s, c, ok)
		}
	}
	if _, _, ok := lib.CandidateByCode("TEST-ANNA-7Q4X"); ok {
		t.Error("CandidateByCode found a code that is not in the tree")
	}
	if st, ok := lib.StaffByCode("inv-grace-4w8n"); !ok || st.ID != "P1" {
		t.Errorf("StaffByCode = %v, %v", st, ok)
	}
	if _, ok := lib.StaffByCode("TEST-ANNA-7Q4K"); ok {
		t.Error("StaffByCode found a candidate's code")
	}
}

func TestLoadRefusesBadContent(t *testing.T) {
	const (
		a, b   = "items/a.json", "items/b.json"
		f, g   = "forms/f.json", "forms/g.json"
		s, s2  = "sittings/s.json", "sittings/t.json"
		rawBad = `{"items":[{"id":"I-1","colour":"red"}]}`
	)
	tests := []struct {
		name     string
		edit     func(*tree)
		file     string
		path     string
		kind     error
		contains string
	}{
		// Decoding.
		{"unknown field", func(tr *tree) { tr.raw = map[string]string{a: rawBad} }, a, "items[0].colour", ErrSyntax, "unknown field"},
		{"wrong type", func(tr *tree) { tr.raw = map[string]string{b: `{"items":[{"id":"I-6","key":"b"}]}`} }, b, "items[0].key", ErrSyntax, "want an array, got a string"},
		{"field twice", func(tr *tree) { tr.raw = map[string]string{b: `{"items":[],"items":[]}`} }, b, "items", ErrSyntax, "field given twice"},
		{"not JSON", func(tr *tree) { tr.raw = map[string]string{b: "{\n  \"items\": [,]\n}"} }, b, "items", ErrSyntax, "line 2"},
		{"trailing data", func(tr *tree) { tr.raw = map[string]string{b: `{"items":[]} {}`} }, b, "", ErrSyntax, "after top-level value"},
		{"bad duration", func(tr *tree) { tr.raw = map[string]string{g: `{"id":"G","time_limit":"half an hour"}`} }, g, "time_limit", ErrSyntax, `bad duration "half an hour"`},
		{"bad date", func(tr *tree) { tr.raw = map[string]string{s2: `{"id":"T","scheduled":"tomorrow"}`} }, s2, "scheduled", ErrSyntax, ""},
		{"staff not an array", func(tr *tree) { tr.raw = map[string]string{staffFile: `{}`} }, staffFile, "", ErrSyntax, "want an array, got an object"},
		{"no item bank", func(tr *tree) { tr.banks = nil }, "items", "", ErrInvalid, "no item bank"},

		// Domains and cases.
		{"domain id reused", func(tr *tree) { tr.banks[b].Domains = []Domain{{ID: "d1", Title: "Again"}} }, b, "domains[0].id", ErrDuplicate, `domain id "d1" is already used in items/a.json at domains[0].id`},
		{"domain title missing", func(tr *tree) { tr.banks[a].Domains[1].Title = " " }, a, "domains[1].title", ErrInvalid, "missing"},
		{"case text missing", func(tr *tree) { tr.banks[a].Cases[0].Text = "" }, a, "cases[0].text", ErrInvalid, "missing"},

		// Items.
		{"item id reused across files", func(tr *tree) { tr.banks[b].Items[0].ID = "I-1" }, b, "items[0].id", ErrDuplicate, `item id "I-1" is already used in items/a.json at items[0].id`},
		{"item id missing", func(tr *tree) { tr.banks[a].Items[0].ID = "" }, a, "items[0].id", ErrInvalid, "missing id"},
		{"item id with a comma", func(tr *tree) { tr.banks[a].Items[0].ID = "I,1" }, a, "items[0].id", ErrInvalid, `id "I,1"`},
		{"item type unknown", func(tr *tree) { tr.banks[a].Items[0].Type = "essay" }, a, "items[0].type", ErrInvalid, `"essay"`},
		{"stem missing", func(tr *tree) { tr.banks[a].Items[0].Stem = "" }, a, "items[0].stem", ErrInvalid, "missing"},
		{"status unknown", func(tr *tree) { tr.banks[a].Items[0].Status = "published" }, a, "items[0].status", ErrInvalid, `"published" is not draft, live or retired`},
		{"domain missing", func(tr *tree) { tr.banks[a].Items[0].Domain = "" }, a, "items[0].domain", ErrInvalid, "missing"},
		{"domain unknown", func(tr *tree) { tr.banks[a].Items[0].Domain = "d9" }, a, "items[0].domain", ErrReference, `domain "d9" is not defined`},
		{"case unknown", func(tr *tree) { tr.banks[a].Items[2].Case = "c9" }, a, "items[2].case", ErrReference, `case "c9" is not defined`},
		{"one option", func(tr *tree) {
			it := &tr.banks[a].Items[0]
			it.Options = it.Options[:1]
		}, a, "items[0].options", ErrInvalid, "want at least 2 options, got 1"},
		{"option id reused", func(tr *tree) { tr.banks[a].Items[0].Options[1].ID = "a" }, a, "items[0].options[1].id", ErrDuplicate, `option id "a"`},
		{"option text missing", func(tr *tree) { tr.banks[a].Items[0].Options[3].Text = "" }, a, "items[0].options[3].text", ErrInvalid, "missing"},
		{"key not an option", func(tr *tree) { tr.banks[a].Items[0].Key = []string{"e"} }, a, "items[0].key[0]", ErrReference, `"e" is not an option of item "I-1"`},
		{"single with two keys", func(tr *tree) { tr.banks[a].Items[0].Key = []string{"a", "b"} }, a, "items[0].key", ErrInvalid, "exactly 1 key, got 2"},
		{"single with no key", func(tr *tree) { tr.banks[b].Items[0].Key = nil }, b, "items[0].key", ErrInvalid, "exactly 1 key, got 0"},
		{"single selecting two", func(tr *tree) { tr.banks[a].Items[0].Select = 2 }, a, "items[0].select", ErrInvalid, "selects 1 option"},
		{"multiple with one key", func(tr *tree) {
			it := &tr.banks[a].Items[1]
			it.Key, it.Select = []string{"b"}, 1
		}, a, "items[1].key", ErrInvalid, "at least 2 keys"},
		{"multiple with every option keyed", func(tr *tree) {
			it := &tr.banks[a].Items[1]
			it.Key, it.Select = []string{"a", "b", "c", "d"}, 4
		}, a, "items[1].key", ErrInvalid, "fewer keys than options"},
		{"multiple select differs from keys", func(tr *tree) { tr.banks[a].Items[1].Select = 3 }, a, "items[1].select", ErrInvalid, "select is 3, keys 2"},
		{"multiple key twice", func(tr *tree) { tr.banks[a].Items[1].Key = []string{"b", "b"} }, a, "items[1].key[1]", ErrDuplicate, `option "b" is keyed twice`},

		// Forms.
		{"form id reused", func(tr *tree) { tr.forms[g].ID = "F" }, g, "id", ErrDuplicate, `form id "F" is already used in forms/f.json`},
		{"form title missing", func(tr *tree) { tr.forms[f].Title = "" }, f, "title", ErrInvalid, "missing"},
		{"form status unknown", func(tr *tree) { tr.forms[f].Status = "open" }, f, "status", ErrInvalid, `"open"`},
		{"time limit zero", func(tr *tree) { tr.forms[f].TimeLimit = 0 }, f, "time_limit", ErrInvalid, "want more than 0"},
		{"navigation of no mode", func(tr *tree) { tr.forms[f].Navigation = "sideways" }, f, "navigation", ErrInvalid, `"sideways" is not free or linear`},
		{"time limit negative", func(tr *tree) { tr.forms[f].TimeLimit = Duration(-time.Minute) }, f, "time_limit", ErrInvalid, "got -1m0s"},
		{"time limit in hours by mistake", func(tr *tree) { tr.forms[f].TimeLimit = Duration(30 * time.Hour) }, f, "time_limit", ErrInvalid, "at most 8h0m0s"},
		{"no sections", func(tr *tree) { tr.forms[f].Sections = nil }, f, "sections", ErrInvalid, "at least one section"},
		{"section time limit negative", func(tr *tree) { tr.forms[f].Sections[1].TimeLimit = Duration(-time.Minute) }, f, "sections[1].time_limit", ErrInvalid, "got -1m0s"},
		{"section time limit over the form's", func(tr *tree) { tr.forms[f].Sections[0].TimeLimit = Duration(31 * time.Minute) }, f, "sections[0].time_limit", ErrInvalid, "at most the form's 30m0s, got 31m0s"},
		{"section id reused", func(tr *tree) { tr.forms[f].Sections[1].ID = "S1" }, f, "sections[1].id", ErrDuplicate, `section id "S1"`},
		{"section empty", func(tr *tree) { tr.forms[f].Sections[1].Items = nil }, f, "sections[1].items", ErrInvalid, "at least one item"},
		{"item not in any bank", func(tr *tree) { tr.forms[f].Sections[0].Items[0] = "I-99" }, f, "sections[0].items[0]", ErrReference, `item "I-99" is not in any item bank`},
		{"draft item on live form", func(tr *tree) { tr.forms[f].Sections[0].Items[1] = "I-4" }, f, "sections[0].items[1]", ErrReference, `item "I-4" is draft`},
		{"retired item on live form", func(tr *tree) { tr.forms[f].Sections[1].Items[0] = "I-5" }, f, "sections[1].items[0]", ErrReference, `item "I-5" is retired`},
		{"item twice on form", func(tr *tree) {
			tr.forms[f].Sections[1].Items = append(tr.forms[f].Sections[1].Items, "I-1")
		}, f, "sections[1].items[2]", ErrDuplicate, "already on the form at sections[0].items[0]"},

		// Sittings.
		{"sitting id reused", func(tr *tree) { tr.sittings[s2].ID = "S" }, s2, "id", ErrDuplicate, `sitting id "S"`},
		{"sitting form unknown", func(tr *tree) { tr.sittings[s].Form = "H" }, s, "form", ErrReference, `form "H" is not defined`},
		{"sitting form draft", func(tr *tree) { tr.sittings[s].Form = "G" }, s, "form", ErrReference, `form "G" is draft`},
		{"centre missing", func(tr *tree) { tr.sittings[s].Centre = "" }, s, "centre", ErrInvalid, "missing"},
		{"not scheduled", func(tr *tree) { tr.sittings[s].Scheduled = time.Time{} }, s, "scheduled", ErrInvalid, "missing"},
		{"no candidates", func(tr *tree) { tr.sittings[s2].Candidates = nil }, s2, "candidates", ErrInvalid, "at least one candidate"},
		{"candidate id reused", func(tr *tree) { tr.sittings[s].Candidates[1].ID = "X1" }, s, "candidates[1].id", ErrDuplicate, `candidate id "X1"`},
		{"candidate name missing", func(tr *tree) { tr.sittings[s].Candidates[0].Name = "" }, s, "candidates[0].name", ErrInvalid, "missing"},
		{"access code reused in sitting", func(tr *tree) { tr.sittings[s].Candidates[1].AccessCode = "TEST-ANNA-7Q4K" }, s, "candidates[1].access_code", ErrDuplicate, "already used in sittings/s.json at candidates[0].access_code"},
		{"access code reused across sittings", func(tr *tree) { tr.sittings[s2].Candidates[0].AccessCode = "TESTANNA-7Q-4K" }, s2, "candidates[0].access_code", ErrDuplicate, "already used in sittings/s.json"},
		{"access code missing", func(tr *tree) { tr.sittings[s].Candidates[0].AccessCode = "" }, s, "candidates[0].access_code", ErrInvalid, "want 8 to 32"},
		{"access code short", func(tr *tree) { tr.sittings[s].Candidates[0].AccessCode = "AB12-CD" }, s, "candidates[0].access_code", ErrInvalid, "want 8 to 32"},
		{"access code demo-style", func(tr *tree) { tr.sittings[s].Candidates[0].AccessCode = "1234" }, s, "candidates[0].access_code", ErrInvalid, "want 8 to 32"},
		{"access code counting", func(tr *tree) { tr.sittings[s].Candidates[0].AccessCode = "DEMO-1234" }, s, "candidates[0].access_code", ErrInvalid, "guessable"},
		{"access code repeated", func(tr *tree) { tr.sittings[s].Candidates[0].AccessCode = "ANNA-7777-X" }, s, "candidates[0].access_code", ErrInvalid, "guessable"},
		{"access code letters only", func(tr *tree) { tr.sittings[s].Candidates[0].AccessCode = "ANNA-SMITH" }, s, "candidates[0].access_code", ErrInvalid, "letters and digits"},
		{"access code few characters", func(tr *tree) { tr.sittings[s].Candidates[0].AccessCode = "AB12-AB12" }, s, "candidates[0].access_code", ErrInvalid, "different characters"},
		{"access code lower case", func(tr *tree) { tr.sittings[s].Candidates[0].AccessCode = "test-anna-7q4k" }, s, "candidates[0].access_code", ErrInvalid, "capital letters"},
		{"accommodation below 1", func(tr *tree) { tr.sittings[s].Candidates[1].Accommodation = 0.5 }, s, "candidates[1].time_accommodation", ErrInvalid, "got 0.5"},
		{"accommodation above 3", func(tr *tree) { tr.sittings[s].Candidates[1].Accommodation = 3.5 }, s, "candidates[1].time_accommodation", ErrInvalid, "got 3.5"},
		{"accommodation negative", func(tr *tree) { tr.sittings[s].Candidates[1].Accommodation = -1 }, s, "candidates[1].time_accommodation", ErrInvalid, "got -1"},

		// Staff.
		{"staff id reused", func(tr *tree) { tr.staff[1].ID = "P1" }, staffFile, "[1].id", ErrDuplicate, `staff id "P1"`},
		{"staff name missing", func(tr *tree) { tr.staff[1].Name = "" }, staffFile, "[1].name", ErrInvalid, "missing"},
		{"staff role unknown", func(tr *tree) { tr.staff[1].Role = "examiner" }, staffFile, "[1].role", ErrInvalid, `"examiner"`},
		{"staff role candidate", func(tr *tree) { tr.staff[1].Role = RoleCandidate }, staffFile, "[1].role", ErrInvalid, `"candidate"`},
		{"staff code reused", func(tr *tree) { tr.staff[1].Code = "INV-GRACE-4W8N" }, staffFile, "[1].code", ErrDuplicate, "already used in staff.json at [0].code"},
		{"staff code is an access code", func(tr *tree) { tr.staff[0].Code = "TEST-BEN-3RX9" }, staffFile, "[0].code", ErrDuplicate, "also an access code, in sittings/s.json at candidates[1].access_code"},
		{"staff code guessable", func(tr *tree) { tr.staff[0].Code = "ADMIN-1111" }, staffFile, "[0].code", ErrInvalid, "guessable"},
		{"invigilator sitting unknown", func(tr *tree) { tr.staff[0].Sittings = []string{"S", "Q"} }, staffFile, "[0].sittings[1]", ErrReference, `sitting "Q" is not defined`},
		{"invigilator sitting twice", func(tr *tree) { tr.staff[0].Sittings = []string{"S", "S"} }, staffFile, "[0].sittings[1]", ErrDuplicate, "listed twice"},
		{"assessor with sittings", func(tr *tree) { tr.staff[1].Sittings = []string{"S"} }, staffFile, "[1].sittings", ErrInvalid, "only an invigilator"},
		{"invigilator as assessor", func(tr *tree) { tr.staff[0].Assessor = "ASR-LIAM" }, staffFile, "[0].assessor", ErrInvalid, "only an assessor or lead assessor"},
		{"assessor linked twice", func(tr *tree) {
			tr.staff = append(tr.staff, Staff{ID: "P3", Name: "Liam again", Role: RoleAssessor, Code: "ASR-LIAM-8W2Q", Assessor: "ASR-LIAM"})
		}, staffFile, "[2].assessor", ErrDuplicate, `assessor "ASR-LIAM" is already linked at [1].assessor`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := validTree()
			tc.edit(tr)
			lib, err := Load(tr.fs(t))
			if err == nil {
				t.Fatalf("Load succeeded, want an error at %s: %s", tc.file, tc.path)
			}
			if lib != nil {
				t.Error("Load returned a library with an error")
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error is not %v:\n%v", tc.kind, err)
			}
			if !hasFieldError(err, tc.file, tc.path, tc.contains) {
				t.Errorf("no error at %s: %s containing %q; got:\n%v", tc.file, tc.path, tc.contains, err)
			}
			want := tc.file + ": "
			if tc.path != "" {
				want += tc.path + ": "
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message does not contain %q:\n%v", want, err)
			}
		})
	}
}

// hasFieldError reports whether err holds a *FieldError at file and path
// whose message contains msg.
func hasFieldError(err error, file, path, msg string) bool {
	for _, e := range fieldErrors(err) {
		if e.File == file && e.Path == path && strings.Contains(e.Msg, msg) {
			return true
		}
	}
	return false
}

func fieldErrors(err error) []*FieldError {
	var out []*FieldError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, fieldErrors(e)...)
		}
		return out
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		out = append(out, fe)
	}
	return out
}

// TestLoadReportsEveryError checks that problems in several files are all
// reported, not only the first.
func TestLoadReportsEveryError(t *testing.T) {
	tr := validTree()
	tr.banks["items/a.json"].Items[0].Key = []string{"z"}
	tr.forms["forms/f.json"].TimeLimit = 0
	tr.staff[1].Role = "examiner"
	_, err := Load(tr.fs(t))
	got := fieldErrors(err)
	if len(got) != 3 {
		t.Fatalf("got %d errors, want 3:\n%v", len(got), err)
	}
}

// TestLoadCapsErrors checks that a tree with very many problems reports at
// most maxErrors of them, then says how many more there were.
func TestLoadCapsErrors(t *testing.T) {
	tr := validTree()
	items := tr.banks["items/b.json"].Items
	for range 100 {
		items = append(items, Item{ID: "I-6"}) // duplicate id, no stem, no status...
	}
	tr.banks["items/b.json"].Items = items
	_, err := Load(tr.fs(t))
	if !errors.Is(err, ErrTooMany) {
		t.Fatalf("error is not ErrTooMany:\n%v", err)
	}
	if n := len(fieldErrors(err)); n != maxErrors {
		t.Errorf("reported %d field errors, want %d", n, maxErrors)
	}
	if !strings.Contains(err.Error(), "more not shown") {
		t.Errorf("message does not say errors were left out: %v", err)
	}
}

// TestLoadDir loads the demo tree from a directory on disk.
func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, Demo()); err != nil {
		t.Fatal(err)
	}
	lib, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	if _, _, ok := lib.CandidateByCode("DEMO-ANNA-7Q4K"); !ok {
		t.Error("demo access code not found")
	}
	if _, err := LoadDir(dir + "/missing"); err == nil {
		t.Error("LoadDir of a missing directory succeeded")
	}
}

// A form with a timed section loads, keeps its limits and is delivered
// section by section; a form without is not.
func TestTimedSectionsLoad(t *testing.T) {
	tr := validTree()
	tr.forms["forms/f.json"].Sections[0].TimeLimit = Duration(10 * time.Minute)
	lib, err := Load(tr.fs(t))
	if err != nil {
		t.Fatal(err)
	}
	f := lib.Forms["F"]
	if got := time.Duration(f.Sections[0].TimeLimit); got != 10*time.Minute || f.Sections[1].TimeLimit != 0 || !f.BySection() {
		t.Errorf("limits %v, %v, by section %v; want 10m, 0, true", got, time.Duration(f.Sections[1].TimeLimit), f.BySection())
	}
	if lib.Forms["G"].BySection() {
		t.Error("a form without timed sections is delivered by section")
	}
}
