package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/scoring/itemanalysis"
	"github.com/accredit/accredit/scoring/respmatrix"
	"github.com/accredit/accredit/web/webtest"
)

// TestAnalysisMatchesCLI checks that the psychometrician's page gets the
// same numbers as `accredit analyse items` run on the exported CSV.
func TestAnalysisMatchesCLI(t *testing.T) {
	srv := newServer(t)
	eng := srv.Engine
	psy := srv.Client(t, "STAFF-PSY-5T2N")
	if st, body := psy.Do("GET", "/api/sittings/s1/analysis/items", ""); st != http.StatusConflict || !strings.Contains(body, "no submitted attempts") {
		t.Fatalf("before any submission: %d %s, want 409", st, body)
	}
	ctx := context.Background()
	inv := srv.Client(t, "STAFF-INV-3H8W")
	answers := map[string][][2]string{ // candidate code -> (item, option)
		"TEST-ONE-7K2M": {{"q1", "b"}, {"q2", "a"}, {"q3", "c"}}, // 3 right
		"TEST-TWO-9P4R": {{"q1", "a"}, {"q2", "c"}, {"q3", "c"}}, // 1 right
	}
	ids := map[string]string{}
	for code := range answers {
		id, err := eng.Join(ctx, code, enginetest.NopPeer{})
		if err != nil {
			t.Fatal(err)
		}
		ids[code] = id
	}
	inv.Do("POST", "/api/sittings/s1/release", "")
	for code, as := range answers {
		p := enginetest.NopPeer{}
		eng.Join(ctx, code, p)
		for i, a := range as {
			eng.Handle(ctx, ids[code], p, engine.ClientMsg{Type: "answer", Seq: uint64(i + 1), Item: a[0], Options: []string{a[1]}})
		}
		eng.Handle(ctx, ids[code], p, engine.ClientMsg{Type: "submit", Seq: 9, Confirm: true})
	}
	st, page := psy.Do("GET", "/api/sittings/s1/analysis/items", "")
	if st != http.StatusOK {
		t.Fatalf("items: %d %s", st, page)
	}
	_, csv := psy.Do("GET", "/api/sittings/s1/responses.csv", "")
	m, err := respmatrix.Read(strings.NewReader(csv), "responses.csv", respmatrix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := itemanalysis.Analyse(m)
	if err != nil {
		t.Fatal(err)
	}
	var cli bytes.Buffer
	json.NewEncoder(&cli).Encode(rep)
	if got, want := strings.TrimSpace(page), strings.TrimSpace(cli.String()); got != want {
		t.Fatalf("page and CLI differ:\npage %s\ncli  %s", got, want)
	}
	if !strings.Contains(page, `"id":"q2"`) {
		t.Fatalf("report names no item q2: %s", page)
	}
	if st, _ := inv.Do("GET", "/api/sittings/s1/analysis/items", ""); st != http.StatusForbidden {
		t.Fatalf("invigilator reading analyses: %d, want 403", st)
	}
}

// TestExportEndpoints serves each export to a psychometrician only, as the
// engine writes it.
func TestExportEndpoints(t *testing.T) {
	srv := newServer(t)
	eng := srv.Engine
	ctx := context.Background()
	id, err := eng.Join(ctx, "TEST-ONE-7K2M", enginetest.NopPeer{})
	if err != nil {
		t.Fatal(err)
	}
	inv := srv.Client(t, "STAFF-INV-3H8W")
	inv.Do("POST", "/api/sittings/s1/release", "")
	eng.Handle(ctx, id, enginetest.NopPeer{}, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q2", Options: []string{"c"}})
	eng.Handle(ctx, id, enginetest.NopPeer{}, engine.ClientMsg{Type: "submit", Seq: 2, Confirm: true})
	psy := srv.Client(t, "STAFF-PSY-5T2N")
	anon := srv.Client(t, "")
	tests := []struct {
		name string
		c    *webtest.Client
		path string
		want int
		body string
	}{
		{"responses", psy, "/api/sittings/s1/responses.csv", http.StatusOK, "person,q1,q2,q3,q4\nc1,9,0,9,9\n"},
		{"choices", psy, "/api/sittings/s1/choices.csv", http.StatusOK, "person,q1,q2,q3,q4\nc1,-,c,-,-\n"},
		{"key", psy, "/api/sittings/s1/key.csv", http.StatusOK, "item,key\nq1,b\nq2,a\nq3,c\nq4,a+d\n"},
		{"persons", psy, "/api/sittings/s1/persons.csv", http.StatusOK,
			"person,sitting,centre,form,employer,time_factor,status,reason\nc1,s1,Test Centre,f1,,1,submitted,candidate\nc2,s1,Test Centre,f1,,1.25,not_joined,\n"},
		{"invigilator may not read choices", inv, "/api/sittings/s1/choices.csv", http.StatusForbidden, ""},
		{"invigilator may not read the key", inv, "/api/sittings/s1/key.csv", http.StatusForbidden, ""},
		{"invigilator may not read persons", inv, "/api/sittings/s1/persons.csv", http.StatusForbidden, ""},
		{"anonymous key", anon, "/api/sittings/s1/key.csv", http.StatusUnauthorized, ""},
		{"unknown sitting", psy, "/api/sittings/nope/choices.csv", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, body := tc.c.Do("GET", tc.path, "")
			if st != tc.want || (tc.body != "" && body != tc.body) {
				t.Fatalf("GET %s: %d\n%s\nwant %d\n%s", tc.path, st, body, tc.want, tc.body)
			}
		})
	}
}
