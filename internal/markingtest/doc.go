// Package markingtest drives the assessor's marking page and the lead
// assessor's page in a real headless Chromium at tablet sizes, as people
// use them: marking by touch, losing the network in the middle of a
// station, double marking and spotting the discrepancy. It holds tests only.
package markingtest
