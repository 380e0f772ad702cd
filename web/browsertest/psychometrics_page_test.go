package browsertest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web/webtest"
)

// TestPsychometricsPageErrorsTabsAndLinks: a sitting nobody has submitted
// gets a plain sentence, the server's words kept in a collapsed detail;
// the tabs follow the WAI-ARIA keyboard pattern; each circuit's downloads
// name their circuit.
func TestPsychometricsPageErrorsTabsAndLinks(t *testing.T) {
	model, err := roleplay.Load(roleplay.Demo())
	if err != nil {
		t.Fatal(err)
	}
	node := webtest.NewNode(t, webtest.Options{
		Library: sittingOf(t, 3),
		Engine:  engine.Config{Clock: clock.NewFake(webtest.Start)},
		Marking: marking.Config{Model: model, Clock: clock.NewFake(model.Circuits[roleplay.DemoPractitionerCircuit].Start)},
	})
	ctx := chromium.New(t, 1280, 900)
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	str := func(js string) string { t.Helper(); return eval[string](t, tctx, js) }
	if err := chromedp.Do(tctx, enterCode(node.URL()+"/psychometrics", "STAFF-PSY-5T2N", `#signin button[type="submit"]`),
		until(`location.pathname === '/psychometrics' && !document.getElementById('work').hidden && !document.getElementById('status-detail').hidden`)); err != nil {
		t.Fatalf("%v\npage: %s", err, pageState(ctx))
	}
	if got := str(`document.getElementById('status').textContent`); !strings.HasPrefix(got, "No candidate has submitted an attempt in this sitting yet") {
		t.Errorf("status %q", got)
	}
	if got := str(`String(document.getElementById('status-detail').open) + ' ' + document.getElementById('status-detail-text').textContent`); got != "false no submitted attempts in this sitting yet" {
		t.Errorf("detail %q", got)
	}
	look(t, tctx, "psychometrics-empty")

	// One submitted attempt: too few candidates, said plainly.
	sit(t, node.Engine, 1)
	waitFor(t, tctx, `(() => { const s = document.getElementById('status').textContent;
		if (s.startsWith('No candidate')) document.getElementById('tab-items').click();
		return s !== '' && !s.startsWith('No candidate') && !s.startsWith('Analysing'); })()`)
	if got := str(`document.getElementById('status').textContent + ' | ' + document.getElementById('status-detail').hidden`); !strings.HasPrefix(got, "Too few") || !strings.HasSuffix(got, "| false") {
		t.Errorf("one attempt: %q", got)
	}

	// The tabs by keyboard: one Tab stop, arrows, Home and End.
	if got := str(`[...document.querySelectorAll('[role=tab]')].map((b) => b.tabIndex).join(',')`); got != "0,-1,-1,-1,-1" {
		t.Errorf("tab stops %s", got)
	}
	steps := []struct {
		key, want string
	}{{kb.ArrowRight, "tab-rasch"}, {kb.ArrowRight, "tab-dif"}, {kb.End, "tab-incidents"}, {kb.ArrowLeft, "tab-impact"}, {kb.ArrowRight, "tab-incidents"},
		{kb.ArrowRight, "tab-items"}, {kb.Home, "tab-items"}, {kb.ArrowLeft, "tab-incidents"}}
	if err := chromedp.Do(tctx, chromedp.Focus(chromedp.CSS("#tab-items"))); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if err := chromedp.Do(tctx, chromedp.KeyEvent(s.key)); err != nil {
			t.Fatal(err)
		}
		got := str(`document.activeElement.id + ' ' + document.activeElement.getAttribute('aria-selected') + ' ' + document.activeElement.tabIndex + ' ' + document.getElementById(document.activeElement.getAttribute('aria-controls')).hidden`)
		if got != s.want+" true 0 false" {
			t.Errorf("after %q: %s, want %s selected, focused and shown", s.key, got, s.want)
		}
	}

	// Every download link names its circuit.
	waitFor(t, tctx, `!document.getElementById('roleplay').hidden`)
	names := str(`[...document.querySelectorAll('#roleplay-table a')].map((a) => a.getAttribute('aria-label')).join('|')`)
	for _, c := range model.Circuits {
		if !strings.Contains(names, "sheets (CSV): "+c.Title) {
			t.Errorf("no sheets link names %q: %s", c.Title, names)
		}
	}
}

// TestPsychometricsIncidents: the Incidents tab shows each candidate's
// attempt beside the incidents that touched it, numbered as in the log: a
// room-wide incident touches everyone, one naming a candidate only them,
// and a voided attempt is marked as not scored.
func TestPsychometricsIncidents(t *testing.T) {
	node := webtest.NewNode(t, webtest.Options{
		Library: sittingOf(t, 3),
		Engine:  engine.Config{Clock: clock.NewFake(webtest.Start)},
	})
	eng := node.Engine
	bg := context.Background()
	sit(t, eng, 2)
	id, err := eng.Join(bg, "PSY-Q2X-K7M", nop{})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Invigilate(bg, id, engine.Command{Kind: engine.CmdVoid, Reason: "malpractice: phone out", By: "inv1"}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []engine.Incident{
		{Category: "environment", Reporter: "inv1", Text: "fire alarm, room out for 10 minutes"},
		{Category: "candidate", Reporter: "inv1", Text: "phone seen on the desk", Candidates: []string{"c2"}},
	} {
		if _, err := eng.LogIncident(bg, "s1", in); err != nil {
			t.Fatal(err)
		}
	}
	ctx := chromium.New(t, 1280, 900)
	do(t, ctx, enterCode(node.URL()+"/psychometrics", "STAFF-PSY-5T2N", `#signin button[type="submit"]`),
		chromedp.WaitVisible(css("#tab-incidents")), chromedp.Click(css("#tab-incidents")))
	waitFor(t, ctx, `document.querySelectorAll('#incident-attempts tbody tr').length === 3`)
	row := func(i int) string {
		return eval[string](t, ctx, `[...document.querySelectorAll('#incident-attempts tbody tr')[`+strconv.Itoa(i)+`].cells].map((c) => c.textContent).join('|')`)
	}
	if got, want := row(0), "c0|submitted (candidate)|yes|—|0|1. environment: fire alarm, room out for 10 minutes"; got != want {
		t.Errorf("c0: %s, want %s", got, want)
	}
	if got, want := row(2), "c2|submitted (voided: malpractice: phone out)|no|—|0|1. environment: fire alarm, room out for 10 minutes; 2. candidate: phone seen on the desk"; got != want {
		t.Errorf("c2: %s, want %s", got, want)
	}
	if got := eval[string](t, ctx, `document.querySelectorAll('#incident-log tbody tr')[1].cells[4].textContent + '|' + document.getElementById('incidents-summary').textContent`); got != "c2|2 incidents logged; 3 of 3 candidates touched by one or more." {
		t.Errorf("log and summary: %s", got)
	}
	if got := eval[string](t, ctx, `document.getElementById('incidents-csv').getAttribute('href')`); got != "/api/sittings/s1/incidents.csv" {
		t.Errorf("csv link %s", got)
	}
}
