// Package stafftest drives the staff pages (the psychometrician's analyses
// and the standard-setting page) in a real headless Chromium, as a
// psychometrician would use them.
package browsertest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/content/contenttest"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

const fixture = "../../engine/testdata/lib"

// sittingOf builds a library whose sitting s1 has n candidates from two
// employers.
func sittingOf(t *testing.T, n int) *content.Library {
	t.Helper()
	var cs []string
	for i := range n {
		emp := []string{"Eastvale", "Northmoor"}[i%2]
		cs = append(cs, fmt.Sprintf(`{"id":"c%d","name":"Candidate %d","employer":%q,"access_code":"PSY-Q%dX-K7M"}`, i, i, emp, i))
	}
	return contenttest.WithSitting(t, fixture, "Test", cs)
}

// sit has the n candidates of sittingOf(t, n) sit and submit, with
// answers drawn from a seeded generator.
func sit(t *testing.T, eng *engine.Engine, n int) {
	t.Helper()
	ctx := context.Background()
	if err := eng.Release(ctx, "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	// Options: q1 key b, q2 key a, q3 key c, q4 keys a+d (engine/testdata/lib).
	right := map[string][]string{"q1": {"b"}, "q2": {"a"}, "q3": {"c"}, "q4": {"a", "d"}}
	wrong := map[string][]string{"q1": {"a"}, "q2": {"b"}, "q3": {"a"}, "q4": {"b", "c"}}
	ease := map[string]float64{"q1": 0.8, "q2": 0.6, "q3": 0.45, "q4": 0.3}
	for i := range n {
		p := enginetest.NopPeer{}
		id, err := eng.Join(ctx, fmt.Sprintf("PSY-Q%dX-K7M", i), p)
		if err != nil {
			t.Fatal(err)
		}
		ability := rng.Float64()*0.5 - 0.25
		seq := uint64(0)
		for _, item := range []string{"q1", "q2", "q3", "q4"} {
			seq++
			opts := wrong[item]
			if rng.Float64() < ease[item]+ability {
				opts = right[item]
			}
			eng.Handle(ctx, id, p, engine.ClientMsg{Type: "answer", Seq: seq, Item: item, Options: opts})
		}
		eng.Handle(ctx, id, p, engine.ClientMsg{Type: "submit", Seq: seq + 1, Confirm: true})
	}
}

func TestPsychometricianPages(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"angoff_panelA.csv", "angoff_panelB.csv", "scores.csv"} {
		b, err := os.ReadFile(filepath.Join("../../standardsetting/testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	// Role-play marking on the same store, with one single-marked sheet.
	model, err := roleplay.Load(roleplay.Demo())
	if err != nil {
		t.Fatal(err)
	}
	circuit := model.Circuits[roleplay.DemoPractitionerCircuit]
	node := webtest.NewNode(t, webtest.Options{
		Library: sittingOf(t, 60),
		Engine:  engine.Config{Clock: clock.NewFake(webtest.Start)},
		Marking: marking.Config{Model: model, Clock: clock.NewFake(circuit.Start.Add(35 * time.Minute))},
		Web:     web.Config{StandardsDir: dir},
	})
	sit(t, node.Engine, 60)
	ms := node.Marking
	sheet := func(station, cand, assessor string) roleplay.SheetKey {
		return roleplay.SheetKey{Circuit: circuit.ID, Station: station, Candidate: cand, Assessor: assessor}
	}
	submitSheet(t, ms, sheet("S3", "C03", "ASR-HELEN"), 0, 2)
	// S1, double-marked, for the two candidates of slots 1 and 2.
	submitSheet(t, ms, sheet("S1", "C01", "ASR-LIAM"), 1, 2)
	submitSheet(t, ms, sheet("S1", "C01", "ASR-NADIA"), 1, 2)
	submitSheet(t, ms, sheet("S1", "C04", "ASR-LIAM"), 2, 3)
	submitSheet(t, ms, sheet("S1", "C04", "ASR-NADIA"), 3, 4)
	ctx := chromium.New(t, 1280, 900)
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()

	// Sign in on the analysis page and read the item statistics.
	err = chromedp.Do(tctx,
		enterCode(node.URL()+"/psychometrics", "STAFF-PSY-5T2N", `#signin button[type="submit"]`),
		chromedp.WaitVisible(chromedp.CSS("#items-table tbody tr")),
	)
	if err != nil {
		chromium.Screenshot(t, ctx, "psychometrics-failed.png")
		st, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%v; page says %q", err, st)
	}
	summary, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS("#items-summary")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "60 candidates") || !strings.Contains(summary, "alpha") {
		t.Fatalf("items summary %q", summary)
	}
	look(t, tctx, "psychometrics-items")

	// The role-play circuits, with the scores for standard setting.
	row, err := chromedp.Run(tctx, chromedp.Poll[string](`(() => {
		const tr = document.querySelector('#roleplay-table tr[data-circuit="demo-practitioner"]');
		return !document.getElementById('roleplay').hidden && tr ? tr.innerText : '';
	})()`))
	if err != nil || !strings.Contains(row, "Practitioner simulated practice: demonstration circuit\t5\t2 of 12\t0") {
		t.Fatalf("role-play row %q, %v", row, err)
	}
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`#roleplay-table tr[data-circuit="demo-practitioner"] button`))); err != nil {
		t.Fatal(err)
	}
	agree, err := chromedp.Run(tctx, chromedp.Poll[string](`(() => { const tr = document.querySelector('#agreement-table tr[data-station="S1"]'); return tr ? tr.innerText : ''; })()`))
	if err != nil || !strings.HasPrefix(agree, "S1\t2\t") || !strings.Contains(agree, "ASR-LIAM -1.50, ASR-NADIA +1.50") {
		t.Fatalf("agreement at S1: %q, %v", agree, err)
	}
	look(t, tctx, "psychometrics-roleplay")
	csv, err := chromedp.Run(tctx, chromedp.Evaluate[string](`fetch(document.querySelector('#roleplay-table tr[data-circuit="demo-practitioner"] a[data-shape="standard-setting"]').href).then((r) => r.text())`,
		chromedp.EvalAwaitPromise))
	if err != nil || csv != "candidate,station,checklist,global\nC01,S1,6,2\nC03,S3,0,2\n" {
		t.Fatalf("standard-setting download %q, %v", csv, err)
	}

	// Impact of a cut by employer.
	err = chromedp.Do(tctx,
		chromedp.Click(chromedp.CSS("#tab-impact")),
		chromedp.SetValue(chromedp.CSS("#cut"), "2"),
		chromedp.Click(chromedp.CSS("#run-impact")),
		chromedp.WaitVisible(chromedp.CSS("#impact-table tbody tr")),
	)
	if err != nil {
		t.Fatal(err)
	}
	impact, _ := chromedp.Run(tctx, chromedp.Text(chromedp.CSS("#impact-table tbody")))
	if !strings.Contains(impact, "Eastvale") || !strings.Contains(impact, "Northmoor") {
		t.Fatalf("impact table %q names neither employer", impact)
	}

	// The standard-setting page: both panels side by side and the reconciled cut.
	err = chromedp.Do(tctx,
		chromedp.Navigate(node.URL()+"/standards/"),
		ignore(chromedp.Poll[bool](`document.querySelectorAll('select[name="panelA"] option').length >= 3`)),
		chromedp.SetValue(chromedp.CSS(`select[name="panelA"]`), "angoff_panelA.csv"),
		chromedp.SetValue(chromedp.CSS(`select[name="panelB"]`), "angoff_panelB.csv"),
		chromedp.SetValue(chromedp.CSS(`select[name="scores"]`), "scores.csv"),
		chromedp.Click(chromedp.CSS(`#files button[type="submit"]`)),
		chromedp.Steps(ignore(chromedp.Poll[bool](`document.querySelector("#reconciled h2") !== null`))),
	)
	if err != nil {
		chromium.Screenshot(t, ctx, "standards-failed.png")
		st, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%v; page says %q", err, st)
	}
	rec, _ := chromedp.Run(tctx, chromedp.Text(chromedp.CSS("#reconciled")))
	// Inverse-variance weighted mean of the two panels' cuts (computed in
	// base R 4.2.2 on standardsetting/testdata): 11.4188596355.
	if !strings.Contains(rec, "11.41") {
		t.Fatalf("reconciled section %q lacks the reference cut 11.419", rec)
	}
	look(t, tctx, "standards")
}

// submitSheet stores a complete, submitted sheet: every criterion at mark,
// or the nearest point of its scale, and the judgement given.
func submitSheet(t *testing.T, ms *marking.Service, k roleplay.SheetKey, mark, judgement int) {
	t.Helper()
	m := ms.Model()
	rb, _ := m.RubricOf(m.Circuits[k.Circuit], k.Station)
	var seq uint64
	apply := func(c roleplay.Change) {
		seq++
		c.By, c.Seq = k.Assessor, seq
		if _, err := ms.Apply(context.Background(), k, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, cr := range rb.Criteria() {
		apply(roleplay.Change{Kind: roleplay.SetMark, Criterion: cr.ID, Value: min(max(mark, cr.Min()), cr.Max())})
	}
	apply(roleplay.Change{Kind: roleplay.SetJudgement, Value: judgement})
	apply(roleplay.Change{Kind: roleplay.Submit})
}

// ignore drops an action's value.
func ignore[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}
