package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/accredit/accredit/engine/audit"
)

func proofDoc(t *testing.T, n int64) (*memStore, []byte) {
	t.Helper()
	s := newMem()
	fill(t, s)
	p, err := audit.Prove(context.Background(), s, n)
	must(t, err)
	doc, err := json.Marshal(p)
	must(t, err)
	return s, doc
}

func TestProve(t *testing.T) {
	for _, n := range []int64{0, 1, 7, logged - 1} {
		_, doc := proofDoc(t, n)
		p, cp, err := audit.CheckProof(doc, verifierKey)
		if err != nil {
			t.Fatalf("entry %d: %v", n, err)
		}
		var e audit.Entry
		must(t, json.Unmarshal(p.Entry, &e))
		if p.Index != n || cp.Size != logged || e.Action != audit.AttemptPause {
			t.Errorf("entry %d: proof of %d against size %d, %+v", n, p.Index, cp.Size, e)
		}
	}
}

func TestProveRefuses(t *testing.T) {
	s := newMem()
	if _, err := audit.Prove(context.Background(), s, 0); !errors.Is(err, audit.ErrNoCheckpoint) {
		t.Errorf("empty log: %v", err)
	}
	fill(t, s)
	audit.New(s, nil).Append(context.Background(), entry(0))
	for _, n := range []int64{-1, logged} { // logged is stored but not checkpointed
		if _, err := audit.Prove(context.Background(), s, n); !errors.Is(err, audit.ErrNotCovered) {
			t.Errorf("entry %d: %v", n, err)
		}
	}
	s.edit(audit.LogStream, func(r [][]byte) [][]byte { r[4] = []byte("{}"); return r })
	var te *audit.TamperError
	if _, err := audit.Prove(context.Background(), s, 4); !errors.As(err, &te) || te.Entry != 4 {
		t.Errorf("changed entry: %v", err)
	}
}

// TestCheckProofRejects: a proof document altered in any part, or checked
// with another key, does not check.
func TestCheckProofRejects(t *testing.T) {
	_, doc := proofDoc(t, 7)
	_, otherKey, _ := audit.GenerateKey("accredit.test/audit")
	alter := func(f func(p *audit.Proof)) []byte {
		var p audit.Proof
		must(t, json.Unmarshal(doc, &p))
		f(&p)
		b, _ := json.Marshal(p)
		return b
	}
	for name, tc := range map[string]struct {
		doc []byte
		key string
	}{
		"other key": {doc, otherKey},
		"entry":     {alter(func(p *audit.Proof) { p.Entry = append(p.Entry[:len(p.Entry)-1], ' ') }), verifierKey},
		"index":     {alter(func(p *audit.Proof) { p.Index = 8 }), verifierKey},
		"hash":      {alter(func(p *audit.Proof) { p.Hashes[0][0] ^= 1 }), verifierKey},
		"no hashes": {alter(func(p *audit.Proof) { p.Hashes = nil }), verifierKey},
		"checkpoint": {alter(func(p *audit.Proof) {
			p.Checkpoint = "accredit.test/audit\n21\n" + p.Checkpoint[len("accredit.test/audit\n20\n"):]
		}), verifierKey},
		"not JSON": {[]byte("index: 7"), verifierKey},
		"extra":    {append(append([]byte(nil), doc...), "{}"...), verifierKey},
	} {
		if _, _, err := audit.CheckProof(tc.doc, tc.key); err == nil {
			t.Errorf("%s: checks", name)
		} else if name != "other key" && !errors.Is(err, audit.ErrBadProof) {
			t.Errorf("%s: %v, want ErrBadProof", name, err)
		}
	}
}

func FuzzCheckProof(f *testing.F) {
	s := sealedMem(f, 5)
	p, err := audit.Prove(context.Background(), s, 3)
	if err != nil {
		f.Fatal(err)
	}
	doc, _ := json.Marshal(p)
	f.Add(doc)
	f.Add([]byte(`{"index":0,"entry":"","checkpoint":"","proof":[]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, cp, err := audit.CheckProof(doc, verifierKey)
		if err == nil && (p.Index < 0 || p.Index >= cp.Size) {
			t.Fatalf("checked a proof of entry %d in a tree of %d", p.Index, cp.Size)
		}
	})
}

func FuzzParseCheckpoint(f *testing.F) {
	f.Add("accredit.test/audit\n20\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
	f.Add("o\n-1\n\n")
	f.Fuzz(func(t *testing.T, text string) {
		cp, err := audit.ParseCheckpoint(text)
		if err != nil {
			return
		}
		again, err := audit.ParseCheckpoint(cp.String())
		if err != nil || again != cp || cp.Size < 0 {
			t.Fatalf("%q: %+v, then %+v, %v", text, cp, again, err)
		}
	})
}
