package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
)

// sectionLimit is each section's own limit in the timed-section tests.
const sectionLimit = 10 * time.Minute

// timedHarness is a harness whose form gives each of its two sections
// (questions 1-2, then 3-4) ten minutes of its own.
func timedHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	for i := range h.lib.Forms["f1"].Sections {
		h.lib.Forms["f1"].Sections[i].TimeLimit = content.Duration(sectionLimit)
	}
	return h
}

// text returns the text of the element with the id.
func text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return eval[string](t, ctx, `document.getElementById('`+id+`').textContent`)
}

// TestCandidateTimedSections: the candidate sits a form of two timed
// sections. The first shows its title and its own countdown beside the
// test's; the second's questions are not yet open in the map (disabled,
// and said so in words). Finishing the first asks first, saying what
// closing means; the page then moves to the second, says so politely and
// shows the first as closed. When the second's time runs out on the
// server's clock the test ends.
func TestCandidateTimedSections(t *testing.T) {
	h := timedHarness(t)
	ctx := sitFirstQuestion(t, h)
	waitFor(t, ctx, `!document.getElementById('section-timer').hidden`)
	if got := text(t, ctx, "section-timer"); got != "Section 1 left10:00" && got != "Section 1 left9:59" {
		t.Errorf("section timer reads %q, want section 1's ten minutes", got)
	}
	if got := text(t, ctx, "section-title"); got != "Section 1 of 2: Part one" {
		t.Errorf("section title %q", got)
	}
	if eval[bool](t, ctx, `document.getElementById('timer').hidden`) {
		t.Error("the test's own timer is hidden beside the section's")
	}
	later := `document.querySelector('#qmap button.qbtn[data-pos="2"]')`
	if !eval[bool](t, ctx, later+`.disabled`) || !strings.Contains(eval[string](t, ctx, later+`.getAttribute('aria-label')`), "not yet open") {
		t.Errorf("a later section's question in the map: %s", eval[string](t, ctx, later+`.outerHTML`))
	}
	if got := eval[string](t, ctx, `document.querySelector('#qmap h3[data-section="1"]').textContent`); got != "Part two (not yet open)" {
		t.Errorf("the later section's heading says %q", got)
	}
	if !eval[bool](t, ctx, `document.getElementById('to-review').hidden && !document.getElementById('finish-section').hidden`) {
		t.Error("the map offers review and submit in the first section, not Finish section")
	}
	answerOn(t, ctx, "b")
	waitFor(t, ctx, allSaved)
	look(t, ctx, "candidate-section-open")

	clickNext(t, ctx, 2)
	if got := text(t, ctx, "next"); got != "Finish section…" {
		t.Errorf("Next on a section's last question reads %q, want Finish section…", got)
	}
	do(t, ctx, chromedp.Click(css("#next")), chromedp.WaitVisible(css("#confirm-section-finish")))
	confirm := text(t, ctx, "confirm-section-text")
	if !strings.Contains(confirm, "1 unanswered question in section 1, Part one") || !strings.Contains(confirm, "cannot go back") {
		t.Errorf("the confirmation says %q", confirm)
	}
	if got := text(t, ctx, "confirm-section-then"); got != "Section 2, Part two, opens next, with 10 minutes of its own." {
		t.Errorf("the confirmation says next %q", got)
	}
	look(t, ctx, "candidate-section-confirm")
	do(t, ctx, chromedp.Click(css("#confirm-section-finish")))
	waitFor(t, ctx, atQuestion(3))
	waitFor(t, ctx, `!document.getElementById('section-note').hidden`)
	if got := text(t, ctx, "section-note-text"); got != "Section 1 (Part one) is finished and closed. Section 2 (Part two) has begun. You have 10 minutes for it." {
		t.Errorf("the section note says %q", got)
	}
	if f := focused(t, ctx); f != "item-heading" {
		t.Errorf("focus on %q after the section changed, want the question's heading", f)
	}
	closed := `document.querySelector('#qmap button.qbtn[data-pos="0"]')`
	if !eval[bool](t, ctx, closed+`.disabled`) || !strings.Contains(eval[string](t, ctx, closed+`.getAttribute('aria-label')`), "answered, section closed") {
		t.Errorf("a closed section's question in the map: %s", eval[string](t, ctx, closed+`.outerHTML`))
	}
	if got := eval[string](t, ctx, `document.querySelector('#qmap h3[data-section="0"]').textContent`); got != "Part one (closed)" {
		t.Errorf("the closed section's heading says %q", got)
	}
	if a := h.attempt(); a.Section != 1 || a.SectionsClosed[0] != engine.ReasonCandidate {
		t.Fatalf("stored: section %d, closed %v", a.Section, a.SectionsClosed)
	}
	answerOn(t, ctx, currentAnswer(t, h, ctx)...)
	waitFor(t, ctx, allSaved)
	look(t, ctx, "candidate-section-second")

	h.clock.Advance(sectionLimit - time.Minute) // the server sends the section's time at 5m and 1m left
	waitFor(t, ctx, `document.getElementById('time-note-text').textContent === '1 minute left in section 2. It closes when its time runs out.'`)
	if got := text(t, ctx, "section-timer-value"); got != "1:00" && got != "0:59" {
		t.Errorf("section timer at a minute left reads %q", got)
	}
	look(t, ctx, "candidate-section-minute-left")
	h.clock.Advance(time.Minute + engine.Grace)
	waitFor(t, ctx, onSubmitted)
	waitFor(t, ctx, `document.getElementById('done-text').dataset.reason === 'deadline'`)
	if !eval[bool](t, ctx, `document.getElementById('section-timer').hidden && document.getElementById('section-note').hidden`) {
		t.Error("the section's timer or note is still shown after the test ended")
	}
	look(t, ctx, "candidate-section-time-up")
	if a := h.attempt(); a.Status != engine.StatusSubmitted || len(a.Answers) != 2 {
		t.Errorf("stored: %s with answers %v", a.Status, a.Answers)
	}
}

// TestCandidateSectionTimeRunsOut: when the server closes a section out of
// time, the page moves to the next section by itself and says why.
func TestCandidateSectionTimeRunsOut(t *testing.T) {
	h := timedHarness(t)
	ctx := sitFirstQuestion(t, h)
	h.clock.Advance(sectionLimit + engine.Grace)
	waitFor(t, ctx, atQuestion(3))
	waitFor(t, ctx, `!document.getElementById('section-note').hidden`)
	if got := text(t, ctx, "section-note-text"); !strings.HasPrefix(got, "The time for Section 1 (Part one) ran out, so it has closed") {
		t.Errorf("the section note says %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('#qmap h3[data-section="0"]').textContent`); got != "Part one (closed: time ran out)" {
		t.Errorf("the closed section's heading says %q", got)
	}
	if eval[string](t, ctx, `document.getElementById('section-note-text').getAttribute('aria-live')`) != "polite" {
		t.Error("the section note is not announced politely")
	}
	if !eval[bool](t, ctx, `!document.getElementById('to-review').hidden && document.getElementById('finish-section').hidden`) {
		t.Error("the last section does not offer review and submit")
	}
	look(t, ctx, "candidate-section-closed-by-time")
}

// currentAnswer is a choice for the question on screen.
func currentAnswer(t *testing.T, h *harness, ctx context.Context) []string {
	t.Helper()
	return choiceFor(h.lib.Items[currentItem(t, ctx)], true)
}

// TestCandidateSectionClosedWhileOffline: an answer given offline to a
// section whose time runs out before the connection returns is refused
// when sent; the page says it was not saved, keeps the candidate in the
// next section, and nothing of it is stored.
func TestCandidateSectionClosedWhileOffline(t *testing.T) {
	h := timedHarness(t)
	ctx := sitFirstQuestion(t, h)
	item := currentItem(t, ctx)
	h.networkDown()
	waitFor(t, ctx, offline)
	answerOn(t, ctx, "b")
	h.clock.Advance(sectionLimit + engine.Grace)
	h.networkUp()
	waitFor(t, ctx, atQuestion(3))
	waitFor(t, ctx, allSaved)
	waitFor(t, ctx, `document.getElementById('item-saved').textContent.startsWith('Section 1 is closed: your last change to question 1 arrived too late and was not saved.')`)
	if a := h.attempt(); a.Answers[item] != nil || a.Section != 1 {
		t.Errorf("stored: section %d, answer %v to the closed section's %s", a.Section, a.Answers[item], item)
	}
	look(t, ctx, "candidate-section-closed-offline")
}
