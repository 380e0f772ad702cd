package programme

import (
	"strings"
	"testing"
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
