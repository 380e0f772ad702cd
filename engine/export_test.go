package engine_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content/contenttest"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// export runs one of the engine's exports of sitting s1.
func export(t *testing.T, eng *engine.Engine, what string) string {
	t.Helper()
	f := map[string]func(context.Context, string, io.Writer) error{
		"matrix": eng.ExportMatrix, "choices": eng.ExportChoices, "key": eng.ExportKey, "persons": eng.ExportPersons,
	}[what]
	var b strings.Builder
	if err := f(context.Background(), "s1", &b); err != nil {
		t.Fatalf("export %s: %v", what, err)
	}
	return b.String()
}

// TestExports answers one item right, one wrong, one multiple-response item
// right and leaves one unanswered, then voids a second attempt: the
// omission is 9 in the matrix and - in the choices, apart from the wrong
// answer, and the voided attempt is only in the persons file.
func TestExports(t *testing.T) {
	r := newRig(t)
	p, id := r.join(codeOne)
	p2, id2 := r.join(codeTwo)
	r.release()
	r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 2, Item: "q2", Options: []string{"b"}})
	r.send(p, id, engine.ClientMsg{Type: "answer", Seq: 3, Item: "q4", Options: []string{"d", "a"}})
	r.send(p, id, engine.ClientMsg{Type: "submit", Seq: 4, Confirm: true})
	r.send(p2, id2, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	if err := r.eng.Void(context.Background(), id2, "inv1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ what, want string }{
		{"matrix", "person,q1,q2,q3,q4\nc1,1,0,9,1\n"},
		{"choices", "person,q1,q2,q3,q4\nc1,b,b,-,a+d\n"},
		{"key", "item,key\nq1,b\nq2,a\nq3,c\nq4,a+d\n"},
		{"persons", "person,sitting,centre,form,employer,time_factor,status,reason\n" +
			"c1,s1,Test Centre,f1,,1,submitted,candidate\nc2,s1,Test Centre,f1,,1.25,submitted,voided\n"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			if got := export(t, r.eng, tc.what); got != tc.want {
				t.Fatalf("%s:\n%s\nwant:\n%s", tc.what, got, tc.want)
			}
		})
	}
	t.Run("choices and key score to the matrix", func(t *testing.T) {
		m, err := respmatrix.Read(strings.NewReader(export(t, r.eng, "matrix")), "m.csv", respmatrix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := respmatrix.ReadChoices(strings.NewReader(export(t, r.eng, "choices")), "c.csv", respmatrix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		key, err := respmatrix.ReadKey(strings.NewReader(export(t, r.eng, "key")), "k.csv")
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Score(key)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s.Row(0), m.Row(0)) || !s.IsOmitted(0, 2) || !m.IsOmitted(0, 2) || m.IsOmitted(0, 1) {
			t.Fatalf("choices scored %v, matrix %v; omitted q3 %v %v, q2 %v", s.Row(0), m.Row(0), s.IsOmitted(0, 2), m.IsOmitted(0, 2), m.IsOmitted(0, 1))
		}
	})
}

func TestExportBeforeSubmission(t *testing.T) {
	r := newRig(t)
	r.join(codeOne)
	if got, want := export(t, r.eng, "matrix"), "person,q1,q2,q3,q4\n"; got != want {
		t.Fatalf("matrix before any submission:\n%s", got)
	}
	if got, want := export(t, r.eng, "persons"), "c1,s1,Test Centre,f1,,1,waiting,\nc2,s1,Test Centre,f1,,1.25,not_joined,\n"; !strings.HasSuffix(got, want) {
		t.Fatalf("persons:\n%s\nwant rows:\n%s", got, want)
	}
	for _, f := range []func() error{
		func() error { return r.eng.ExportMatrix(context.Background(), "nope", &strings.Builder{}) },
		func() error { return r.eng.ExportChoices(context.Background(), "nope", &strings.Builder{}) },
		func() error { return r.eng.ExportKey(context.Background(), "nope", &strings.Builder{}) },
		func() error { return r.eng.ExportPersons(context.Background(), "nope", &strings.Builder{}) },
	} {
		if err := f(); !errors.Is(err, engine.ErrUnknownSitting) {
			t.Errorf("unknown sitting: %v", err)
		}
	}
}

// TestExportNaturalOrder books candidates c10, c2, c1, C3 and c02 (in that
// order) and expects rows in the order people read ids.
func TestExportNaturalOrder(t *testing.T) {
	ids := []string{"c10", "c2", "c1", "C3", "c02"}
	codes := []string{"TEST-TEN-4W8Z", "TEST-TWO-9P4R", "TEST-ONE-7K2M", "TEST-TRI-5G6H", "TEST-OHT-8J3V"}
	var cands []string
	for i, id := range ids {
		cands = append(cands, `{"id": "`+id+`", "name": "N", "access_code": "`+codes[i]+`", "employer": "E`+id+`"}`)
	}
	r := newRig(t)
	r.lib = contenttest.WithSitting(t, "testdata/lib", "Test Centre", cands)
	r.restart()
	r.release()
	for _, code := range codes {
		p, id := r.join(code)
		r.send(p, id, engine.ClientMsg{Type: "submit", Seq: 1, Confirm: true})
	}
	want := []string{"C3", "c1", "c02", "c2", "c10"} // upper case first, as bytes; c02 and c2 equal in value, then bytes
	for _, what := range []string{"matrix", "choices", "persons"} {
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(export(t, r.eng, what)), "\n")[1:] {
			got = append(got, strings.Split(line, ",")[0])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s rows %q, want %q", what, got, want)
		}
	}
	if m := export(t, r.eng, "matrix"); !strings.Contains(m, "c10,9,9,9,9\n") {
		t.Errorf("nothing answered: want every item omitted:\n%s", m)
	}
}
