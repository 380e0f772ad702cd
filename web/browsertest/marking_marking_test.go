package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine/roleplay"
)

const (
	liam  = "ASR-LIAM"
	nadia = "ASR-NADIA"
)

// TestMarkOfflineDoubleMarkAndFlag: an assessor marks station S1 on a
// portrait tablet, loses the network in the middle, keeps marking, comes
// back and submits: every change reaches the store exactly once. The
// second assessor double-marks on a landscape tablet, blind to the first,
// with a global judgement three steps away, and the lead assessor's view
// flags the discrepancy.
func TestMarkOfflineDoubleMarkAndFlag(t *testing.T) {
	r := newRig(t)
	a := r.tab(820, 1180)
	a.signIn(r.url, "asr-liam-5c7v")
	if got := a.eval(`document.getElementById('now-candidate').textContent`); got != "Anna Kowalska (slot 1)" {
		t.Fatalf("candidate now at the station: %q", got)
	}
	a.waitFor(`document.getElementById('timer').textContent === '25:00 left in slot 1'`)

	// Online: two marks, acknowledged.
	a.mark("purpose", 2)
	a.mark("safety", 2)
	a.waitSaved()
	a.look("mark-online")
	if n := len(r.log("S1", "C01", liam)); n != 2 {
		t.Fatalf("online: %d changes stored, want 2", n)
	}

	// The Wi-Fi drops in the middle of the station.
	a.offline(true)
	a.waitFor(`document.getElementById('conn').dataset.state === 'offline'`)
	a.mark("engagement", 3)
	a.mark("information", 1)
	a.mark("next-steps", 2)
	a.mark("safety", 3) // a second thought, made offline
	a.judge(2)
	a.do(chromedp.SendKeys(chromedp.CSS("#note"), "Asked how the bruise happened and who else cares for Jay."))
	a.do(chromedp.Click(chromedp.CSS(`fieldset[data-criterion="safety"] details.crit-note summary`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[data-note="safety"]`), "Named the bruise plainly and asked to see Jay alone."))
	a.mark("purpose", 3)
	a.waitFor(`document.getElementById('sync').dataset.waiting === '8'`)
	a.waitFor(`document.querySelector('fieldset[data-criterion="engagement"] .state').dataset.state === 'waiting' &&
		document.querySelector('fieldset[data-criterion="engagement"] button[data-value="3"]').getAttribute('aria-pressed') === 'true' &&
		document.getElementById('note-state').dataset.state === 'waiting' &&
		document.querySelector('fieldset[data-criterion="safety"] .note-state').dataset.state === 'waiting'`)
	a.look("mark-offline")
	if n := len(r.log("S1", "C01", liam)); n != 2 {
		t.Fatalf("offline: the store holds %d changes, want 2", n)
	}

	// Back online: the queue drains; then submit.
	a.offline(false)
	a.waitSaved()
	a.waitFor(`document.getElementById('conn').dataset.state === 'online'`)
	a.submit()
	a.look("mark-submitted")

	log := r.log("S1", "C01", liam)
	want := []string{"mark purpose 2", "mark safety 2", "mark engagement 3", "mark information 1", "mark next-steps 2",
		"mark safety 3", "judgement  2", "note  0", "note safety 0", "mark purpose 3", "submit  0"}
	if len(log) != len(want) {
		t.Fatalf("stored %d changes, want %d exactly once each: %+v", len(log), len(want), log)
	}
	for i, e := range log {
		if got := fmt.Sprintf("%s %s %d", e.Kind, e.Criterion, e.Value); got != want[i] || e.Seq != uint64(i+1) || e.By != liam {
			t.Errorf("change %d: %s seq %d by %s, want %s seq %d", i, got, e.Seq, e.By, want[i], i+1)
		}
	}
	if log[7].Text != "Asked how the bruise happened and who else cares for Jay." || log[8].Text != "Named the bruise plainly and asked to see Jay alone." {
		t.Errorf("notes stored as %q and %q", log[7].Text, log[8].Text)
	}

	// The second assessor, blind to the first, on a landscape tablet.
	b := r.tab(1180, 820)
	b.signIn(r.url, "ASR-NADIA-8F2B")
	if n := b.eval(`String(document.querySelectorAll('button.point[aria-pressed="true"]').length)`); n != "0" {
		t.Fatalf("the second assessor sees %s marks on a fresh sheet", n)
	}
	if strings.Contains(b.text(), "Liam") {
		t.Fatalf("the second assessor's page names the first: %s", b.text())
	}
	b.markSheet(2, 5)
	b.look("mark-landscape")
	b.submit()

	// A third assessor is signed in at the staff sign-in and opens the
	// tablet page: the session signs her in there too.
	h := r.tab(820, 1180)
	h.staffSignIn(r.url, "ASR-HELEN-6P4W", "/mark")
	h.waitFor(`!document.getElementById('screen-station').hidden && document.getElementById('conn').dataset.state === 'online'`)
	if got := h.eval(`document.getElementById('who').textContent`); got != "Helen Price · ASR-HELEN" {
		t.Errorf("signed in by the session as %q", got)
	}

	// The lead assessor signs in as staff, then opens the circuit.
	lead := r.tab(1180, 820)
	lead.do(enterCode(r.url+"/lead", "LEAD-IRIS-4T6M", "#signin button"))
	lead.waitFor(`!!document.querySelector('#flags .flag[data-station="S1"][data-candidate="C01"]')`)
	flag := lead.eval(`document.querySelector('#flags .flag').textContent`)
	for _, w := range []string{"Liam Doyle: 15/18, Borderline", "Nadia Rahman: 12/18, Excellent", "global judgements 3 steps apart", "a third marker marks"} {
		if !strings.Contains(flag, w) {
			t.Errorf("flag %q lacks %q", flag, w)
		}
	}
	lead.waitFor(`document.getElementById('summary').textContent.includes('2 of 20 sheets submitted · 1 flagged')`)
	lead.look("lead-view")

	// The lead asks Helen to third-mark the recording; her tablet is told.
	lead.choose("#assign-S1-C01", "ASR-HELEN")
	lead.do(chromedp.Click(chromedp.CSS(`#flags .flag[data-station="S1"] form.assign button`)))
	lead.waitFor(`document.querySelector('#flags .flag').textContent.includes("Helen Price's sheet is not started")`)
	h.waitFor(`document.getElementById('news').textContent.includes('station S1 (third marking)')`)
	h.choose("#circuit", roleplay.DemoPractitionerCircuit)
	h.choose("#station", "1")
	h.waitFor(`document.getElementById('sheet-title').textContent === 'Flagged station, third marking: Anna Kowalska (C01), slot 1'`)
	h.markSheet(2, 3)
	h.look("mark-third")
	h.submit()
	lead.waitFor(`document.querySelector('#flags .flag').textContent.includes("Helen Price's sheet is submitted; the station score that stands is 12")`)
	if n := len(r.log("S1", "C01", "ASR-HELEN")); n != 7 {
		t.Errorf("third marker's sheet: %d changes stored, want 7", n)
	}

	// The lead moderates the first assessor's judgement with a reason.
	lead.do(chromedp.Click(chromedp.CSS(`button.chip[data-sheet="S1/C01/ASR-LIAM"]`)),
		chromedp.WaitVisible(chromedp.CSS("#moderate")))
	// Each criterion offers its own scale, the judgement the judgement
	// scale, each with the sheet's current value chosen.
	if got := lead.eval(`[...document.querySelectorAll('#mod-value option')].map((o) => o.textContent).join('|')`); got != "0 · Not shown|1 · Limited|2 · Competent|3 · Strong (current)" {
		t.Errorf("moderation values for %s: %s", lead.eval(`document.getElementById('mod-what').value`), got)
	}
	lead.choose("#mod-what", "")
	if got := lead.eval(`[...document.querySelectorAll('#mod-value option')].map((o) => o.textContent).join('|')`); got != "1 · Clear fail|2 · Borderline (current)|3 · Clear pass|4 · Good|5 · Excellent" {
		t.Errorf("moderation values for the judgement: %s", got)
	}
	lead.do(chromedp.SetValue(chromedp.CSS("#mod-value"), "3"),
		chromedp.SendKeys(chromedp.CSS("#mod-reason"), "Recording reviewed with both assessors"),
		chromedp.Click(chromedp.CSS(`#moderate button[type=submit]`)))
	lead.waitFor(`document.getElementById('mod-trail').textContent.includes('global judgement 2 → 3 (submitted 2). Reason: Recording reviewed with both assessors')`)
	lead.look("lead-moderated")
	log = r.log("S1", "C01", liam)
	if last := log[len(log)-1]; last.Kind != roleplay.ModerateJudgement || last.By != "LEAD-IRIS" || last.Value != 3 || last.Reason == "" {
		t.Errorf("moderation stored as %+v", last)
	}
}
