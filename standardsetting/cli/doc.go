// Package cli implements `accredit standard METHOD [flags] FILE...`: it
// reads the documented CSV files, runs one standard-setting method of
// package standardsetting and writes a JSON report (--format json) or a
// readable table (--format table), and with --chart DIR the charts as PNG
// and SVG. cmd/accredit calls Run; nothing here reads os.Args or exits.
//
// Run is safe for concurrent use: every call has its own flags and state.
package cli
