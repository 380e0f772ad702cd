// Package chart draws the standard-setting charts with gonum/plot: the
// impact curve (pass rate against cut) with panels' and the operational
// cuts marked, and the spread of judges' cuts per panel. Save writes each
// chart as PNG and SVG.
//
// Functions build new plots on every call and share no state; they are
// safe for concurrent use.
package chart
