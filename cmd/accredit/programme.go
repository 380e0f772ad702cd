package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/accredit/accredit/engine/programme"
)

const programmeUsage = `usage: accredit programme import --store URL [--employers FILE.csv] [--people FILE.csv]
                                [--content DIR] [--programme-rules FILE.json] [--dry-run] [flags]

import brings files into the programme's records in the store: employers and
people from CSV files (docs/programme.md, "CSV import"), and a content tree's
sittings/*.json and staff.json: each sitting becomes a knowledge sitting, each
candidate a booking keeping their access code, each staff member a sign-in
with their code (docs/programme.md, "Importing content files"). Items and
forms stay content files. Everything is checked first: on any error, each is
printed with its file and line, column or field, and nothing is stored.
Running the same import again stores nothing new.

flags:
  --store URL              bolt:PATH or redis://HOST:PORT[/DB], as for accredit serve
  --employers FILE         employers CSV (id,name,region,phase,rating)
  --people FILE            people CSV (id,name,registration,employer,employment,started,email,seeks)
  --content DIR            content tree whose sittings and staff.json to import
  --programme-rules FILE   the programme's rules, as for accredit serve: they say
                           which status each sitting's form assesses
  --dry-run                check and report, storing nothing
  --by ID                  the administrator recorded in the audit log (default operator)
  --audit-key FILE         sign the audit log's checkpoints, as for accredit serve
`

func runProgramme(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return dispatch(ctx, args, stdout, stderr, programmeUsage, "programme: ", "programme command", map[string]command{
		"import": runProgrammeImport,
	})
}

func runProgrammeImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("programme import", programmeUsage, stderr)
	storeURL := fs.String("store", "", "store URL")
	employers := fs.String("employers", "", "employers CSV file")
	people := fs.String("people", "", "people CSV file")
	contentDir := fs.String("content", "", "content tree")
	rulesFile := fs.String("programme-rules", "", "programme rules JSON file")
	dry := fs.Bool("dry-run", false, "store nothing")
	by := fs.String("by", "operator", "administrator id for the audit log")
	auditKey := fs.String("audit-key", "", "audit log signer key file")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	switch {
	case *storeURL == "":
		return usageError{"programme import: give --store URL"}
	case *employers == "" && *people == "" && *contentDir == "":
		return usageError{"programme import: give --employers, --people or --content"}
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("programme import: unexpected argument %q", fs.Arg(0))}
	}
	in, closeFiles, err := importFiles(*employers, *people, *contentDir)
	if err != nil {
		return err
	}
	defer closeFiles()
	in.DryRun = *dry
	rules, err := readProgrammeRules(*rulesFile, false)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *storeURL, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	auditLog, _, stopCheckpoints, err := openAudit(*auditKey, st, newLogger(stderr))
	if err != nil {
		return err
	}
	defer stopCheckpoints()
	prog, err := programme.New(programme.Config{Store: st, Rules: rules, Recorder: programme.LogRecorder(auditLog)})
	if err != nil {
		return err
	}
	rep, err := prog.ImportFiles(ctx, programme.Actor{Kind: programme.ActorAdmin, ID: *by}, in)
	var ie *programme.ImportError
	if errors.As(err, &ie) {
		for _, f := range ie.Faults {
			fmt.Fprintln(stderr, f)
		}
		return fmt.Errorf("import refused, %d error(s): nothing stored", len(ie.Faults))
	}
	if err != nil {
		return err
	}
	printImport(stdout, rep)
	return nil
}

// importFiles opens the files an import names; closeFiles closes them.
func importFiles(employers, people, contentDir string) (in programme.FileImport, closeFiles func(), err error) {
	var open []*os.File
	closeFiles = func() {
		for _, f := range open {
			f.Close()
		}
	}
	file := func(name string) (*programme.File, error) {
		if name == "" {
			return nil, nil
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		open = append(open, f)
		return &programme.File{Name: name, Data: f}, nil
	}
	if in.Employers, err = file(employers); err == nil {
		in.People, err = file(people)
	}
	if err == nil && contentDir != "" {
		var fi os.FileInfo
		if fi, err = os.Stat(contentDir); err == nil && !fi.IsDir() {
			err = fmt.Errorf("--content %s: not a directory", contentDir)
		}
		in.Content = os.DirFS(contentDir)
	}
	if err != nil {
		closeFiles()
		return in, func() {}, err
	}
	return in, closeFiles, nil
}

// printImport writes what an import stored, kind by kind.
func printImport(w io.Writer, rep programme.ImportReport) {
	verb := "created"
	if rep.DryRun {
		verb = "to create"
	}
	for _, kind := range programme.ImportKinds() {
		c, p := rep.Count(kind, programme.Created), rep.Count(kind, programme.Present)
		if c+p > 0 {
			fmt.Fprintf(w, "%-10s %d %s, %d already present\n", plural(kind)+":", c, verb, p)
		}
	}
	switch {
	case rep.DryRun:
		fmt.Fprintln(w, "dry run: nothing stored")
	case rep.Count("", programme.Created) == 0:
		fmt.Fprintln(w, "nothing new: every record is already present")
	}
}

func plural(kind string) string {
	if kind == programme.KindPerson {
		return "people"
	}
	if strings.HasSuffix(kind, "f") {
		return kind
	}
	return kind + "s"
}
