package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine/roleplay"
)

// TestLeadDecides: on a circuit where the lead assessor settles flagged
// stations, the lead finds the flagged station on the tablet page among
// their own sheets, marks it and submits, and the lead's view shows the
// decision standing.
func TestLeadDecides(t *testing.T) {
	r := newRigWith(t, func(m *roleplay.Model) {
		m.Circuits[roleplay.DemoPractitionerCircuit].DoubleMarking.Resolution = roleplay.ResolveLead
	})
	// Two sheets far apart, stored as the assessors' tablets would.
	r.complete("S1", "C01", "ASR-LIAM", 1, 1)
	r.complete("S1", "C01", "ASR-NADIA", 3, 5)

	tb := r.tab(1180, 820)
	tb.staffSignIn(r.url, "LEAD-IRIS-4T6M", "/mark")
	tb.waitFor(`document.getElementById('sheet-title').textContent === 'Flagged station, your decision: Anna Kowalska (C01), slot 1'`)
	if got := tb.eval(`document.getElementById('station-title').textContent`); !strings.HasSuffix(got, "(your decision)") {
		t.Errorf("station shown as %q", got)
	}
	tb.markSheet(2, 3)
	tb.submit()
	tb.look("mark-lead-decision")

	tb.do(chromedp.Navigate(r.url + "/lead"))
	tb.waitFor(`!!document.querySelector('#flags .flag') && document.querySelector('#flags .flag').textContent.includes("Resolution: the lead assessor decides; Iris Campbell's sheet is submitted; the station score that stands is 12")`)
	if n := len(r.log("S1", "C01", "LEAD-IRIS")); n != 7 {
		t.Errorf("the lead's decision sheet: %d changes stored, want 7", n)
	}
}

// complete stores a submitted sheet for assessor with every criterion at
// mark and the judgement given.
func (r *rig) complete(station, candidate, assessor string, mark, judgement int) {
	r.t.Helper()
	ctx := context.Background()
	k := roleplay.SheetKey{Circuit: roleplay.DemoPractitionerCircuit, Station: station, Candidate: candidate, Assessor: assessor}
	rb, _ := r.svc.Model().RubricOf(r.svc.Model().Circuits[k.Circuit], station)
	seq := uint64(0)
	apply := func(c roleplay.Change) {
		seq++
		c.By, c.Seq = assessor, seq
		if _, err := r.svc.Apply(ctx, k, c); err != nil {
			r.t.Fatalf("%s %s: %v", assessor, c.Kind, err)
		}
	}
	for _, cr := range rb.Criteria() {
		apply(roleplay.Change{Kind: roleplay.SetMark, Criterion: cr.ID, Value: mark})
	}
	apply(roleplay.Change{Kind: roleplay.SetJudgement, Value: judgement})
	apply(roleplay.Change{Kind: roleplay.Submit})
}
