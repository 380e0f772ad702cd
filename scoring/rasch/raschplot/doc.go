// Package raschplot draws the charts of a Rasch analysis with gonum/plot:
// item characteristic curves with observed proportions per score group,
// test information with the conditional standard error of measurement, and
// the person-item (Wright) map. WriteAll saves each as PNG and SVG.
//
// The charts read only a rasch.Result; functions are safe for concurrent
// use on distinct results.
package raschplot
