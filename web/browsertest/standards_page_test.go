package browsertest

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/internal/csvtest"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// TestStandardsPageWarnsAndLabels: the standard-setting page says who is
// signed in and looks like the other staff pages; its chart has labelled
// axes and a legend for every line; "rounds" counts rounds; panels that
// disagree beyond chance are warned of, with the p; the same file for
// both panels is refused; decisions show formatted times and the current
// one; and only a short summary is announced.
func TestStandardsPageWarnsAndLabels(t *testing.T) {
	dir := t.TempDir()
	src := "../../standardsetting/testdata"
	for _, f := range []string{"angoff_panelA.csv", "angoff_panelB.csv", "scores.csv"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A panel far stricter than panel A: every rating 0.3 higher.
	writeShifted(t, filepath.Join(src, "angoff_panelA.csv"), filepath.Join(dir, "strict_panel.csv"), 0.3)
	node := webtest.NewNode(t, webtest.Options{
		Library: webtest.Library(t, fixture),
		Engine:  engine.Config{Clock: clock.NewFake(webtest.Start)},
		Web:     web.Config{StandardsDir: dir},
	})
	ctx := chromium.New(t, 1280, 900)
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tctx, steps...); err != nil {
			t.Fatalf("%v\npage: %s", err, pageState(ctx))
		}
	}
	str := func(js string) string { t.Helper(); return eval[string](t, tctx, js) }
	wait := func(js string) { t.Helper(); waitFor(t, tctx, js) }

	run(enterCode(node.URL()+"/signin?next=/standards/", "STAFF-PSY-5T2N", `#signin button[type="submit"]`),
		until(`location.pathname === '/standards/' && document.querySelector('#reconciled h2') !== null && document.getElementById('bar-who').textContent.startsWith('Signed in as')`))
	if got := str(`document.getElementById('bar-who').textContent`); !strings.HasSuffix(got, " · Psychometrician") {
		t.Errorf("signed in as %q", got)
	}
	if got := str(`[...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.getAttribute('href')).join(' ')`); !strings.Contains(got, "/static/style.css") || !strings.Contains(got, "/static/psychometrics.css") {
		t.Errorf("stylesheets %q: not the staff pages' look", got)
	}
	if got := str(`document.querySelector('#panels .panel tr[data-row="rounds"] td').textContent`); got != "1" {
		t.Errorf("rounds row reads %q, want the count 1", got)
	}
	if got := str(`document.querySelector('#panels .panel tr[data-row="cut after each round"] td').textContent`); !strings.HasPrefix(got, "round 1: ") {
		t.Errorf("round cuts read %q", got)
	}
	// Only the summary is live; the result areas are not.
	if got := str(`[...document.querySelectorAll('[aria-live], [role=status], [role=alert]')].map((e) => e.id).sort().join(',')`); got != "error,impact-line,summary" {
		t.Errorf("live regions %q", got)
	}
	if got := str(`document.getElementById('summary').textContent`); !strings.HasPrefix(got, "Computed: reconciled cut 11.419") || len(got) > 200 {
		t.Errorf("summary %q", got)
	}
	// The chart: axis labels, and a legend naming each line.
	wait(`document.querySelectorAll('#curve .legend text').length === 4`)
	texts := str(`[...document.querySelectorAll('#curve text')].map((e) => e.textContent).join('|')`)
	for _, w := range []string{"Cut score (raw)", "Pass rate", "angoff_panelA cut", "angoff_panelB cut", "Applied cut"} {
		if !strings.Contains(texts, w) {
			t.Errorf("chart lacks %q: %s", w, texts)
		}
	}
	// The reference panels: warned of exactly when |z| > 1.96.
	z, err := strconv.ParseFloat(str(`document.querySelector('#reconciled tr:nth-child(4) td').textContent.split(' ')[0]`), 64)
	if err != nil {
		t.Fatal(err)
	}
	if warned := str(`String(!!document.getElementById('disagree'))`) == "true"; warned != (z > 1.96 || z < -1.96) {
		t.Errorf("z = %.3f, warned %v", z, warned)
	}
	look(t, tctx, "standards-page")

	// A strict panel against panel A: a warning with the p.
	run(chromedp.SetValue(chromedp.CSS(`select[name="panelB"]`), "strict_panel.csv"),
		chromedp.Click(chromedp.CSS(`#files button[type="submit"]`)))
	wait(`!!document.getElementById('disagree')`)
	if got := str(`document.getElementById('disagree').textContent`); !strings.Contains(got, "The panels disagree: z = ") || !strings.Contains(got, "p < 0.001") {
		t.Errorf("warning %q", got)
	}
	if got := str(`document.getElementById('summary').textContent`); !strings.Contains(got, "Warning: the panels disagree") {
		t.Errorf("summary %q does not announce the warning", got)
	}
	look(t, tctx, "standards-disagree")

	// The same file twice: refused.
	run(chromedp.SetValue(chromedp.CSS(`select[name="panelB"]`), "angoff_panelA.csv"),
		chromedp.Click(chromedp.CSS(`#files button[type="submit"]`)))
	wait(`document.getElementById('error').textContent.includes('the same file')`)
	if got := str(`String(document.querySelectorAll('#panels .panel').length + document.querySelectorAll('#reconciled table').length)`); got != "0" {
		t.Errorf("%s result parts still shown for the same file twice", got)
	}

	// Two decisions for one element: formatted times, the latest current.
	run(chromedp.SetValue(chromedp.CSS(`select[name="panelB"]`), "angoff_panelB.csv"),
		chromedp.Click(chromedp.CSS(`#files button[type="submit"]`)))
	wait(`document.querySelector('#reconciled h2') !== null && document.getElementById('impact-line').textContent !== ''`)
	run(chromedp.Click(chromedp.CSS(`#decision button[type="submit"]`)))
	wait(`document.querySelectorAll('#decisions li').length === 1`)
	before := str(`document.getElementById('impact-line').textContent`)
	str(`(() => { const c = document.getElementById('cut'); c.value = '14'; c.dispatchEvent(new Event('input')); return ''; })()`)
	run(chromedp.SendKeys(chromedp.CSS(`#decision input[name="note"]`), "a stricter cut"))
	wait(`document.getElementById('impact-line').textContent !== ` + jsString(before))
	run(chromedp.Click(chromedp.CSS(`#decision button[type="submit"]`)))
	wait(`document.querySelectorAll('#decisions li').length === 2`)
	items := str(`[...document.querySelectorAll('#decisions li')].map((li) => li.dataset.current + ':' + li.textContent).join('\n')`)
	lines := strings.Split(items, "\n")
	if !strings.HasPrefix(lines[0], "false:") || !strings.HasPrefix(lines[1], "true:") || !strings.Contains(lines[1], "current") {
		t.Errorf("decisions %q: the latest is not marked current", items)
	}
	for _, l := range lines {
		if strings.Contains(l, "T") && strings.Contains(l, "Z ") || strings.Contains(l, ".0") && strings.Contains(l, ":00.") {
			t.Errorf("raw time in %q", l)
		}
		if !strings.Contains(l, "(Europe/London)") {
			t.Errorf("the centres' time zone not named in %q", l)
		}
	}
	look(t, tctx, "standards-decisions")
}

// writeShifted copies an Angoff ratings file with every rating raised by
// d, at most 0.99.
func writeShifted(t *testing.T, from, to string, d float64) {
	t.Helper()
	recs := csvtest.Read(t, from)
	for _, rec := range recs[1:] {
		for i := 1; i < len(rec); i++ {
			v, err := strconv.ParseFloat(rec[i], 64)
			if err != nil {
				t.Fatal(err)
			}
			rec[i] = strconv.FormatFloat(min(v+d, 0.99), 'f', 2, 64)
		}
	}
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	w.WriteAll(recs)
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
