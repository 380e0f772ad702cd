// Command accredit serves and analyses the accreditation assessments.
//
//	accredit serve      run the delivery engine and its web pages
//	accredit standard   set cut scores from expert panels' judgements
//	accredit analyse    item analysis, Rasch calibration, fairness, rater agreement
//	accredit export     a sitting's responses as a response matrix, a circuit's role-play scores
//	accredit content    import QTI 3.0 and 2.x items and tests as content
//	accredit programme  import employers, people, sittings and staff into the programme's records
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the centres' time zone, wherever the binary runs
)

// usageError marks an error caused by how the command was called; it exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err == nil {
		return
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	fmt.Fprintln(os.Stderr, "accredit:", err)
	var ue usageError
	if errors.As(err, &ue) {
		os.Exit(2)
	}
	os.Exit(1)
}

const usage = `usage: accredit COMMAND [flags] [args]

commands:
  serve      run the delivery engine and web pages
  standard   set cut scores: accredit standard METHOD [flags] FILE...
  analyse    psychometrics:  accredit analyse items|rasch|twopl|dif|impact|agreement [flags] FILE
  export     a sitting's responses as a CSV response matrix (--sitting ID), or a
             role-play circuit's scores (--circuit ID)
  audit      the tamper-evident audit log: accredit audit verify|prove|check|keygen [flags]
  content    import QTI items and tests: accredit content import-qti --out DIR PATH...
  programme  import files into the programme's records in the store:
             accredit programme import --store URL [--employers F.csv] [--people F.csv] [--content DIR]
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return dispatch(ctx, args, stdout, stderr, usage, "", "command", map[string]command{
		"serve": runServe, "standard": runStandard, "export": runExport,
		"analyse": runAnalyse, "analyze": runAnalyse,
		"audit": runAudit, "content": runContent, "programme": runProgramme,
	})
}

// command is one subcommand: its arguments after its name.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// dispatch runs the subcommand args[0] names. help, -h and --help print the
// usage and succeed; nothing or an unknown name prints it and is a usage
// error naming what was wanted ("command", "analysis"), after scope.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer, usage, scope, what string, cmds map[string]command) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{scope + "no " + what + " given"}
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return usageError{fmt.Sprintf("%sunknown %s %q", scope, what, args[0])}
	}
	return c(ctx, args[1:], stdout, stderr)
}

// newFlagSet returns the flag set of the subcommand name: it reports its
// errors on stderr and prints usage there when asked for help or given a
// flag it does not know.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	return fs
}
