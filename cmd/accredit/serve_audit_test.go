package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeSignsAuditLog: a node started with --audit-key records a
// sign-in and a release, serves its verifier key, signs checkpoints while
// entries arrive and once more at shutdown, and the log then verifies with
// accredit audit verify and that key.
func TestServeSignsAuditLog(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	var keys bytes.Buffer
	if err := run(context.Background(), []string{"audit", "keygen", "--name", "test/audit"}, &keys, io.Discard); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "audit.key")
	if err := os.WriteFile(keyFile, keys.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "accredit.db")
	n := startNode(t, buildBinary(t), "--store", "bolt:"+db, "--content", "../../engine/testdata/lib", "--audit-key", keyFile)
	resp, err := http.Get("http://" + n.addr + "/api/audit/key")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if _, verifier := splitKeys(keys.String()); strings.TrimSpace(string(key)) != verifier {
		t.Fatalf("served key %q, want the verifier of the key file", key)
	}
	n.post(n.staffClient("STAFF-INV-3H8W"), "/api/sittings/s1/release", "")
	adm := n.staffClient("STAFF-ADM-8R4P")
	deadline := time.Now().Add(20 * time.Second) // checkpoints come every 2 s
	for {
		resp, err := adm.Get("http://" + n.addr + "/api/audit/checkpoint")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint signed: %s", resp.Status)
		}
		time.Sleep(200 * time.Millisecond) // a real process on the wall clock
	}
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	n.cmd.Wait()
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--store", "bolt:" + db, "--key", keyFile}, &out, &errb); err != nil {
		t.Fatalf("verify: %v\n%s%s", err, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "3 entries") || !strings.Contains(out.String(), "signs 3 entries") {
		t.Errorf("verify says %q, want the 3 entries (two sign-ins and the release) all checkpointed", out.String())
	}
}
