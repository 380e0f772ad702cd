package programme

import (
	"context"
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/audit/audittest"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/mapfs"
)

// The import tree of testdata/import: two employers, four people, two
// sittings of the demo form (harrowgate-march started the day before t0,
// fenwick-april a month after) and six staff.
const importDir = "testdata/import"

// importTree is the demo content's items and forms with the sittings and
// staff.json of testdata/import; change, if set, edits it first.
func importTree(t testing.TB, change func(fstest.MapFS)) fstest.MapFS {
	t.Helper()
	files := fstest.MapFS{}
	mapfs.Copy(t, files, content.Demo(), func(p string) bool { return strings.HasPrefix(p, "items/") || strings.HasPrefix(p, "forms/") })
	mapfs.Copy(t, files, os.DirFS(importDir), func(p string) bool { return strings.HasPrefix(p, "sittings/") || p == "staff.json" })
	if change != nil {
		change(files)
	}
	return files
}

func importRules() Rules {
	bps := DefaultBlueprints()
	bps[0].Forms = []string{"demo-form"}
	return Rules{Blueprints: bps}
}

func csvFile(t testing.TB, name string) *File {
	t.Helper()
	f, err := os.Open(importDir + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return &File{Name: name, Data: f}
}

// fullImport is the whole of testdata/import.
func fullImport(t testing.TB) FileImport {
	return FileImport{Employers: csvFile(t, "employers.csv"), People: csvFile(t, "people.csv"), Content: importTree(t, nil)}
}

func newImportProgramme(t *testing.T, st store.Store, rec *audittest.Recorder) *Programme {
	t.Helper()
	cfg := Config{Store: st, Clock: clock.NewFake(t0), Rules: importRules()}
	if rec != nil {
		cfg.Recorder = rec
	}
	p, err := New(cfg)
	must(t, err)
	return p
}

// streamLengths is every programme stream's number of records.
func streamLengths(t *testing.T, st store.Store) map[string]int {
	t.Helper()
	ctx := context.Background()
	names, err := st.Streams(ctx, "programme/")
	must(t, err)
	out := map[string]int{}
	for _, n := range names {
		recs, err := st.Read(ctx, n, 0)
		must(t, err)
		out[n] = len(recs)
	}
	return out
}

func TestImportFiles(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			rec := &audittest.Recorder{}
			p := newImportProgramme(t, st, rec)
			rep, err := p.ImportFiles(ctx, admin, fullImport(t))
			must(t, err)
			want := map[string]int{KindEmployer: 2, KindPerson: 4, KindStaff: 2, KindSignIn: 6, KindSitting: 2, KindBooking: 4}
			for kind, n := range want {
				if got := rep.Count(kind, Created); got != n {
					t.Errorf("%s: %d created, want %d", kind, got, n)
				}
			}
			if n := rep.Count("", Present); n != 0 {
				t.Errorf("%d present on a fresh store", n)
			}

			// A node that has read nothing finds it all in the store.
			q := newImportProgramme(t, st, rec)
			s, c, err := q.ByAccessCode(ctx, "hgt bea 7n2w")
			must(t, err)
			if s.ID != "harrowgate-march" || c.ID != "p-bea" || c.Accommodation != 1.5 || c.AccessCode != "HGT-BEA-7N2W" {
				t.Errorf("HGT-BEA-7N2W admits %s %+v", s.ID, c)
			}
			fen, err := q.DeliverySitting(ctx, "fenwick-april")
			must(t, err)
			if !fen.CheckIn || fen.LateAfterMinutes != 20 || !fen.RejoinApproval || fen.RejoinGraceSeconds != 120 ||
				!slices.Equal(fen.Invigilators, []string{"inv-tobias"}) || fen.Centre != "Orchard House, Fenwick" {
				t.Errorf("fenwick-april delivered as %+v", fen)
			}
			if len(fen.Candidates) != 2 || !fen.Candidates[0].LargerText || fen.Candidates[1].LargerText {
				t.Errorf("fenwick-april candidates %+v", fen.Candidates)
			}
			av, err := q.Availability(ctx, Knowledge, "harrowgate-march")
			must(t, err)
			if av.Sitting.Capacity != 2 || av.Free[""] != 0 || av.Sitting.Status != Practitioner || av.Sitting.Session != "morning" {
				t.Errorf("harrowgate-march: %+v free %v", av.Sitting, av.Free)
			}
			inv, ok, err := q.SignInByCode(ctx, "INV-MARI-5H3P")
			must(t, err)
			if !ok || inv.ID != "inv-marisol" || inv.Role != content.RoleInvigilator || !slices.Equal(inv.Sittings, []string{"harrowgate-march"}) {
				t.Errorf("INV-MARI-5H3P signs in %v %+v", ok, inv)
			}
			sup, err := q.Staff(ctx, "sup-harrowgate")
			must(t, err)
			if sup.Employer != "harrowgate" || sup.Role != RoleSupervisor {
				t.Errorf("sup-harrowgate is %+v", sup)
			}
			r, err := q.Record(ctx, "p-bea")
			must(t, err)
			if len(r.Bookings) != 1 || !r.Bookings[0].Approved || r.Bookings[0].Source != "sittings/harrowgate-march.json" || r.Bookings[0].State != BookingLive {
				t.Errorf("p-bea's bookings %+v", r.Bookings)
			}
			if n := slices.Index(rec.Actions(), audit.ImportContent); n < 0 {
				t.Errorf("no %s in the audit: %v", audit.ImportContent, rec.Actions())
			}

			// The same import again, on another node: nothing new.
			before := streamLengths(t, st)
			again, err := newImportProgramme(t, st, rec).ImportFiles(ctx, admin, fullImport(t))
			must(t, err)
			if n := again.Count("", Created); n != 0 {
				t.Errorf("second import created %d", n)
			}
			if n := again.Count("", Present); n != len(rep.Records) {
				t.Errorf("second import: %d present of %d", n, len(rep.Records))
			}
			if after := streamLengths(t, st); !maps.Equal(before, after) {
				t.Errorf("second import wrote: before %v after %v", before, after)
			}
		})
	}
}

// faultStrings returns the faults of an *ImportError, or fails.
func faultStrings(t *testing.T, err error) []string {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) || !errors.Is(err, ErrImport) {
		t.Fatalf("want an *ImportError, got %v", err)
	}
	out := make([]string, len(ie.Faults))
	for i, f := range ie.Faults {
		out[i] = f.String()
	}
	return out
}

func TestImportFilesRefused(t *testing.T) {
	setFile := func(name, body string) func(fstest.MapFS) {
		return func(m fstest.MapFS) { m[name] = &fstest.MapFile{Data: []byte(body)} }
	}
	replace := func(name, old, new string) func(fstest.MapFS) {
		return func(m fstest.MapFS) {
			m[name] = &fstest.MapFile{Data: []byte(strings.Replace(string(m[name].Data), old, new, 1))}
		}
	}
	cases := []struct {
		name  string
		in    func(t *testing.T) FileImport
		rules *Rules
		want  []string // each the whole of one fault
	}{
		{"candidates without people", func(t *testing.T) FileImport {
			return FileImport{Employers: csvFile(t, "employers.csv"), Content: importTree(t, nil)}
		}, nil, []string{
			"sittings/fenwick-april.json: candidate p-cato: no person with id p-cato; import people first or give --people",
			"sittings/fenwick-april.json: candidate p-dara: no person with id p-dara; import people first or give --people",
			"sittings/harrowgate-march.json: candidate p-amir: no person with id p-amir; import people first or give --people",
			"sittings/harrowgate-march.json: candidate p-bea: no person with id p-bea; import people first or give --people",
		}},
		{"a bad date and a bad accommodation", func(t *testing.T) FileImport {
			in := fullImport(t)
			in.People = &File{Name: "people.csv", Data: strings.NewReader(strings.Replace(mustRead(t, "people.csv"), "2019-09-01", "2019-13-01", 1))}
			in.Content = importTree(t, replace("sittings/harrowgate-march.json", `"time_accommodation": 1.5`, `"time_accommodation": 2.5`))
			return in
		}, nil, []string{
			`people.csv:3: started: "2019-13-01" is not a date: want YYYY-MM-DD`,
			"sittings/harrowgate-march.json: candidate p-bea: time_accommodation: extra time factor 2.5: the programme allows more than 1 and at most 2",
		}},
		{"a candidate's code is a staff code", func(t *testing.T) FileImport {
			in := fullImport(t)
			in.Content = importTree(t, replace("staff.json", "PSY-NGOZ-2V7K", "FNW-DARA-6J5M"))
			return in
		}, nil, []string{`staff.json: [2].code: code "FNW-DARA-6J5M" is also an access code, in sittings/fenwick-april.json at candidates[1].access_code`}},
		{"a supervisor without an employer, a name that differs", func(t *testing.T) FileImport {
			in := fullImport(t)
			in.Content = importTree(t, func(m fstest.MapFS) {
				replace("staff.json", `, "employer": "harrowgate"`, "")(m)
				replace("sittings/fenwick-april.json", `"Cato Mwangi"`, `"Kato Mwangi"`)(m)
			})
			return in
		}, nil, []string{
			`sittings/fenwick-april.json: candidate p-cato: name: the file has "Kato Mwangi"; person p-cato is "Cato Mwangi"`,
			`staff.json: staff sup-harrowgate: employer: a supervisor belongs to an employer: give its employer id ("employer") or create the programme staff record first`,
		}},
		{"a form in no blueprint", func(t *testing.T) FileImport { return fullImport(t) }, &Rules{}, []string{
			`sittings/fenwick-april.json: form: form "demo-form" is in no status's blueprint: add it to the programme's rules`,
			`sittings/harrowgate-march.json: form: form "demo-form" is in no status's blueprint: add it to the programme's rules`,
		}},
		{"a malformed sitting file", func(t *testing.T) FileImport {
			in := fullImport(t)
			in.Content = importTree(t, setFile("sittings/fenwick-april.json", `{"id": "fenwick-april", "candidates": 3}`))
			return in
		}, nil, nil},
	}
	for name, open := range storetest.Backends() {
		for _, tc := range cases {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				st := open(t)
				p := newImportProgramme(t, st, nil)
				if tc.rules != nil {
					var err error
					p, err = New(Config{Store: st, Clock: clock.NewFake(t0), Rules: *tc.rules})
					must(t, err)
				}
				_, err := p.ImportFiles(context.Background(), admin, tc.in(t))
				got := faultStrings(t, err)
				for _, w := range tc.want {
					if !slices.Contains(got, w) {
						t.Errorf("no fault %q in\n%s", w, strings.Join(got, "\n"))
					}
				}
				if len(got) == 0 || (tc.want != nil && len(got) != len(tc.want)) {
					t.Errorf("%d faults, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
				}
				for _, f := range got {
					if !strings.Contains(f, ".csv:") && !strings.Contains(f, ".json: ") {
						t.Errorf("fault not located at a file: %s", f)
					}
				}
				if n := streamLengths(t, st); len(n) != 0 {
					t.Errorf("a refused import stored %v", n)
				}
			})
		}
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(importDir + "/" + name)
	must(t, err)
	return string(b)
}

// TestImportFilesDiffers: a second import whose files now say otherwise
// than the store names every field that differs and stores nothing; one
// whose booking was cancelled since does not book it again.
func TestImportFilesDiffers(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			p := newImportProgramme(t, st, nil)
			_, err := p.ImportFiles(ctx, admin, fullImport(t))
			must(t, err)
			bs, err := p.Record(ctx, "p-dara")
			must(t, err)
			must(t, p.Cancel(ctx, admin, "p-dara", bs.Bookings[0].ID))
			before := streamLengths(t, st)
			in := fullImport(t)
			in.Employers = &File{Name: "employers.csv", Data: strings.NewReader(strings.Replace(mustRead(t, "employers.csv"), "North East", "North West", 1))}
			in.Content = importTree(t, func(m fstest.MapFS) {
				name := "sittings/harrowgate-march.json"
				m[name].Data = []byte(strings.Replace(string(m[name].Data), "Quayside Assessment Centre", "Riverside Assessment Centre", 1))
				m[name].Data = []byte(strings.Replace(string(m[name].Data), "HGT-AMIR-4K8T", "HGT-AMIR-4K8V", 1))
				m["staff.json"].Data = []byte(strings.Replace(string(m["staff.json"].Data), "INV-TOBI-8C4X", "INV-TOBI-8C4Y", 1))
			})
			_, err = p.ImportFiles(ctx, admin, in)
			got := faultStrings(t, err)
			for _, w := range []string{
				`employers.csv:2: region: employer harrowgate is stored with region "North East"; the file has "North West"`,
				`sittings/harrowgate-march.json: centre: sitting harrowgate-march is stored with centre "Quayside Assessment Centre, Harrowgate"; the file has "Riverside Assessment Centre, Harrowgate"`,
				`sittings/harrowgate-march.json: candidate p-amir: access_code: booking ` + importBookingID("harrowgate-march", "p-amir") + ` is stored with access_code "HGTAMIR4K8T"; the file has "HGTAMIR4K8V"`,
				`staff.json: staff inv-tobias: code: the sign-in of inv-tobias is stored with code "INVTOBI8C4X"; the file has "INVTOBI8C4Y"`,
				`sittings/fenwick-april.json: candidate p-dara: booking ` + importBookingID("fenwick-april", "p-dara") + ` of p-dara is cancelled since it was imported; an import does not book it again`,
			} {
				if !slices.Contains(got, w) {
					t.Errorf("no fault %q in\n%s", w, strings.Join(got, "\n"))
				}
			}
			if len(got) != 5 {
				t.Errorf("%d faults, want 5:\n%s", len(got), strings.Join(got, "\n"))
			}
			if after := streamLengths(t, st); !maps.Equal(before, after) {
				t.Errorf("a refused import wrote: before %v after %v", before, after)
			}
		})
	}
}

// TestImportFilesCodeClash: a sitting of a later import may not reuse an
// access code the store has issued, nor a stored sign-in code.
func TestImportFilesCodeClash(t *testing.T) {
	ctx := context.Background()
	st := openBolt(t)
	p := newImportProgramme(t, st, nil)
	_, err := p.ImportFiles(ctx, admin, fullImport(t))
	must(t, err)
	in := FileImport{Content: importTree(t, func(m fstest.MapFS) {
		delete(m, "sittings/fenwick-april.json")
		m["sittings/harrowgate-march.json"].Data = []byte(`{"id": "harrowgate-may", "form": "demo-form", "centre": "Quayside", "scheduled": "2026-05-01T09:30:00Z",
			"candidates": [{"id": "p-cato", "name": "Cato Mwangi", "access_code": "HGT-AMIR-4K8T"}, {"id": "p-dara", "name": "Dara Ferreira", "access_code": "INV-TOBI-8C4X"}]}`)
		m["staff.json"].Data = []byte(`[]`)
	})}
	_, err = p.ImportFiles(ctx, admin, in)
	got := faultStrings(t, err)
	for _, w := range []string{
		`sittings/harrowgate-march.json: candidate p-cato: access_code: code "HGT-AMIR-4K8T" is the access code of booking ` + importBookingID("harrowgate-march", "p-amir") + ` on sitting harrowgate-march already`,
		`sittings/harrowgate-march.json: candidate p-dara: access_code: code "INV-TOBI-8C4X" is the sign-in code of staff inv-tobias`,
	} {
		if !slices.Contains(got, w) {
			t.Errorf("no fault %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
}

func TestImportFilesDryRun(t *testing.T) {
	st := openBolt(t)
	p := newImportProgramme(t, st, nil)
	in := fullImport(t)
	in.DryRun = true
	rep, err := p.ImportFiles(context.Background(), admin, in)
	must(t, err)
	if !rep.DryRun || rep.Count(KindBooking, Created) != 4 {
		t.Errorf("dry run reported %+v", rep)
	}
	if n := streamLengths(t, st); len(n) != 0 {
		t.Errorf("a dry run stored %v", n)
	}
	if _, err := p.ImportFiles(context.Background(), Actor{Kind: ActorStaff, ID: "sup-harrowgate"}, fullImport(t)); !errors.Is(err, ErrRefused) {
		t.Errorf("staff imported: %v", err)
	}
}

// TestImportFilesNotAtomic: on a store that cannot write two streams
// together each booking takes two writes, the person's first; a run
// stopped between them (its seat missing) is completed by the next.
func TestImportFilesNotAtomic(t *testing.T) {
	ctx := context.Background()
	ss := &sideStore{Store: openBolt(t), notAtomic: true}
	p := newImportProgramme(t, ss, nil)
	_, err := p.ImportFiles(ctx, admin, fullImport(t))
	must(t, err)
	if kinds := personKinds(t, ss, "p-amir"); !slices.Equal(kinds, []string{recBooked}) {
		t.Fatalf("p-amir's stream %v", kinds)
	}
	if _, c, err := p.ByAccessCode(ctx, "HGT-AMIR-4K8T"); err != nil || c.ID != "p-amir" {
		t.Fatalf("HGT-AMIR-4K8T: %v %v", c, err)
	}

	// A booking whose seat was never stored: the person's record only.
	st := openBolt(t)
	q := newImportProgramme(t, st, nil)
	in := fullImport(t)
	in.DryRun = true
	_, err = q.ImportFiles(ctx, admin, in)
	must(t, err)
	pf := parseFiles(fullImport(t))
	pl, err := q.planImport(ctx, admin, pf)
	must(t, err)
	half := *pl
	half.bookings = nil
	must(t, q.applyImport(ctx, admin, &half))
	b := pl.bookings[0].b
	_, err = st.Append(ctx, personStream(b.Person), -1, mustJSON(&record{Kind: recBooked, At: t0, By: &admin, Booking: &b}))
	must(t, err)
	rep, err := newImportProgramme(t, st, nil).ImportFiles(ctx, admin, fullImport(t))
	must(t, err)
	if n := rep.Count(KindBooking, Created); n != 4 {
		t.Errorf("%d bookings completed, want 4", n)
	}
	if _, c, err := q.ByAccessCode(ctx, b.Code); err != nil || c.ID != b.Person {
		t.Errorf("%s after the second run: %v %v", b.Code, c, err)
	}
	if kinds := personKinds(t, st, b.Person); !slices.Equal(kinds, []string{recBooked}) {
		t.Errorf("%s's stream %v: the booking stored twice?", b.Person, kinds)
	}
}

// TestImportedInvigilators: on a node whose content has no staff file, a
// new sitting may name an invigilator whose sign-in was imported, and no
// other imported staff member.
func TestImportedInvigilators(t *testing.T) {
	ctx := context.Background()
	st := openBolt(t)
	_, err := newImportProgramme(t, st, nil).ImportFiles(ctx, admin, fullImport(t))
	must(t, err)
	bare := importTree(t, func(m fstest.MapFS) {
		for name := range m {
			if strings.HasPrefix(name, "sittings/") || name == "staff.json" {
				delete(m, name)
			}
		}
	})
	lib, err := content.Load(bare)
	must(t, err)
	p, err := New(Config{Store: st, Clock: clock.NewFake(t0), Rules: importRules(), Library: lib})
	must(t, err)
	s := Sitting{ID: "fenwick-june", Centre: "Orchard House", Start: t0.AddDate(0, 3, 0), Session: "morning", Capacity: 10, Form: "demo-form"}
	s.Invigilators = []string{"psy-ngozi"}
	if _, err := p.CreateSitting(ctx, admin, s); !slices.Equal(codes(err), []Code{CodeInvalid}) {
		t.Errorf("a psychometrician invigilates: %v", err)
	}
	s.Invigilators = []string{"inv-tobias"}
	_, err = p.CreateSitting(ctx, admin, s)
	must(t, err)
}
