package browsertest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/programme"
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
	id, err := eng.Join(bg, "PSY-Q2X-K7M", enginetest.NopPeer{})
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

// difSitting books n people of the programme fixture, half under 35 and
// half 50 and over, on a sitting of its own and has them answer from a
// seeded Rasch model in which the form's planted item is 2 logits harder
// for the older half; it returns the sitting's id and the planted item.
func difSitting(t *testing.T, node *webtest.Node, p *programme.Programme, clk *clock.Fake, n int) (string, string) {
	t.Helper()
	ctx := context.Background()
	admin := programme.Actor{Kind: programme.ActorAdmin, ID: "s03"}
	const sitting = "dif"
	if _, err := p.CreateSitting(ctx, admin, programme.Sitting{ID: sitting, Centre: "Harbour Street", Start: webtest.SittingStart,
		Session: "afternoon", Capacity: n, Form: "demo-form"}); err != nil {
		t.Fatal(err)
	}
	now := clk.Now()
	people := make([]programme.NewPerson, n)
	for i := range people {
		band := map[bool]string{true: "under 35", false: "50 and over"}[i%2 == 0]
		id := fmt.Sprintf("d%03d", i+1)
		people[i] = programme.NewPerson{Person: programme.Person{ID: id, Name: fmt.Sprintf("Dif Person %03d", i+1),
			Registration: fmt.Sprintf("SW3%05d", i+1), Employer: []string{"north", "south"}[i%2], Employment: programme.Permanent,
			Started: now.AddDate(-4, 0, 0), Email: id + "@example.org", Seeks: programme.Practitioner},
			Monitoring: programme.Monitoring{AgeBand: band, Sex: "female"}}
	}
	if err := p.CreatePeople(ctx, admin, people); err != nil {
		t.Fatal(err)
	}
	form := node.Library.Forms["demo-form"]
	items := form.ItemIDs()
	planted := items[len(items)/2]
	rng := rand.New(rand.NewPCG(2026, 1202))
	diff := map[string]float64{}
	for _, id := range items {
		diff[id] = rng.NormFloat64() * 0.8
	}
	ability := make([]float64, n)
	seeds := make([]uint64, n)
	for i := range ability {
		ability[i], seeds[i] = rng.NormFloat64(), rng.Uint64()
	}
	ids, codes := make([]string, n), make([]string, n)
	var wg sync.WaitGroup
	parallel := func(f func(i int) error) {
		t.Helper()
		errs := make(chan error, n)
		work := make(chan int)
		for range 16 {
			wg.Go(func() {
				for i := range work {
					errs <- f(i)
				}
			})
		}
		for i := range n {
			work <- i
		}
		close(work)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	parallel(func(i int) (err error) { codes[i], err = difBook(ctx, p, people[i].Person.ID); return err })
	parallel(func(i int) (err error) {
		ids[i], err = node.Engine.Join(ctx, codes[i], enginetest.NopPeer{})
		return err
	})
	if err := node.Engine.Release(ctx, sitting, "s01"); err != nil {
		t.Fatal(err)
	}
	parallel(func(i int) error {
		r := rand.New(rand.NewPCG(seeds[i], 1))
		return enginetest.Sit(ctx, node.Engine, node.Library, ids[i], enginetest.NopPeer{}, items, func(item string) bool {
			d := diff[item]
			if item == planted && people[i].Monitoring.AgeBand == "50 and over" {
				d += 2
			}
			return r.Float64() < 1/(1+math.Exp(d-ability[i]))
		})
	})
	return sitting, planted
}

// difBook endorses and books person on the DIF sitting and returns their
// booking's access code.
func difBook(ctx context.Context, p *programme.Programme, person string) (string, error) {
	admin := programme.Actor{Kind: programme.ActorAdmin, ID: "s03"}
	per, err := p.Person(ctx, person)
	if err != nil {
		return "", err
	}
	now := webtest.Start
	if _, err := p.Endorse(ctx, programme.Actor{Kind: programme.ActorStaff, ID: "sup-" + per.Employer}, programme.Endorsement{Person: person,
		Status: programme.Practitioner, Sessions: []time.Time{now.AddDate(0, -2, 0), now.AddDate(0, -1, 0)}, Summary: "reflective supervision",
		FeedbackConsidered: true, FeedbackSummary: "two families' feedback", Outcome: programme.Ready}); err != nil {
		return "", fmt.Errorf("endorse %s: %w", person, err)
	}
	b, err := p.Book(ctx, admin, programme.Request{Person: person, Kind: programme.Knowledge, Event: "dif"})
	if err != nil {
		return "", fmt.Errorf("book %s: %w", person, err)
	}
	return b.Code, nil
}

// TestPsychometricsDIFByAgeBand: the psychometrician picks age band on the
// DIF tab, the groups offered are the age bands with their sizes, and the
// item planted harder for the 50 and over band is flagged class C against
// the under 35 band; the impact tab by age band shows both bands.
func TestPsychometricsDIFByAgeBand(t *testing.T) {
	node, p, clk := webtest.ProgrammeNode(t)
	sitting, planted := difSitting(t, node, p, clk, 240)
	ctx := chromium.New(t, 1280, 1100)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	str := func(js string) string { t.Helper(); return eval[string](t, tctx, js) }
	if err := chromedp.Do(tctx, enterCode(node.URL()+"/psychometrics", "PSY-OMAR-6J2T", `#signin button[type="submit"]`),
		until(`location.pathname === '/psychometrics' && !document.getElementById('work').hidden && document.getElementById('sitting').options.length > 0`)); err != nil {
		t.Fatalf("%v\npage: %s", err, pageState(ctx))
	}
	choose := func(id, value string) { // as a person choosing from the list
		t.Helper()
		if !eval[bool](t, tctx, `(() => { const e = document.getElementById(`+jsString(id)+`); e.value = `+jsString(value)+`;
			e.dispatchEvent(new Event('change')); return e.value === `+jsString(value)+`; })()`) {
			t.Fatalf("#%s has no option %q", id, value)
		}
	}
	choose("sitting", sitting)
	// The page settled, as a person waits to see it: who is signed in
	// and the sitting's items, before turning to another tab.
	waitFor(t, tctx, `document.getElementById('bar-who').textContent.startsWith('Signed in') &&
		document.getElementById('items-summary').textContent.startsWith('240 candidates') && document.getElementById('status').textContent === ''`)
	do(t, tctx, chromedp.Click(css("#tab-dif")), chromedp.WaitVisible(css("#run-dif")))
	choose("dif-by", "age_band")
	waitFor(t, tctx, `[...document.getElementById('ref').options].some((o) => o.value === '50 and over')`)
	if got := str(`[...document.getElementById('ref').options].map((o) => o.textContent).join('|')`); got != "50 and over (120)|under 35 (120)" {
		t.Errorf("groups offered: %s", got)
	}
	choose("ref", "under 35")
	choose("focal", "50 and over")
	do(t, tctx, chromedp.Click(css("#run-dif")))
	waitFor(t, tctx, `document.querySelectorAll('#dif-table tbody tr').length > 0`)
	flagged := str(`[...document.querySelectorAll('#dif-table tbody tr.dif-c')].map((tr) => tr.dataset.item).join(',')`)
	if flagged != planted {
		t.Errorf("rows flagged class C: %q, want the planted %s; status %q", flagged, planted, str(`document.getElementById('status').textContent`))
	}
	if got := str(`document.getElementById('status').textContent`); !strings.Contains(got, "120 reference (under 35) and 120 focal (50 and over)") || !strings.Contains(got, planted) {
		t.Errorf("status %q", got)
	}
	look(t, tctx, "psychometrics-dif-age-band")

	do(t, tctx, chromedp.Click(css("#tab-impact")))
	choose("impact-by", "age_band")
	choose("cut", "14")
	do(t, tctx, chromedp.Click(css("#run-impact")))
	waitFor(t, tctx, `document.querySelectorAll('#impact-table tbody tr').length === 2`)
	if got := str(`[...document.querySelectorAll('#impact-table tbody tr')].map((tr) => tr.cells[0].textContent + ' ' + tr.cells[1].textContent).join('|')`); got != "50 and over 120|under 35 120" {
		t.Errorf("impact rows %s", got)
	}
	look(t, tctx, "psychometrics-impact-age-band")
}
