package programme

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const peopleHeader = "id,name,registration,employer,employment,started,email,seeks,age_band,sex\n"

func TestImportPeopleFaults(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		csv  string
		want []string // Fault.String() of each fault, in order
	}{
		{"good", peopleHeader +
			"a1,Ann,SW1,bury,permanent,2020-01-01,a1@example.org,practitioner,40-49,F\n" +
			"a2,Bob,SW2,leeds,agency,2025-01-01,a2@example.org,supervisor,,\n", nil},
		{"duplicate registration in file", peopleHeader +
			"a1,Ann,SW1,bury,permanent,2020-01-01,a1@example.org,practitioner,,\n" +
			"a2,Bob,sw 1,bury,permanent,2020-01-01,a2@example.org,practitioner,,\n",
			[]string{`people.csv:3: registration: registration number "sw 1" is taken (also in row 1)`}},
		{"registration already stored", peopleHeader +
			"a3,Cat,SWtaken,bury,permanent,2020-01-01,a3@example.org,practitioner,,\n",
			[]string{`people.csv:2: registration: registration number "SWtaken" is taken`}},
		{"unknown employer", peopleHeader +
			"a1,Ann,SW1,york,permanent,2020-01-01,a1@example.org,practitioner,,\n",
			[]string{`people.csv:2: employer: unknown employer "york"`}},
		{"bad date", peopleHeader +
			"a1,Ann,SW1,bury,permanent,01/02/2020,a1@example.org,practitioner,,\n",
			[]string{`people.csv:2: started: "01/02/2020" is not a date: want YYYY-MM-DD`}},
		{"agency start in the future", peopleHeader +
			"a1,Ann,SW1,bury,agency,2026-04-01,a1@example.org,practitioner,,\n",
			[]string{`people.csv:2: started: agency start date 2026-04-01 is in the future`}},
		{"every fault, every line", peopleHeader +
			"a1,Ann,SW1,bury,permanent,2020-01-01,a1@example.org,practitioner,,\n" +
			"a1,,SW1,york,temp,2020-13-01,not-an-email,boss,,\n",
			[]string{
				`people.csv:3: started: "2020-13-01" is not a date: want YYYY-MM-DD`,
				`people.csv:3: name: missing`,
				`people.csv:3: employer: unknown employer "york"`,
				`people.csv:3: employment: "temp": want permanent or agency`,
				`people.csv:3: email: "not-an-email" is not an email address`,
				`people.csv:3: seeks: "boss": want one of [practitioner supervisor leader]`,
				`people.csv:3: id: person "a1" exists (also in row 1)`,
				`people.csv:3: registration: registration number "SW1" is taken (also in row 1)`,
			}},
		{"missing column", "id,name\na,b\n", []string{"people.csv:1: registration: missing column", "people.csv:1: employer: missing column",
			"people.csv:1: employment: missing column", "people.csv:1: started: missing column", "people.csv:1: email: missing column", "people.csv:1: seeks: missing column"}},
		{"unknown column", strings.TrimSuffix(peopleHeader, "\n") + ",shoe\n", []string{"people.csv:1: shoe: unknown column"}},
		{"short line", peopleHeader + "a1,Ann\n", []string{"people.csv:2: 2 fields, the header has 10"}},
		{"bad quoting", peopleHeader + "a1,\"Ann,SW1\n", []string{`people.csv:2: extraneous or missing " in quoted-field`}},
		{"empty", "", []string{"people.csv:1: no header: EOF"}},
		{"header only", peopleHeader, []string{"people.csv:1: no people"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, openBolt(t))
			f.person(t, "taken", "leeds", Permanent, t0.AddDate(-1, 0, 0), Practitioner)
			before, _ := f.p.People(ctx, "")
			n, err := f.p.ImportPeople(ctx, admin, "people.csv", strings.NewReader(tc.csv))
			if tc.want == nil {
				if err != nil || n != 2 {
					t.Fatalf("%d, %v", n, err)
				}
				mon, _ := f.p.Monitoring(ctx)
				if len(mon) != 2 || mon[0].Person != "a1" || mon[0].Monitoring.Sex != "F" {
					t.Fatalf("monitoring %+v", mon)
				}
				return
			}
			var ie *ImportError
			if !errors.As(err, &ie) || !errors.Is(err, ErrImport) {
				t.Fatalf("case %d: %v", i, err)
			}
			var got []string
			for _, fl := range ie.Faults {
				got = append(got, fl.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("faults\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			after, _ := f.p.People(ctx, "")
			mon, _ := f.p.Monitoring(ctx)
			if len(after) != len(before) || len(mon) != 1 {
				t.Fatalf("refused import stored people: %d before, %d after, %d monitoring", len(before), len(after), len(mon))
			}
		})
	}
}

func TestImportEmployers(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, openBolt(t))
	good := "id,name,region,phase,rating\noldham,Oldham,North West,phase1,requires_improvement\nwigan,Wigan,North West,Phase2,good\n"
	n, err := f.p.ImportEmployers(ctx, admin, "employers.csv", strings.NewReader(good))
	if err != nil || n != 2 {
		t.Fatalf("%d, %v", n, err)
	}
	bad := "id,name,region,phase,rating\nbury,Bury,North West,phase1,good\nx y,,North West,phase9,meh\n"
	_, err = f.p.ImportEmployers(ctx, admin, "employers.csv", strings.NewReader(bad))
	want := `import refused, 5 error(s): employers.csv:2: id: employer "bury" exists; employers.csv:3: id: id "x y": use letters, digits, '-', '_' or '.', starting with a letter or digit; ` +
		`employers.csv:3: name: missing; employers.csv:3: phase: "phase9": want one of [pilot phase1 phase2 national]; employers.csv:3: rating: "meh": want one of [inadequate requires_improvement good outstanding];`
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	es, _ := f.p.Employers(ctx)
	if len(es) != 4 {
		t.Fatalf("%d employers", len(es))
	}
	if _, err := f.p.ImportEmployers(ctx, Actor{Kind: ActorStaff, ID: "adm-bury"}, "e.csv", strings.NewReader(good)); !errors.Is(err, ErrRefused) {
		t.Fatalf("employer admin imports: %v", err)
	}
}

// peopleCSV is n people spread over employers e0..e(m-1).
func peopleCSV(n, m int) string {
	var b strings.Builder
	b.WriteString(peopleHeader)
	for i := range n {
		fmt.Fprintf(&b, "p%05d,Person %d,SW%07d,e%03d,permanent,2019-09-01,p%d@example.org,practitioner,30-39,F\n", i, i, i, i%m, i)
	}
	return b.String()
}

func employersCSV(m int) string {
	var b strings.Builder
	b.WriteString("id,name,region,phase,rating\n")
	for i := range m {
		fmt.Fprintf(&b, "e%03d,Authority %d,Region %d,%s,%s\n", i, i, i%9, phases[i%4], ratings[i%4])
	}
	return b.String()
}
