package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/internal/clock"
)

// TestAudit: keygen, then verify, prove and check on a bolt store holding
// a checkpointed log; then a changed entry fails verify, naming it.
func TestAudit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "keygen", "--name", "accredit.test/audit"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	keys := strings.Fields(out.String())
	signer, verifier := keys[0], keys[1]
	keyFile := filepath.Join(dir, "audit.pub")
	os.WriteFile(keyFile, []byte(verifier+"\n"), 0o600)

	path := filepath.Join(dir, "accredit.db")
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := audit.NewCheckpointer(s, signer, audit.CheckpointerOptions{Clock: clock.NewFake(time.Date(2018, 6, 4, 9, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	l := audit.New(s, nil)
	for _, id := range []string{"leeds-0618", "bury-0618", "wigan-0618"} {
		_, err := l.Append(ctx, audit.Entry{
			Actor:  audit.Actor{Kind: audit.ActorStaff, ID: "admin-1", Role: "administrator"},
			Action: audit.SittingRelease, Target: audit.Target{Kind: audit.TargetSitting, ID: id},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cp.Close(ctx)
	s.Close()

	storeArg := "bolt:" + path
	out.Reset()
	if err := run(ctx, []string{"audit", "verify", "--store", storeArg, "--key", keyFile}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "ok: 3 entries, 1 checkpoints") {
		t.Errorf("verify: %s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "prove", "--store", storeArg, "--entry", "1"}, &out, os.Stderr); err != nil {
		t.Fatal(err)
	}
	proof := filepath.Join(dir, "proof.json")
	os.WriteFile(proof, out.Bytes(), 0o600)
	out.Reset()
	if err := run(ctx, []string{"audit", "check", "--key", verifier, proof}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "entry 1 is in the log") || !strings.Contains(out.String(), "bury-0618") {
		t.Errorf("check: %s", out.String())
	}

	s, _ = bolt.Open(path, bolt.Options{})
	recs, _ := s.Read(ctx, audit.LogStream, 0)
	s.Close()
	tamperBolt(t, path, 2, bytes.Replace(recs[2], []byte("wigan"), []byte("oldham"), 1))
	err = run(ctx, []string{"audit", "verify", "--store", storeArg, "--key", keyFile}, &out, &out)
	var te *audit.TamperError
	if !errors.As(err, &te) || te.Entry != 2 {
		t.Errorf("verify of a changed log: %v", err)
	}
}

func TestAuditUsage(t *testing.T) {
	for _, args := range [][]string{
		{"audit"},
		{"audit", "sign"},
		{"audit", "verify"},
		{"audit", "verify", "--key", "nonsense"},
		{"audit", "prove", "--entry", "-1"},
		{"audit", "prove"},
		{"audit", "check", "--key", "a+b+c"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), args, &out, &out)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

// tamperBolt overwrites audit entry i in the bolt file at path, as someone
// with the file would.
func tamperBolt(t *testing.T, path string, i uint64, b []byte) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("streams")).Bucket([]byte(audit.LogStream)).Put(binary.BigEndian.AppendUint64(nil, i), b)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAuditStoreInUse: verifying a bolt store that a running server holds
// says so, rather than that opening it timed out.
func TestAuditStoreInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accredit.db")
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, verifier, err := audit.GenerateKey("accredit.test/audit")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = run(context.Background(), []string{"audit", "verify", "--store", "bolt:" + path, "--key", verifier}, &out, &out)
	var iu storeInUse
	if !errors.As(err, &iu) || !errors.Is(err, bolterrors.ErrTimeout) {
		t.Fatalf("err = %v, want the store in use", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "bolt:"+path+" is in use by another process") || strings.Contains(msg, "timeout") {
		t.Errorf("message %q", msg)
	}
}
