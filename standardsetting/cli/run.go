package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrUsage marks an error in how the command was called (unknown method,
// bad flag, missing file argument); the binary exits with status 2.
var ErrUsage = errors.New("usage")

// usageErr wraps a message as an ErrUsage error.
func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

const usage = `usage: accredit standard METHOD [flags] FILE...

methods (each with -h for its flags):
  angoff                 modified Angoff, one ratings file per panel: angoff --scores scores.csv panelA.csv panelB.csv
  ebel                   Ebel grid:            ebel --grid grid.csv items.csv
  nedelsky               Nedelsky:             nedelsky options.csv
  hofstee                Hofstee compromise:   hofstee --scores scores.csv --max 30 hofstee.csv
  beuk                   Beuk compromise:      beuk --scores scores.csv --max 30 beuk.csv
  cohen                  Cohen's method:       cohen --max 30 scores.csv
  bookmark               Bookmark (Rasch):     bookmark --judges judges.csv booklet.csv
  borderline-group       per station:          borderline-group roleplay.csv
  borderline-regression  per station and exam: borderline-regression roleplay.csv
  contrasting-groups     per station:          contrasting-groups roleplay.csv
  decide                 pass/fail and outcome: decide --rules rules.json scores.csv

common flags: --format json|table (default json)
`

// command is one method: it parses its own flags and returns a report.
type command func(ctx context.Context, args []string, stderr io.Writer) (report, error)

// report is what a method prints: JSON as is, or its own table.
type report interface {
	table(w io.Writer) error
}

var commands = map[string]command{
	"angoff":                runAngoff,
	"ebel":                  runEbel,
	"nedelsky":              runNedelsky,
	"hofstee":               runHofstee,
	"beuk":                  runBeuk,
	"cohen":                 runCohen,
	"bookmark":              runBookmark,
	"borderline-group":      runBorderlineGroup,
	"borderline-regression": runBorderlineRegression,
	"contrasting-groups":    runContrasting,
	"decide":                runDecide,
}

// Run executes `accredit standard` with args (the method first).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageErr("standard: no method given")
	}
	name, rest := args[0], args[1:]
	if name == "help" || name == "-h" || name == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprint(stderr, usage)
		return usageErr("standard: unknown method %q", name)
	}
	format, rest, err := takeFormat(rest)
	if err != nil {
		return err
	}
	rep, err := cmd(ctx, rest, stderr)
	if err != nil {
		return err
	}
	if format == "table" {
		return rep.table(stdout)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// takeFormat removes --format VALUE (or --format=VALUE) from args.
func takeFormat(args []string) (string, []string, error) {
	format := "json"
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--format" || a == "-format":
			if i+1 >= len(args) {
				return "", nil, usageErr("--format needs a value")
			}
			format = args[i+1]
			i++
		case strings.HasPrefix(a, "--format=") || strings.HasPrefix(a, "-format="):
			format = a[strings.Index(a, "=")+1:]
		default:
			rest = append(rest, a)
		}
	}
	if format != "json" && format != "table" {
		return "", nil, usageErr("--format %q: want json or table", format)
	}
	return format, rest, nil
}

// parse parses flags interleaved with positional arguments and checks the
// number of positional arguments lies in [min, max] (max < 0: no limit).
func parse(fs *flag.FlagSet, args []string, min, max int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageErr("%s: %v", fs.Name(), err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) < min || (max >= 0 && len(pos) > max) {
		return nil, usageErr("%s: %d file arguments given", fs.Name(), len(pos))
	}
	return pos, nil
}

// newFlags returns a flag set that reports to stderr and returns errors.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("standard "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// read opens path and calls f with the file; the path names the file in errors.
func read[T any](path string, f func(name string, r io.Reader) (T, error)) (T, error) {
	var zero T
	fh, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer fh.Close()
	return f(path, fh)
}

// panelName is a file's base name without extension: panelA.csv -> panelA.
func panelName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}
