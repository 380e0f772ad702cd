package main

import (
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/store"
)

// resultsRules are the results' configuration file (docs/results.md).
type resultsRules struct {
	Windows  []results.Window      `json:"windows"`
	Feedback results.FeedbackRules `json:"feedback"`
	Resit    results.ResitRules    `json:"resit"`
}

// demoResultsRules: the demo programme's sitting windows, by season, with
// feedback by domain and a fast track back within six months.
func demoResultsRules() resultsRules {
	day := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	return resultsRules{
		Windows: []results.Window{
			{ID: "2026-autumn", From: day(2026, time.September), To: day(2026, time.November)},
			{ID: "2026-winter", From: day(2026, time.November), To: day(2027, time.February)},
			{ID: "2027-spring", From: day(2027, time.February), To: day(2027, time.May)},
			{ID: "2027-summer", From: day(2027, time.May), To: day(2027, time.September)},
		},
		Feedback: results.FeedbackRules{Enabled: true, Strength: 70, Develop: 50},
		Resit: results.ResitRules{
			PartiallyMet:  results.ResitRule{Allowed: true, MinInterval: 14 * 24 * time.Hour, Within: 180 * 24 * time.Hour, MaxResits: 2},
			NotMet:        results.ResitRule{Allowed: true, MinInterval: 90 * 24 * time.Hour},
			DifferentForm: false,
			AppealsWindow: 28 * 24 * time.Hour,
		},
	}
}

// resultsEvidence is what openResults leaves to be set once the engine,
// the marking service and the programme are made.
type resultsEvidence struct {
	*results.StoreEvidence
	roster *results.ProgrammeRoster
}

// openResults returns the results on st under the rules of file ("" for
// the demo's when demo, else none).
func openResults(file string, demo bool, st store.Store, rules programme.Rules, lib *content.Library, auditLog *audit.Log) (*results.Results, resultsEvidence, error) {
	var rr resultsRules
	if demo {
		rr = demoResultsRules()
	}
	if file != "" {
		if err := readJSONFile(file, &rr); err != nil {
			return nil, resultsEvidence{}, err
		}
	}
	ev := resultsEvidence{StoreEvidence: &results.StoreEvidence{Library: lib}, roster: &results.ProgrammeRoster{}}
	cfg := results.Config{Store: st, Evidence: ev.StoreEvidence, Roster: ev.roster, Blueprints: rules.Blueprints,
		Windows: rr.Windows, Feedback: rr.Feedback, Resit: rr.Resit}
	if auditLog != nil {
		cfg.Recorder = programme.LogRecorder(auditLog)
	}
	res, err := results.New(cfg)
	return res, ev, err
}
