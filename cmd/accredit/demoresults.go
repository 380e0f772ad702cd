package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
)

// The demo's decided and released cohort: the psychometrician s02 adopts
// a practitioner standard and the administrator s03 releases the past
// cohort's window, so the results and impact pages show real outcomes on
// the first start. The cuts are the demonstration's: the knowledge cut is
// the expected score of a candidate of the panels' minimally competent
// ability on the simulated item difficulties, less one SEM; the role-play
// cut a fixed share of each circuit's maximum.

const (
	minimallyCompetent = 0.2  // the ability, in logits, the panels picture
	demoK              = -1.0 // the knowledge cut is one SEM below the panels' (benefit of the doubt)
	demoRolePlayShare  = 0.4  // the role-play cut as a share of a circuit's maximum
)

var (
	demoPsychometrician = results.Viewer{Role: results.RolePsychometrician, ID: "s02"}
	demoAdministrator   = results.Viewer{Role: results.RoleAdministrator, ID: "s03"}
)

// seedDemoResults adopts the demo practitioner standard unless one is in
// force, then releases the past cohort's window unless it is released.
func seedDemoResults(ctx context.Context, res *results.Results, ev results.Evidence, lib *content.Library, rules programme.Rules) error {
	if rel, err := res.Released(ctx, pastWindow); err != nil || rel != nil {
		return err
	}
	cur, err := res.Current(ctx, programme.Practitioner)
	if err != nil {
		return err
	}
	if cur == nil {
		std, err := demoStandard(ctx, ev, lib, rules)
		if err != nil {
			return err
		}
		if _, err := res.Adopt(ctx, demoPsychometrician, std); err != nil {
			return fmt.Errorf("adopt the demo standard: %w", err)
		}
	}
	if _, err := res.Release(ctx, demoAdministrator, pastWindow); err != nil {
		return fmt.Errorf("release %s: %w", pastWindow, err)
	}
	return nil
}

// demoStandard is the practitioner standard of the demo: a cut for each
// form and circuit of the practitioner blueprint in rules.
func demoStandard(ctx context.Context, ev results.Evidence, lib *content.Library, rules programme.Rules) (results.Standard, error) {
	std := results.Standard{Status: programme.Practitioner, Knowledge: map[string]results.Cut{}, RolePlay: map[string]results.RolePlayCut{},
		Why: "Demonstration standard: the knowledge cut one SEM below the expected score of the panels' minimally competent candidate, the role-play cut at 40% of each circuit's maximum."}
	for _, bp := range rules.Blueprints {
		if bp.Status != programme.Practitioner {
			continue
		}
		for _, f := range bp.Forms {
			form := lib.Forms[f]
			if form == nil {
				return std, fmt.Errorf("no form %q", f)
			}
			panel, sem := expectedScore(raschDifficulties(form.ItemIDs()), minimallyCompetent)
			std.Knowledge[f] = results.Cut{Cut: math.Ceil(panel + demoK*sem), Panel: panel, K: demoK, SEM: sem}
		}
		for _, c := range bp.Circuits {
			rg, err := ev.Range(ctx, results.RolePlay, c)
			if err != nil {
				return std, fmt.Errorf("circuit %s: %w", c, err)
			}
			cut := math.Round(demoRolePlayShare * rg.Max)
			std.RolePlay[c] = results.RolePlayCut{Cut: results.Cut{Cut: cut, Panel: cut}}
		}
	}
	return std, nil
}

// expectedScore returns the Rasch expected raw score at ability theta on
// items of difficulties b, and its standard error, the square root of the
// sum of p(1-p) (Lord's binomial error at a true score), each rounded to
// a tenth.
func expectedScore(b map[string]float64, theta float64) (score, sem float64) {
	v := 0.0
	for _, d := range b {
		p := 1 / (1 + math.Exp(d-theta))
		score += p
		v += p * (1 - p)
	}
	return math.Round(score*10) / 10, math.Round(math.Sqrt(v)*10) / 10
}

// demoSeeded reports whether an earlier start finished seeding the demo:
// the past cohort's window is released, which it can only be once every
// attempt and sheet is stored, and the standard-setting files of dir are
// there. A start that finds it so need not check each attempt and sheet.
func demoSeeded(ctx context.Context, res *results.Results, dir string) (bool, error) {
	rel, err := res.Released(ctx, pastWindow)
	if err != nil || rel == nil {
		return false, err
	}
	for _, f := range []string{"panelA.csv", "panelB.csv", "scores.csv", "responses.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false, nil
		}
	}
	return true, nil
}
