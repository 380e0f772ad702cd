package impact

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// field returns row r's label in dimension d (not ByElement).
func field(r *Row, d Dim) string {
	switch d {
	case ByEmployer:
		return r.Employer
	case ByEndorser:
		if r.EndorsedBy != "" {
			return r.EndorsedBy
		}
		return r.Employer
	case ByPhase:
		return string(r.Phase)
	case ByCohort:
		return r.Cohort
	case ByStatus:
		return string(r.Status)
	}
	panic(d)
}

// recount counts a cell straight from the rows.
func recount(rows []Row, dims []Dim, keys []string) (n, x int) {
	for i := range rows {
		r := &rows[i]
		ok, pass := true, r.Outcome == Met
		for j, d := range dims {
			if d == ByElement {
				p, has := r.Elements[keys[j]]
				ok, pass = ok && has, p
				continue
			}
			ok = ok && field(r, d) == keys[j]
		}
		if ok {
			n++
			if pass {
				x++
			}
		}
	}
	return n, x
}

// TestCountsFromRows recounts every published cell of every table from the
// rows, and checks each table lists every combination that occurs.
func TestCountsFromRows(t *testing.T) {
	rows := cohortRows(1, 1500, 12, 6)
	rep, err := Build(rows, Options{MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Overall.N != len(rows) {
		t.Errorf("overall n = %d", rep.Overall.N)
	}
	_, x := recount(rows, nil, nil)
	if rep.Overall.Passed != x {
		t.Errorf("overall passed = %d, want %d", rep.Overall.Passed, x)
	}
	if want := len(dims) + len(defaultCrossings); len(rep.Tables) != want {
		t.Fatalf("%d tables, want %d", len(rep.Tables), want)
	}
	for _, tb := range rep.Tables {
		total := 0
		for _, c := range tb.Cells {
			if c.Suppressed {
				t.Fatalf("%s %v suppressed with MinCount 1", tb.Name, c.Keys)
			}
			n, x := recount(rows, tb.Dims, c.Keys)
			if c.N != n || c.Passed != x || c.Rate != float64(x)/float64(n) {
				t.Errorf("%s %v: %d/%d rate %g, want %d/%d", tb.Name, c.Keys, c.Passed, c.N, c.Rate, x, n)
			}
			if lo, hi := Wilson(x, n, Z95); c.Lo != lo || c.Hi != hi {
				t.Errorf("%s %v: interval [%g, %g]", tb.Name, c.Keys, c.Lo, c.Hi)
			}
			total += c.N
		}
		// Every decision (or element decision) is in some cell.
		want := len(rows)
		if tb.Dims[0] == ByElement {
			want = 0
			for _, r := range rows {
				want += len(r.Elements)
			}
		}
		if total != want {
			t.Errorf("%s: cells hold %d, want %d", tb.Name, total, want)
		}
	}
}

// TestOrder checks the sort orders: phases in rollout order, statuses
// practitioner first, cohorts in Options.Windows order.
func TestOrder(t *testing.T) {
	rows := cohortRows(2, 800, 5, 8)
	windows := []string{"W07", "W06", "W05", "W04", "W03", "W02", "W01", "W00"}
	rep, err := Build(rows, Options{Windows: windows, MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	keys := func(name string) []string {
		var out []string
		for _, c := range rep.Table(name).Cells {
			out = append(out, strings.Join(c.Keys, "|"))
		}
		return out
	}
	if got := keys("phase"); !slices.Equal(got, phases) {
		t.Errorf("phases %v", got)
	}
	if got := keys("status"); !slices.Equal(got, statuses) {
		t.Errorf("statuses %v", got)
	}
	if got := keys("cohort"); !slices.Equal(got, windows) || !slices.Equal(rep.Windows, windows) {
		t.Errorf("cohorts %v, windows %v", got, rep.Windows)
	}
	pc := keys("phase_by_cohort")
	if !slices.IsSortedFunc(pc, func(a, b string) int {
		pa, pb := strings.Split(a, "|"), strings.Split(b, "|")
		if c := rank(phases, pa[0]) - rank(phases, pb[0]); c != 0 {
			return c
		}
		return rank(windows, pa[1]) - rank(windows, pb[1])
	}) {
		t.Errorf("phase_by_cohort out of order: %v", pc)
	}
}

// TestTrends checks that the overall trend is the cohort table in window
// order and each phase series has a point per window, empty where the phase
// had no decision.
func TestTrends(t *testing.T) {
	rows := cohortRows(3, 900, 5, 8)
	rep, err := Build(rows, Options{MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Trends) != 4 || rep.Trends[0].By != "" || rep.Trends[1].By != ByEmployer || rep.Trends[2].By != ByPhase {
		t.Fatalf("trends by %v", rep.Trends)
	}
	if got, want := rep.Trends[0].Series[0].Points, rep.Table("cohort").Cells; !reflect.DeepEqual(got, want) {
		t.Errorf("overall trend %v, want %v", got, want)
	}
	for _, s := range rep.Trends[2].Series {
		if len(s.Points) != len(rep.Windows) {
			t.Fatalf("phase %s: %d points", s.Key, len(s.Points))
		}
		for i, p := range s.Points {
			n, x := recount(rows, []Dim{ByPhase, ByCohort}, []string{s.Key, rep.Windows[i]})
			if p.Keys[0] != rep.Windows[i] || p.N != n || p.Passed != x {
				t.Errorf("phase %s point %d: %+v, want %d/%d", s.Key, i, p, x, n)
			}
		}
	}
}

// TestDeterministic: the order of the rows does not change the report.
func TestDeterministic(t *testing.T) {
	rows := cohortRows(4, 2000, 30, 10)
	want, err := Build(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 2))
	for range 3 {
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		got, err := Build(rows, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatal("report differs after shuffling the rows")
		}
	}
}

// TestNoPersonInOutput: no person id reaches the report.
func TestNoPersonInOutput(t *testing.T) {
	rows := cohortRows(5, 300, 4, 3)
	rep, err := Build(rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	if err := rep.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{string(js), csv.String()} {
		if strings.Contains(out, "person-") {
			t.Fatal("a person id is in the output")
		}
	}
}

func TestBadInput(t *testing.T) {
	good := func() []Row { return cohortRows(6, 20, 2, 2) }
	tests := []struct {
		name   string
		change func(rows []Row, o *Options)
		want   error
	}{
		{"no rows", func(rows []Row, o *Options) {}, ErrNoRows},
		{"no person", func(rows []Row, o *Options) { rows[3].Person = " " }, ErrEmpty},
		{"no employer", func(rows []Row, o *Options) { rows[3].Employer = "" }, ErrEmpty},
		{"no cohort", func(rows []Row, o *Options) { rows[3].Cohort = "" }, ErrEmpty},
		{"phase", func(rows []Row, o *Options) { rows[3].Phase = "phase3" }, ErrPhase},
		{"status", func(rows []Row, o *Options) { rows[3].Status = "manager" }, ErrStatus},
		{"outcome", func(rows []Row, o *Options) { rows[3].Outcome = "pass" }, ErrOutcome},
		{"element", func(rows []Row, o *Options) { rows[3].Elements[""] = true }, ErrEmpty},
		{"duplicate", func(rows []Row, o *Options) { rows[4].Person, rows[4].Cohort = rows[3].Person, rows[3].Cohort }, ErrDuplicate},
		{"unknown window", func(rows []Row, o *Options) { o.Windows = []string{"W00"}; rows[3].Cohort = "W09" }, ErrUnknownWindow},
		{"window twice", func(rows []Row, o *Options) { o.Windows = []string{"W00", "W00"} }, ErrWindows},
		{"min count", func(rows []Row, o *Options) { o.MinCount = -1 }, ErrMinCount},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows := good()
			if tc.want == ErrNoRows {
				rows = nil
			}
			var o Options
			tc.change(rows, &o)
			_, err := Build(rows, o)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			var re *RowError
			if errors.As(err, &re) && re.Row != 3 && re.Row != 4 {
				t.Errorf("error names row %d", re.Row)
			}
		})
	}
	for _, c := range [][2]Dim{{"region", ByCohort}, {ByEmployer, ByEmployer}, {ByEmployer, ByElement}} {
		if _, err := Build(good(), Options{Crossings: [][2]Dim{c}}); err == nil {
			t.Errorf("crossing %v accepted", c)
		}
	}
	// A person may be decided again in a later window (a re-sit).
	rows := good()
	rows[4].Person, rows[4].Cohort = rows[3].Person, "W09"
	if _, err := Build(rows, Options{}); err != nil {
		t.Errorf("re-sit in another window refused: %v", err)
	}
}

// TestSparseCrossing: a crossing too large for an array is counted in a
// map, with the same cells.
func TestSparseCrossing(t *testing.T) {
	b := aggregated(t, cohortRows(8, 400, 10, 4))
	for _, c := range b.crossing {
		dense := b.twoWay(c)
		sparse := b.twoWaySparse(&tab{name: dense.name, dims: dense.dims})
		if !reflect.DeepEqual(dense.keys, sparse.keys) {
			t.Fatalf("%s: keys differ", dense.name)
		}
		for j := range dense.items {
			if b.items[dense.items[j]] != b.items[sparse.items[j]] {
				t.Errorf("%s cell %d: %+v, sparse %+v", dense.name, j, b.items[dense.items[j]], b.items[sparse.items[j]])
			}
		}
	}
}
