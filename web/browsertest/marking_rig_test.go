package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/chromium"
	"github.com/accredit/accredit/web/webtest"
)

// rig is one Accredit server wired as cmd/accredit serve wires it, with
// the demo content and role-play model, a fake clock five minutes into
// slot 1 of the demo practitioner circuit, and a browser.
type rig struct {
	t       *testing.T
	store   store.Store
	svc     *marking.Service
	url     string
	browser context.Context
}

func newRig(t *testing.T) *rig { return newRigWith(t, nil) }

// newRigWith is newRig with the demo model changed by change first.
func newRigWith(t *testing.T, change func(*roleplay.Model)) *rig {
	t.Helper()
	n := webtest.DemoNode(t, change)
	browser := chromium.New(t, 820, 1180)
	ctx, cancel := context.WithTimeout(browser, 50*time.Second)
	t.Cleanup(cancel)
	return &rig{t: t, store: n.Store, svc: n.Marking, url: n.URL(), browser: ctx}
}

// tab opens a browser tab with a tablet's viewport, as a device of its
// own: cookies and storage are not shared with other tabs.
func (r *rig) tab(width, height int64) *tab {
	r.t.Helper()
	ctx, cancel := chromedp.NewContext(r.browser, chromedp.WithNewBrowserContext())
	r.t.Cleanup(cancel)
	tb := &tab{t: r.t, ctx: ctx}
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: height, DeviceScaleFactor: 1, Mobile: true}); err != nil {
		r.t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true}); err != nil {
		r.t.Fatal(err)
	}
	return tb
}

type tab struct {
	t   *testing.T
	ctx context.Context
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%v\npage says: %s", err, tb.text())
	}
}

func (tb *tab) text() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ''`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return strings.Join(strings.Fields(s), " ")
}

// until waits for a JavaScript condition to hold, also across a page
// navigation (which interrupts a poll in the old page).
func until(js string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(20*time.Millisecond))(ctx, t)
			if err == nil || ctx.Err() != nil || !strings.Contains(err.Error(), "-32000") {
				return chromedp.Void{}, err
			}
		}
	}
}

func (tb *tab) waitFor(js string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, until(js)); err != nil {
		tb.t.Fatalf("waiting for %s: %v\npage says: %s", js, err, tb.text())
	}
}

func (tb *tab) eval(js string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		tb.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// offlineParams are Network.emulateNetworkConditionsByRule's parameters
// with offline beside the conditions, where Chromium 148 reads it (the
// protocol package here has it only inside each condition).
type offlineParams struct {
	Offline    bool                  `json:"offline"`
	Conditions []*network.Conditions `json:"matchedNetworkConditions"`
}

var emulateByRule = cdp.Command[offlineParams, network.EmulateNetworkConditionsByRuleResult]{Method: network.CommandEmulateNetworkConditionsByRule}

// offline cuts the tab's network by DevTools network emulation (and tells
// the page through navigator.onLine, as a tablet losing Wi-Fi would).
func (tb *tab) offline(off bool) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.t.Fatal(err)
	}
	// Chromium 148 reads offline beside the conditions, earlier versions
	// inside each: it is said in both places.
	conds := []*network.Conditions{}
	if off {
		conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if _, err := chromedp.Call(tb.ctx, emulateByRule, offlineParams{Offline: off, Conditions: conds}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		tb.t.Fatal(err)
	}
}

// look checks the tab's page with axe-core and takes its screenshot.
func (tb *tab) look(name string) {
	tb.t.Helper()
	look(tb.t, tb.ctx, name)
}

// signIn opens the marking page and signs in with an assessor code.
func (tb *tab) signIn(url, code string) {
	tb.do(enterCode(url+"/mark", code, "#signin button"))
	tb.waitFor(`!document.getElementById('screen-station').hidden && document.getElementById('conn').dataset.state === 'online'`)
}

// staffSignIn signs in at /signin with a staff code and lands on page.
func (tb *tab) staffSignIn(url, code, page string) {
	tb.do(
		enterCode(url+"/signin?next="+page, code, "#signin button"),
		until(`location.pathname === '`+page+`'`),
	)
}

// choose sets a select's value as a person picking an option would.
func (tb *tab) choose(sel, value string) {
	tb.t.Helper()
	tb.eval(fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event('change')); return s.value; })()`, sel, value))
}

// mark taps a point of a criterion's scale.
func (tb *tab) mark(criterion string, value int) {
	tb.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`fieldset[data-criterion=%q] button.point[data-value="%d"]`, criterion, value))))
}

func (tb *tab) judge(value int) {
	tb.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#judgement button.point[data-value="%d"]`, value))))
}

// markSheet marks every criterion of the demo stations' rubric at value,
// gives the judgement and waits until the sheet is saved.
func (tb *tab) markSheet(value, judgement int) {
	tb.t.Helper()
	for _, c := range []string{"purpose", "safety", "engagement", "information", "next-steps"} {
		tb.mark(c, value)
	}
	tb.judge(judgement)
	tb.waitSaved()
}

func (tb *tab) waitSaved() {
	tb.t.Helper()
	tb.waitFor(`document.getElementById('sync').dataset.waiting === '0' && document.getElementById('sync').textContent === 'All changes saved'`)
}

func (tb *tab) submit() {
	tb.do(chromedp.Click(chromedp.CSS("#submit")), chromedp.Click(chromedp.CSS("#confirm-yes")))
	tb.waitFor(`!document.getElementById('locked').hidden && document.getElementById('locked').textContent.startsWith('Submitted at')`)
}

// log returns the stored changes of a sheet, read from the store itself.
func (r *rig) log(station, candidate, assessor string) []roleplay.Entry {
	r.t.Helper()
	k := roleplay.SheetKey{Circuit: roleplay.DemoPractitionerCircuit, Station: station, Candidate: candidate, Assessor: assessor}
	recs, err := r.store.Read(context.Background(), marking.StreamName(k), 0)
	if err != nil {
		r.t.Fatal(err)
	}
	out := make([]roleplay.Entry, len(recs))
	for i, rec := range recs {
		if err := json.Unmarshal(rec, &out[i]); err != nil {
			r.t.Fatal(err)
		}
	}
	return out
}
