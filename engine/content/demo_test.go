package content

import (
	"strings"
	"testing"
	"time"
)

// TestDemoLoads checks the demo tree loads and meets what the demo promises:
// enough live items in every domain, multiple-response items, shared case
// scenarios, a live 30-minute form and a sitting with six candidates.
func TestDemoLoads(t *testing.T) {
	lib, err := Load(Demo())
	if err != nil {
		t.Fatalf("Load(Demo()): %v", err)
	}
	if len(lib.Domains) != 10 {
		t.Errorf("domains = %d, want 10", len(lib.Domains))
	}
	live, multi, perDomain, perCase, statuses := 0, 0, map[string]int{}, map[string]int{}, map[Status]int{}
	for _, it := range lib.Items {
		statuses[it.Status]++
		if it.Status != StatusLive {
			continue
		}
		live++
		perDomain[it.Domain]++
		if it.Case != "" {
			perCase[it.Case]++
		}
		if it.Type == MultipleResponse {
			multi++
		}
	}
	if live < 45 {
		t.Errorf("live items = %d, want at least 45", live)
	}
	for id := range lib.Domains {
		if perDomain[id] < 4 {
			t.Errorf("domain %s has %d live items, want at least 4", id, perDomain[id])
		}
	}
	if multi < 6 {
		t.Errorf("multiple-response items = %d, want at least 6", multi)
	}
	shared := 0
	for _, n := range perCase {
		if n >= 3 {
			shared++
		}
	}
	if shared < 2 {
		t.Errorf("cases shared by 3+ items = %d, want at least 2", shared)
	}
	if statuses[StatusDraft] == 0 || statuses[StatusRetired] == 0 {
		t.Errorf("statuses = %v, want some draft and retired items", statuses)
	}

	s, ok := lib.Sittings[DemoSitting]
	if !ok {
		t.Fatalf("no sitting %q", DemoSitting)
	}
	f := lib.Forms[s.Form]
	if f.Status != StatusLive || time.Duration(f.TimeLimit) != 30*time.Minute || !f.ShuffleItems || !f.ShuffleOptions {
		t.Errorf("demo form = %s, %v, shuffle %v/%v; want live, 30m, shuffled", f.Status, time.Duration(f.TimeLimit), f.ShuffleItems, f.ShuffleOptions)
	}
	if n := len(f.ItemIDs()); n < 24 || n > 30 || len(f.Sections) < 2 || len(f.Sections) > 3 {
		t.Errorf("demo form has %d items in %d sections, want 24-30 in 2-3", n, len(f.Sections))
	}
	if len(s.Candidates) != 6 {
		t.Errorf("demo candidates = %d, want 6", len(s.Candidates))
	}
	accommodated := 0
	for i := range s.Candidates {
		c := &s.Candidates[i]
		gs, gc, ok := lib.CandidateByCode(c.AccessCode)
		if !ok || gs != s || gc != c {
			t.Errorf("CandidateByCode(%q) = %v, %v, %v", c.AccessCode, gs, gc, ok)
		}
		if c.TimeFactor() == 1.25 {
			accommodated++
		}
	}
	if accommodated != 1 {
		t.Errorf("candidates with 1.25 accommodation = %d, want 1", accommodated)
	}
	roles := map[Role]int{}
	for i := range lib.Staff {
		roles[lib.Staff[i].Role]++
		if st, ok := lib.StaffByCode(lib.Staff[i].Code); !ok || st != &lib.Staff[i] {
			t.Errorf("StaffByCode(%q) = %v, %v", lib.Staff[i].Code, st, ok)
		}
	}
	want := map[Role]int{RoleInvigilator: 1, RolePsychometrician: 1, RoleAdministrator: 1, RoleAssessor: 5, RoleLeadAssessor: 1, RoleAuditor: 1}
	for r, n := range want {
		if roles[r] != n {
			t.Errorf("staff with role %s = %d, want %d", r, roles[r], n)
		}
	}
}

// TestDemoItemsWellFormed checks what the loader cannot: that options in
// the demo read as 4 or 5 alternatives and multiple-response stems say how
// many to choose.
func TestDemoItemsWellFormed(t *testing.T) {
	lib, err := Load(Demo())
	if err != nil {
		t.Fatal(err)
	}
	for id, it := range lib.Items {
		if n := len(it.Options); n < 4 || n > 5 {
			t.Errorf("item %s has %d options, want 4 or 5", id, n)
		}
		if it.Type == MultipleResponse && !strings.HasSuffix(it.Stem, "Choose two.") {
			t.Errorf("item %s: multiple-response stem does not say \"Choose two.\"", id)
		}
	}
}
