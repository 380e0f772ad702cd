package programme

import (
	"maps"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func FuzzParsePeople(f *testing.F) {
	f.Add(peopleCSV(3, 2))
	f.Add(peopleHeader + "a,\"b\nc\",x,y,agency,2020-02-30,e,leader,,\n")
	f.Add("\ufeffid,id\n\"")
	f.Fuzz(func(t *testing.T, s string) {
		ps, faults := ParsePeople("f.csv", strings.NewReader(s))
		for _, fl := range faults {
			if fl.Line < 1 || fl.File != "f.csv" {
				t.Fatalf("fault %+v", fl)
			}
		}
		for _, np := range ps {
			if !np.Person.Started.Equal(day(np.Person.Started)) {
				t.Fatalf("start %v is not a day", np.Person.Started)
			}
		}
	})
}

func FuzzParseEmployers(f *testing.F) {
	f.Add(employersCSV(3))
	f.Add("id,name,region,phase,rating\n,,,,\n\"x")
	f.Fuzz(func(t *testing.T, s string) {
		es, faults := ParseEmployers("f.csv", strings.NewReader(s))
		if len(faults) > 0 && es != nil {
			t.Fatal("employers and faults both returned")
		}
		for _, fl := range faults {
			if fl.Line < 1 {
				t.Fatalf("fault %+v", fl)
			}
		}
	})
}

// FuzzImportContent feeds arbitrary bytes to an import as a sitting file
// and as staff.json, beside the demo items and forms. Reading must never
// panic; it gives either faults that each name a file or a library whose
// sittings map to programme sittings with a place for every candidate.
//
//	go test -run '^$' -fuzz FuzzImportContent -fuzztime 60s -fuzzminimizetime 1s ./engine/programme
func FuzzImportContent(f *testing.F) {
	tree := importTree(f, nil)
	f.Add(tree["sittings/fenwick-april.json"].Data, tree["staff.json"].Data)
	f.Add(tree["sittings/harrowgate-march.json"].Data, []byte(`[]`))
	f.Add([]byte(`{"id":"x","candidates":[{"id":"a","access_code":"AB12-CD34"},{"id":"a"}]}`), []byte(`[{"id":"s","role":"supervisor","employer":"e"}]`))
	f.Add([]byte(`{`), []byte(`null`))
	f.Fuzz(func(t *testing.T, sitting, staff []byte) {
		files := maps.Clone(tree)
		files["sittings/fenwick-april.json"] = &fstest.MapFile{Data: sitting}
		files["staff.json"] = &fstest.MapFile{Data: staff}
		pf := parseFiles(FileImport{Content: files})
		for _, fl := range pf.faults {
			if fl.File == "" || fl.Message == "" {
				t.Fatalf("fault %+v", fl)
			}
		}
		if pf.lib == nil {
			if len(pf.faults) == 0 {
				t.Fatal("no library and no fault")
			}
			return
		}
		for id, s := range pf.lib.Sittings {
			ps := importedSitting(s, pf.lib.Staff)
			if ps.ID != id || ps.Capacity != len(s.Candidates) || ps.Start.Location() != time.UTC {
				t.Fatalf("sitting %s maps to %+v", id, ps)
			}
			if pf.sittingFile[id] == "" {
				t.Fatalf("sitting %s has no file", id)
			}
		}
	})
}
