package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/accredit/accredit/engine/audit"
)

const auditUsage = `usage: accredit audit verify --store URL --key VERIFIER_KEY_OR_FILE
       accredit audit prove --store URL --entry N > proof.json
       accredit audit check --key VERIFIER_KEY_OR_FILE proof.json
       accredit audit keygen --name NAME

verify  checks the whole audit log against its signed checkpoints and names
        the first entry or checkpoint that differs from what was signed.
prove   writes an inclusion proof of entry N against the latest checkpoint:
        a JSON document anyone holding the verifier key can check.
check   checks such a proof offline, with the verifier key alone.
keygen  prints a new signer key (keep it secret: accredit serve --audit-key)
        and, on the second line, its verifier key (publish it).

A bolt store is locked by a running server: stop it first. docs/audit.md
describes the entry format and how to check a proof without Accredit.
`

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return dispatch(ctx, args, stdout, stderr, auditUsage, "audit: ", "audit command", map[string]command{
		"verify": runAuditVerify, "prove": runAuditProve, "check": runAuditCheck, "keygen": runAuditKeygen,
	})
}

func auditFlags(name string, stderr io.Writer) *flag.FlagSet {
	return newFlagSet("audit "+name, auditUsage, stderr)
}

// storeFlag defines --store, the store a command opens without a server.
func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", "bolt:data/accredit.db", "store: bolt:PATH or redis://HOST:PORT")
}

func runAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := auditFlags("verify", stderr)
	storeURL := storeFlag(fs)
	keyArg := fs.String("key", "", "verifier key, or a file holding it")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *keyArg == "" || fs.NArg() > 0 {
		return usageError{"audit verify: give --key and no arguments"}
	}
	key, err := readKey(*keyArg)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *storeURL, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := audit.Verify(ctx, s, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %d entries, %d checkpoints; the latest signs %d entries, root %s",
		rep.Entries, rep.Checkpoints, rep.Latest.Size, rep.Latest.Root)
	if rep.Unsealed > 0 {
		fmt.Fprintf(stdout, "; %d newer entries not yet checkpointed", rep.Unsealed)
	}
	fmt.Fprintln(stdout)
	return nil
}

func runAuditProve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := auditFlags("prove", stderr)
	storeURL := storeFlag(fs)
	entry := fs.String("entry", "", "index of the entry to prove")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	n, err := strconv.ParseInt(*entry, 10, 64)
	if err != nil || n < 0 || fs.NArg() > 0 {
		return usageError{"audit prove: --entry N, N an entry index from 0"}
	}
	s, err := openStore(ctx, *storeURL, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := audit.Prove(ctx, s, n)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

func runAuditCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := auditFlags("check", stderr)
	keyArg := fs.String("key", "", "verifier key, or a file holding it")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *keyArg == "" || fs.NArg() != 1 {
		return usageError{"audit check: give --key and one proof file"}
	}
	key, err := readKey(*keyArg)
	if err != nil {
		return err
	}
	doc, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	p, cp, err := audit.CheckProof(doc, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: entry %d is in the log %s signed at size %d\n%s\n", p.Index, cp.Origin, cp.Size, p.Entry)
	return nil
}

func runAuditKeygen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := auditFlags("keygen", stderr)
	name := fs.String("name", "accredit/audit", "the log's name, the checkpoints' origin line")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	signer, verifier, err := audit.GenerateKey(*name)
	if err != nil {
		return usageError{fmt.Sprintf("audit keygen: %v", err)}
	}
	fmt.Fprintf(stdout, "%s\n%s\n", signer, verifier)
	return nil
}

// readKey returns arg, or the contents of the file it names: a key string
// holds '+' and no path separator, so a file is tried first.
func readKey(arg string) (string, error) {
	if b, err := os.ReadFile(arg); err == nil {
		_, verifier := splitKeys(string(b))
		if verifier == "" {
			return "", fmt.Errorf("--key %s: the file holds no verifier key", arg)
		}
		return verifier, nil
	}
	if strings.Count(arg, "+") < 2 {
		return "", usageError{fmt.Sprintf("--key %q: neither a readable file nor a verifier key", arg)}
	}
	return arg, nil
}

// splitKeys reads what accredit audit keygen writes: a signer key (secret,
// "PRIVATE+KEY+...") and a verifier key, one a line, in either order; a
// file may hold only one of them.
func splitKeys(text string) (signer, verifier string) {
	for _, line := range strings.Split(text, "\n") {
		switch line = strings.TrimSpace(line); {
		case strings.HasPrefix(line, "PRIVATE+KEY+"):
			signer = line
		case line != "" && verifier == "":
			verifier = line
		}
	}
	return signer, verifier
}
