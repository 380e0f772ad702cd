package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestLeadPageKeyboardAndModeration walks the lead's page by keyboard on a
// device in New York: every time is shown in that one labelled zone; the
// refresh keeps the focus on the sheet's button, which names its sheet;
// opening a sheet moves the focus to its heading; moderation offers the
// current mark, never the bottom of the scale; the trail names the lead;
// the lead is not offered as third marker; unsubmitted sheets are text.
func TestLeadPageKeyboardAndModeration(t *testing.T) {
	r := newRig(t)
	// Far apart: flagged for a third marker.
	r.complete("S1", "C01", "ASR-LIAM", 1, 1)
	r.complete("S1", "C01", "ASR-NADIA", 3, 5)

	lead := r.tab(1180, 820)
	if _, err := chromedp.Call(lead.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	lead.do(enterCode(r.url+"/lead", "LEAD-IRIS-4T6M", "#signin button"))
	lead.waitFor(`!!document.querySelector('#flags .flag[data-station="S1"][data-candidate="C01"]') && document.getElementById('updated').textContent !== ''`)

	// One zone, the centres' (not the device's, New York here), named,
	// for the slots and for "Updated".
	ny, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	if got := lead.eval(`document.getElementById('zone').textContent`); got != "Times in Europe/London" {
		t.Errorf("zone label %q", got)
	}
	if got := lead.eval(`document.querySelector('#grid tr th').textContent`); got != "Slot (Europe/London)" {
		t.Errorf("slot column headed %q", got)
	}
	slot1 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).In(ny).Format("15:04") // the demo circuit's start
	if got := lead.eval(`document.querySelector('#grid tr[data-key="slot-1"] th').textContent`); !strings.Contains(got, slot1) {
		t.Errorf("slot 1 shown as %q, want %s London time", got, slot1)
	}
	updated := lead.eval(`document.getElementById('updated').textContent`)
	now := time.Now().In(ny)
	if !strings.Contains(updated, now.Format("15:04")) && !strings.Contains(updated, now.Add(-time.Minute).Format("15:04")) {
		t.Errorf("%q is not London time (%s)", updated, now.Format("15:04"))
	}

	// The lead is not her own third marker.
	if got := lead.eval(`[...document.querySelectorAll('#assign-S1-C01 option')].map((o) => o.value).join(',')`); strings.Contains(got, "LEAD-IRIS") || got == "" {
		t.Errorf("third markers offered: %q", got)
	}
	if got := lead.eval(`document.querySelector('#flags form.assign button').getAttribute('aria-label')`); !strings.Contains(got, "S1, Anna Kowalska") {
		t.Errorf("assign button labelled %q", got)
	}

	// Unsubmitted sheets are text with their state, not disabled buttons.
	if n := lead.eval(`String(document.querySelectorAll('button.chip:not([data-status="submitted"]), button:disabled').length)`); n != "0" {
		t.Errorf("%s unsubmitted sheets or other controls are disabled buttons", n)
	}
	if got := lead.eval(`[...document.querySelectorAll('#grid span.chip')].map((s) => s.textContent).join('|')`); !strings.Contains(got, "not started") {
		t.Errorf("unsubmitted sheets read %q", got)
	}

	// Focus on Liam's sheet in the grid, by keyboard, survives refreshes.
	sel := `#grid button.chip[data-sheet="S1/C01/ASR-LIAM"]`
	if got := lead.eval(`document.querySelector('` + sel + `').getAttribute('aria-label')`); !strings.HasPrefix(got, "Liam Doyle: submitted") || !strings.HasSuffix(got, "open the sheet, S1, Anna Kowalska (C01)") {
		t.Errorf("sheet button labelled %q", got)
	}
	lead.do(chromedp.Focus(chromedp.CSS(sel)))
	lead.eval(`(() => { window.kept = document.activeElement; return ''; })()`)
	lead.waitFor(`document.getElementById('updated').textContent !== ` + jsString(lead.eval(`document.getElementById('updated').textContent`)))
	lead.waitFor(`document.getElementById('updated').textContent !== ` + jsString(lead.eval(`document.getElementById('updated').textContent`)))
	if lead.eval(`String(document.activeElement === window.kept && document.body.contains(window.kept))`) != "true" {
		t.Fatalf("after a refresh the focus is on %s", lead.eval(`document.activeElement.outerHTML.slice(0, 120)`))
	}

	// Enter opens the sheet; the focus moves to its heading.
	lead.do(chromedp.KeyEvent(kb.Enter))
	lead.waitFor(`!document.getElementById('moderate').hidden && document.activeElement && document.activeElement.id === 'mod-title'`)
	if got := lead.eval(`document.getElementById('mod-title').textContent`); got != "Sheet: S1 · Anna Kowalska (C01) · Liam Doyle" {
		t.Errorf("opened sheet headed %q", got)
	}

	// "To" starts at the current mark of the chosen criterion.
	if got := lead.eval(`document.getElementById('mod-what').value + '=' + document.getElementById('mod-value').value`); got != "purpose=1" {
		t.Errorf("moderation starts at %s, want purpose=1 (the current mark)", got)
	}
	lead.choose("#mod-what", "")
	if got := lead.eval(`document.getElementById('mod-value').value`); got != "1" {
		t.Errorf("judgement moderation starts at %s, want 1 (the current judgement)", got)
	}
	lead.do(chromedp.SetValue(chromedp.CSS("#mod-value"), "2"),
		chromedp.SendKeys(chromedp.CSS("#mod-reason"), "Recording reviewed"),
		chromedp.Click(chromedp.CSS(`#moderate button[type=submit]`)))
	lead.waitFor(`document.getElementById('mod-trail').textContent.includes('Iris Campbell: global judgement 1 → 2 (submitted 1). Reason: Recording reviewed')`)
	if got := lead.eval(`document.getElementById('mod-trail').textContent`); strings.Contains(got, "LEAD-IRIS") {
		t.Errorf("trail shows ids: %q", got)
	}
	if got := lead.eval(`document.getElementById('mod-done').textContent`); got == "" {
		t.Error("the moderation is not announced")
	}
	// A criterion's moderation, reason only: the mark stays as it was.
	lead.choose("#mod-what", "purpose")
	lead.do(chromedp.SendKeys(chromedp.CSS("#mod-reason"), "No change meant"),
		chromedp.Click(chromedp.CSS(`#moderate button[type=submit]`)))
	lead.waitFor(`document.getElementById('mod-trail').textContent.includes('Reason: No change meant') || document.getElementById('mod-error').textContent !== ''`)
	if log := r.log("S1", "C01", liam); log[len(log)-1].Reason == "No change meant" && log[len(log)-1].Value != 1 {
		t.Errorf("a moderation with the default value stored %+v", log[len(log)-1])
	}
	lead.look("lead-keyboard")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
