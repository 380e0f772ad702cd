package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web"
	"github.com/accredit/accredit/web/webtest"
)

// TestAuditPage: an auditor signs in, sees the log newest first in the
// centres' time zone, narrows it to one action and a time typed on the
// centres' clock, and the downloads carry the same filter.
func TestAuditPage(t *testing.T) {
	lib, _ := webtest.Demo(t)
	st := webtest.Bolt(t)
	// In June, when London is an hour ahead of UTC (and of this browser).
	log := audit.New(st, clock.NewFake(time.Date(2026, 6, 20, 8, 30, 0, 0, time.UTC)))
	n := webtest.NewNode(t, webtest.Options{Library: lib, Store: st, Engine: engine.Config{Audit: log}, Web: web.Config{Audit: log}})
	hs := n.HTTP
	ctx := context.Background()
	for _, a := range []audit.Entry{
		{Actor: audit.Actor{Kind: audit.ActorStaff, ID: "s01", Role: "invigilator"}, Action: audit.SittingRelease,
			Target: audit.Target{Kind: audit.TargetSitting, ID: "demo-sitting"}},
		{Actor: audit.Actor{Kind: audit.ActorStaff, ID: "s01", Role: "invigilator"}, Action: audit.AttemptVoid,
			Target: audit.Target{Kind: audit.TargetAttempt, ID: "attempt/demo-sitting/c02"}, Reason: "a phone in the room"},
	} {
		if _, err := log.Append(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	bctx, cancel := context.WithTimeout(chromium.New(t, 1280, 900), 20*time.Second)
	defer cancel()
	rows := `Array.from(document.querySelectorAll('#entries tbody tr')).map((tr) => tr.innerText).join('\n')`
	do(t, bctx,
		chromedp.Navigate(hs.URL+"/audit"),
		chromedp.WaitVisible(chromedp.CSS("#code")), // sent to sign in first
		chromedp.SendKeys(chromedp.CSS("#code"), "AUD-MAREN-7V2H"),
		chromedp.Click(chromedp.CSS(`#signin button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#filter")), // back on the audit page
	)
	waitFor(t, bctx, `document.querySelectorAll('#entries tbody tr').length >= 3`)
	all := eval[string](t, bctx, rows)
	// Newest first: the auditor's own sign-in, the void, the release.
	if lines := strings.Split(all, "\n"); len(lines) != 3 || !strings.Contains(lines[0], "staff.signin") ||
		!strings.Contains(lines[1], "attempt.void") || !strings.Contains(lines[1], "a phone in the room") ||
		!strings.Contains(lines[2], "sitting.release") {
		t.Fatalf("entries shown:\n%s", all)
	}
	if !strings.Contains(all, "2026-06-20 09:30:00") {
		t.Errorf("entries at 08:30 UTC shown as\n%s\nwant 09:30:00 London time", all)
	}
	if got := eval[string](t, bctx, `document.getElementById('entries-caption').textContent`); !strings.Contains(got, "Europe/London") {
		t.Errorf("caption %q names no time zone", got)
	}
	look(t, bctx, "audit-all")
	// From 09:30 London time is from 08:30 UTC: the void is in, as it
	// would not be were the time read as UTC or as this browser's zone.
	do(t, bctx,
		chromedp.SetValue(chromedp.CSS("#action"), "attempt."),
		chromedp.SetValue(chromedp.CSS("#from"), "2026-06-20T09:30"),
		chromedp.Click(chromedp.CSS(`#filter button[type="submit"]`)),
	)
	waitFor(t, bctx, `document.getElementById('csv').href.includes('from=')`)
	waitFor(t, bctx, `document.querySelectorAll('#entries tbody tr').length === 1`)
	shown := eval[string](t, bctx, rows)
	csvHref := eval[string](t, bctx, `document.getElementById('csv').href`)
	if !strings.Contains(shown, "attempt.void") || !strings.Contains(csvHref, "action=attempt.") ||
		!strings.Contains(csvHref, "from=2026-06-20T08%3A30%3A00Z") {
		t.Fatalf("filtered to %q, csv %q", shown, csvHref)
	}
	look(t, bctx, "audit-filtered")
}
