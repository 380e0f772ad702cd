package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/scoring/itemanalysis"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// TestAnalysisMatchesCLI checks that the psychometrician's page gets the
// same numbers as `accredit analyse items` run on the exported CSV.
func TestAnalysisMatchesCLI(t *testing.T) {
	srv, eng := newServer(t)
	psy := newClient(t, srv, "STAFF-PSY-5T2N")
	if st, body := psy.do("GET", "/api/sittings/s1/analysis/items", ""); st != http.StatusConflict || !strings.Contains(body, "no submitted attempts") {
		t.Fatalf("before any submission: %d %s, want 409", st, body)
	}
	ctx := context.Background()
	inv := newClient(t, srv, "STAFF-INV-3H8W")
	answers := map[string][][2]string{ // candidate code -> (item, option)
		"TEST-ONE-7K2M": {{"q1", "b"}, {"q2", "a"}, {"q3", "c"}}, // 3 right
		"TEST-TWO-9P4R": {{"q1", "a"}, {"q2", "c"}, {"q3", "c"}}, // 1 right
	}
	ids := map[string]string{}
	for code := range answers {
		id, err := eng.Join(ctx, code, nopPeer{})
		if err != nil {
			t.Fatal(err)
		}
		ids[code] = id
	}
	inv.do("POST", "/api/sittings/s1/release", "")
	for code, as := range answers {
		p := nopPeer{}
		eng.Join(ctx, code, p)
		for i, a := range as {
			eng.Handle(ctx, ids[code], p, engine.ClientMsg{Type: "answer", Seq: uint64(i + 1), Item: a[0], Options: []string{a[1]}})
		}
		eng.Handle(ctx, ids[code], p, engine.ClientMsg{Type: "submit", Seq: 9, Confirm: true})
	}
	st, page := psy.do("GET", "/api/sittings/s1/analysis/items", "")
	if st != http.StatusOK {
		t.Fatalf("items: %d %s", st, page)
	}
	_, csv := psy.do("GET", "/api/sittings/s1/responses.csv", "")
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
	if st, _ := inv.do("GET", "/api/sittings/s1/analysis/items", ""); st != http.StatusForbidden {
		t.Fatalf("invigilator reading analyses: %d, want 403", st)
	}
}
