package impact

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// rowsCSV writes rows in ReadRows' format, element columns sorted.
func rowsCSV(t testing.TB, rows []Row) []byte {
	t.Helper()
	var els []string
	for _, r := range rows {
		for e := range r.Elements {
			if !slices.Contains(els, e) {
				els = append(els, e)
			}
		}
	}
	slices.Sort(els)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := slices.Clone(rowColumns)
	for _, e := range els {
		head = append(head, ElementPrefix+e)
	}
	_ = w.Write(head)
	for _, r := range rows {
		m := r.Monitoring
		rec := []string{r.Person, r.Employer, string(r.Phase), r.Cohort, string(r.Status), string(r.Outcome),
			r.EndorsedBy, m.AgeBand, m.Sex, m.EthnicGroup, m.Disability}
		for _, e := range els {
			v, ok := r.Elements[e]
			switch {
			case !ok:
				rec = append(rec, "")
			case v:
				rec = append(rec, "pass")
			default:
				rec = append(rec, "fail")
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadRowsRoundTrip(t *testing.T) {
	rows := cohortRows(21, 500, 6, 4)
	got, err := ReadRows(bytes.NewReader(rowsCSV(t, rows)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Fatal("rows differ after a round trip through CSV")
	}
}

func TestReadRowsColumnsInAnyOrder(t *testing.T) {
	in := "outcome, element: knowledge ,cohort,status,phase,employer,person\n" +
		"met,pass,W1,practitioner,phase1,LA1,p1\n" +
		"not_met,,W1,supervisor,phase1,LA1,p2\n"
	got, err := ReadRows(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Person: "p1", Employer: "LA1", Phase: Phase1, Cohort: "W1", Status: Practitioner, Outcome: Met,
			Elements: map[string]bool{"knowledge": true}},
		{Person: "p2", Employer: "LA1", Phase: Phase1, Cohort: "W1", Status: Supervisor, Outcome: NotMet},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
}

func TestReadRowsBad(t *testing.T) {
	head := "person,employer,phase,cohort,status,outcome,element:knowledge\n"
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrColumn},
		{"unknown column", "person,employer,phase,cohort,status,outcome,salary\n", ErrColumn},
		{"missing column", "person,employer,phase,cohort,status\n", ErrColumn},
		{"column twice", "person,employer,phase,cohort,status,outcome,element:k,element: k\n", ErrColumn},
		{"element unnamed", "person,employer,phase,cohort,status,outcome,element:\n", ErrColumn},
		{"element value", head + "p1,LA1,phase1,W1,practitioner,met,yes\n", ErrElement},
		{"short row", head + "p1,LA1,phase1\n", csv.ErrFieldCount},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ReadRows(strings.NewReader(tc.in)); !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}

// FuzzReadRows: any input is read or refused without a panic; what is read
// survives a round trip, and Build either refuses it with an error or
// reports on every row.
func FuzzReadRows(f *testing.F) {
	f.Add(rowsCSV(f, cohortRows(22, 12, 3, 2)))
	f.Add([]byte("person,employer,phase,cohort,status,outcome\np,e,pilot,w,leader,met\n"))
	f.Add([]byte("person,employer,phase,cohort,status,outcome,element:\"a,b\"\n\"p\n1\",e,pilot,w,leader,met,pass\n"))
	f.Add([]byte("outcome\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rows, err := ReadRows(bytes.NewReader(in))
		if err != nil {
			return
		}
		again, err := ReadRows(bytes.NewReader(rowsCSV(t, rows)))
		if err != nil {
			t.Fatalf("rows read once are refused the second time: %v", err)
		}
		if len(rows) > 0 && !reflect.DeepEqual(again, rows) {
			t.Fatalf("round trip changed the rows: %+v != %+v", again, rows)
		}
		rep, err := Build(rows, Options{})
		if err != nil {
			return
		}
		if rep.Overall.N != len(rows) && !rep.Overall.Suppressed {
			t.Fatalf("overall n = %d for %d rows", rep.Overall.N, len(rows))
		}
		if err := rep.WriteCSV(&bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	})
}
