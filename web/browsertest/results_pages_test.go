package browsertest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accredit/accredit/web/webtest"
)

// mustDo sends a request as c and fails unless it answers want.
func mustDo(t *testing.T, c *webtest.Client, method, path, body string, want int) string {
	t.Helper()
	code, got := c.Do(method, path, body)
	if code != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, code, got, want)
	}
	return got
}

func portalCode(t *testing.T, n *webtest.Node, person string) string {
	t.Helper()
	var pc struct{ Code string }
	body := mustDo(t, n.Client(t, "ADM-RUTH-3H9X"), "GET", "/api/admin/people/"+person+"/portal-code", "", 200)
	if json.Unmarshal([]byte(body), &pc) != nil || pc.Code == "" {
		t.Fatalf("portal code of %s: %s", person, body)
	}
	return pc.Code
}

// TestCandidateResult: r02 sat the knowledge test on the engine and
// passed it (18 of 28), and was marked on the role-play at the lowest
// point of every criterion. The feedback is by domain across both
// elements, so the domains the role-play also assesses are to develop. On their portal the result is held until the window is
// released; then it shows partially met, each element passed or not,
// the role-play to re-sit and by when, the feedback by domain, and no
// score; the candidate lodges an appeal from the page.
func TestCandidateResult(t *testing.T) {
	n, _ := webtest.ResultsNode(t)
	mustDo(t, n.Client(t, "PSY-OMAR-6J2T"), "POST", "/api/results/standards/practitioner", webtest.ResultsStandardJSON, 201)
	code := portalCode(t, n, "r02")
	bctx, cancel := context.WithTimeout(newBrowser(t), 60*time.Second)
	defer cancel()
	do(t, bctx, enterCode(n.URL()+"/portal", code, `#signin button[type="submit"]`), chromedp.WaitVisible(css("#result-held")))
	if text := eval[string](t, bctx, `document.getElementById('result').innerText`); !strings.Contains(text, "held until released") ||
		strings.Contains(text, "Standard") || strings.Contains(text, "Passed") {
		t.Fatalf("before release the portal shows %q", text)
	}
	look(t, bctx, "portal-result-held")

	mustDo(t, n.Client(t, "ADM-RUTH-3H9X"), "POST", webtest.ResultsReleasePath, "", 201)
	do(t, bctx, chromedp.Navigate(n.URL()+"/portal"), chromedp.WaitVisible(css("#result-outcome")))
	text := eval[string](t, bctx, `document.getElementById('result').innerText`)
	for _, want := range []string{"Standard partially met", "Knowledge test\tPassed", "Simulated practice (role-play)\tNot passed",
		"Re-sit: Simulated practice (role-play), from 24 December 2026, by 10 March 2027.", "appeal against this result until 7 January 2027"} {
		if !strings.Contains(text, want) {
			t.Errorf("the result lacks %q:\n%s", want, text)
		}
	}
	for _, mark := range []string{"18", "of 28", "/28", "score", "cut", "%"} {
		if strings.Contains(text, mark) {
			t.Errorf("the result shows a mark (%q):\n%s", mark, text)
		}
	}
	if got := eval[string](t, bctx, `[...document.querySelectorAll('#result .strengths li')].map((e) => e.textContent).join('|') + ' / ' +
		[...document.querySelectorAll('#result .develop li')].map((e) => e.textContent).join('|')`); got != "Adult mental ill health, substance misuse, domestic abuse, physical ill health and disability / "+
		"Professional ethics|Abuse and neglect of children|Child and family assessment|Analysis, decision-making, planning and review|"+
		"The law and the family and youth justice systems|The role of supervision and research|Organisational context" {
		t.Errorf("feedback: strengths / areas to develop %q", got)
	}
	look(t, bctx, "portal-result-released")

	do(t, bctx, chromedp.SendKeys(css("#appeal-grounds"), "The actor at station S3 left the script."),
		chromedp.Click(css(`#appeal button[type="submit"]`)))
	waitFor(t, bctx, `document.querySelector('#result [data-appeal="ap-1"]')?.textContent.includes('awaiting its decision')`)
	if eval[bool](t, bctx, `document.getElementById('appeal') !== null`) {
		t.Error("the appeal form is still offered with an appeal open")
	}
}

// TestEmployerOutcomes: north's supervisor sees their people's outcomes
// held until the window is released, then each outcome, what was not
// passed and the re-sit, and never south's people nor a mark.
func TestEmployerOutcomes(t *testing.T) {
	n, _ := webtest.ResultsNode(t)
	mustDo(t, n.Client(t, "PSY-OMAR-6J2T"), "POST", "/api/results/standards/practitioner", webtest.ResultsStandardJSON, 201)
	bctx, cancel := context.WithTimeout(newBrowser(t), 60*time.Second)
	defer cancel()
	do(t, bctx, enterCode(n.URL()+"/supervisor", webtest.SupervisorNorthCode, `#signin button[type="submit"]`),
		chromedp.WaitVisible(css("#outcomes-table")))
	if got := eval[int](t, bctx, `[...document.querySelectorAll('#outcomes-table tbody tr')].filter((r) => r.innerText.includes('Held until released')).length`); got != webtest.ResultsPeople/2 {
		t.Fatalf("before release %d of north's people are held, want all %d", got, webtest.ResultsPeople/2)
	}

	mustDo(t, n.Client(t, "ADM-RUTH-3H9X"), "POST", webtest.ResultsReleasePath, "", 201)
	do(t, bctx, chromedp.Reload(), chromedp.WaitVisible(css(`#outcomes-table tr[data-person="r01"] .outcome`)))
	row := func(p string) string {
		return eval[string](t, bctx, `document.querySelector('#outcomes-table tr[data-person="`+p+`"]').innerText`)
	}
	if got := row("r01"); !strings.Contains(got, "Standard met") {
		t.Errorf("r01: %q", got)
	}
	if got := row("r02"); !strings.Contains(got, "Standard partially met") || !strings.Contains(got, "Re-sit: Simulated practice (role-play), from 24 December 2026, by 10 March 2027.") {
		t.Errorf("r02: %q", got)
	}
	if got := row("r04"); !strings.Contains(got, "Standard not met") || !strings.Contains(got, "Knowledge test, Simulated practice (role-play)") {
		t.Errorf("r04: %q", got)
	}
	text := eval[string](t, bctx, `document.getElementById('outcomes').innerText`)
	if strings.Contains(text, "Person 13") || strings.Contains(text, "Held until released") || strings.Contains(text, "score") {
		t.Errorf("north's outcomes show another employer's person, a held row or a mark:\n%s", text)
	}
	if !strings.Contains(text, "12 of 12 released") {
		t.Errorf("caption: %s", text)
	}
	look(t, bctx, "supervisor-outcomes")
}

// TestImpactPage: the psychometrician sees the met rates by employer,
// phase and window drawn with their intervals, the older age band
// flagged by the four-fifths rule, and the CSV link; with a minimum of
// 13 the employers' counts of 12 are suppressed as fewer than 13.
func TestImpactPage(t *testing.T) {
	n, _ := webtest.ResultsNode(t)
	mustDo(t, n.Client(t, "PSY-OMAR-6J2T"), "POST", "/api/results/standards/practitioner", webtest.ResultsStandardJSON, 201)
	bctx, cancel := context.WithTimeout(newBrowser(t), 60*time.Second)
	defer cancel()
	do(t, bctx, enterCode(n.URL()+"/impact", "PSY-OMAR-6J2T", `#signin button[type="submit"]`),
		chromedp.WaitVisible(css("#chart-employer svg")))
	if got := eval[string](t, bctx, `document.getElementById('overall-rate').textContent`); !strings.HasPrefix(got, "13 of 24 people decided met the standard: 54.2%") {
		t.Errorf("overall: %q", got)
	}
	for _, dim := range []string{"employer", "phase", "cohort"} {
		if got := eval[int](t, bctx, `document.querySelectorAll('#chart-`+dim+` svg rect.bar').length`); got == 0 {
			t.Errorf("the %s chart draws no bar", dim)
		}
		if got := eval[int](t, bctx, `document.querySelectorAll('#chart-`+dim+` svg line.ci').length`); got == 0 {
			t.Errorf("the %s chart draws no interval", dim)
		}
	}
	// North met 6 of 12: its bar is half the plot's 380 units, its
	// interval Wilson's for 6/12 (25.4% to 74.6%).
	if got := eval[string](t, bctx, `document.querySelector('#chart-employer svg g[data-key="north"] rect.bar').getAttribute('width')`); got != "190" {
		t.Errorf("north's bar is %s wide, want 190", got)
	}
	if got := eval[string](t, bctx, `document.querySelector('#chart-employer tr[data-key="north"]').innerText`); !strings.Contains(got, "25.4% to 74.6%") {
		t.Errorf("north's row: %q", got)
	}
	older := eval[string](t, bctx, `document.querySelector('#adverse-age_band tr[data-group="50 and over"]').innerText`)
	if !strings.Contains(older, "Below four-fifths") || !strings.Contains(older, "25.0%") {
		t.Errorf("the older age band: %q", older)
	}
	if got := eval[string](t, bctx, `document.getElementById('csv').getAttribute('href')`); got != "/api/results/impact.csv?min=10" {
		t.Errorf("CSV link %q", got)
	}
	look(t, bctx, "impact")

	do(t, bctx, chromedp.SetValue(css("#min"), "13"), chromedp.Click(css(`#options button[type="submit"]`)))
	waitFor(t, bctx, `document.querySelector('#chart-employer svg g.suppressed') !== null`)
	if got := eval[string](t, bctx, `document.querySelector('#chart-employer tr[data-key="north"]').innerText`); !strings.Contains(got, "fewer than 13") {
		t.Errorf("north with a minimum of 13: %q", got)
	}
	if got := eval[string](t, bctx, `document.getElementById('csv').getAttribute('href')`); got != "/api/results/impact.csv?min=13" {
		t.Errorf("CSV link %q", got)
	}
	look(t, bctx, "impact-suppressed")
}

// TestResultsPage: the psychometrician adopts the standard on the results
// page; the administrator's release is refused listing the person whose
// sheet is unsettled, and released once it is settled.
func TestResultsPage(t *testing.T) {
	n, f := webtest.ResultsNode(t, "r05")
	bctx, cancel := context.WithTimeout(newBrowser(t), 60*time.Second)
	defer cancel()
	do(t, bctx, enterCode(n.URL()+"/results", "PSY-OMAR-6J2T", `#signin button[type="submit"]`), chromedp.WaitVisible(css("#standards-title")))
	do(t, bctx, chromedp.WaitVisible(css("#k-demo-form-panel")),
		chromedp.SetValue(css("#k-demo-form-panel"), "14"), chromedp.SetValue(css("#k-demo-form-k"), "0.5"),
		chromedp.SetValue(css("#k-demo-form-sem"), "2"), chromedp.SetValue(css("#rp-demo-practitioner-cut"), "16"),
		chromedp.Click(css("#preview")))
	waitFor(t, bctx, `document.getElementById('status').textContent.includes('would change outcome')`)
	do(t, bctx, chromedp.Click(css(`#adopt button[type="submit"]`)))
	waitFor(t, bctx, `document.getElementById('status').textContent.includes('Version 1 of the practitioner standard adopted')`)
	// The adopted version is listed, its cut set from the panel's and k×SEM.
	waitFor(t, bctx, `document.querySelector('#standards table[data-status="practitioner"]').innerText.includes('demo-form: 15 (panel 14 + 0.5×2)')`)
	look(t, bctx, "results-adopted")

	// Sign out, then sign in afresh as the administrator (the page being
	// left may still be navigating to the sign-in page as it goes).
	do(t, bctx, chromedp.Click(css("#signout")), chromedp.WaitVisible(css("#signin-next")))
	do(t, bctx, enterCode(n.URL()+"/results", "ADM-RUTH-3H9X", `#signin button[type="submit"]`),
		chromedp.WaitVisible(css(`#windows tr[data-window="`+webtest.ResultsWindow+`"] button.release`)),
		chromedp.Click(css(`#windows tr[data-window="`+webtest.ResultsWindow+`"] button.release`)))
	waitFor(t, bctx, `document.querySelector('#reasons li[data-code="sheet_unsettled"]')?.textContent.includes('r05')`)
	look(t, bctx, "results-release-refused")
	f.Mark(t, n, "r05", "S2")
	do(t, bctx, chromedp.Click(css(`#windows tr[data-window="`+webtest.ResultsWindow+`"] button.release`)))
	waitFor(t, bctx, `document.getElementById('status').textContent.includes('released: 24 people')`)
	waitFor(t, bctx, `document.querySelector('#windows tr[data-window="`+webtest.ResultsWindow+`"] td.release').textContent.startsWith('released')`)
	do(t, bctx, chromedp.Click(css(`#windows tr[data-window="`+webtest.ResultsWindow+`"] button`)))
	waitFor(t, bctx, `document.querySelectorAll('#decisions-table tbody tr').length === 24`)
	if got := eval[string](t, bctx, `document.querySelector('#decisions-table tr[data-person="r02"]').innerText`); !strings.Contains(got, "passed: 18 of 28, cut 15") {
		t.Errorf("the team's decision of r02: %q", got)
	}
	look(t, bctx, "results-released")

	// r02 appeals from their portal; the administrator decides it here.
	cand := n.Client(t, "")
	mustDo(t, cand, "POST", "/api/portal/login", `{"code":"`+portalCode(t, n, "r02")+`"}`, 200)
	mustDo(t, cand, "POST", "/api/portal/appeals", `{"grounds":"The actor at station S3 left the script."}`, 201)
	do(t, bctx, chromedp.Reload(), chromedp.WaitVisible(css(`#open-appeals li[data-appeal="r02/ap-1"] form`)),
		chromedp.SendKeys(css("#note-r02-ap-1"), "The recording shows the script kept."),
		chromedp.Click(css(`#open-appeals li[data-appeal="r02/ap-1"] button[value="not"]`)))
	waitFor(t, bctx, `document.getElementById('open-appeals').textContent === 'No appeal awaits its decision.'`)
	if got := eval[string](t, bctx, `fetch('/api/results/people/r02/appeals').then((r) => r.text())`); !strings.Contains(got, `"decided_by":"s03"`) ||
		strings.Contains(got, `"upheld":true`) {
		t.Errorf("r02's appeal after the decision: %s", got)
	}
}
