package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/internal/clock"
)

type nopPeer struct{}

func (nopPeer) Send(engine.ServerMsg) {}
func (nopPeer) Close(int, string)     {}

func TestExport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	lib, err := content.LoadDir("../../engine/testdata/lib")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Config{Library: lib, Store: store})
	ctx := context.Background()
	id, err := eng.Join(ctx, "TEST-TWO-9P4R", nopPeer{})
	if err != nil {
		t.Fatal(err)
	}
	eng.Release(ctx, "s1", "inv1")
	eng.Handle(ctx, id, nopPeer{}, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q3", Options: []string{"c"}})
	eng.Handle(ctx, id, nopPeer{}, engine.ClientMsg{Type: "submit", Seq: 2, Confirm: true})
	eng.Close()
	store.Close()

	var out, errb bytes.Buffer
	err = run(ctx, []string{"export", "--store", "bolt:" + path, "--content", "../../engine/testdata/lib", "--sitting", "s1"}, &out, &errb)
	if err != nil {
		t.Fatalf("export: %v %s", err, errb.String())
	}
	if want := "person,q1,q2,q3,q4\nc2,0,0,1,0\n"; out.String() != want {
		t.Fatalf("export wrote\n%s\nwant\n%s", out.String(), want)
	}
	if err := run(ctx, []string{"export", "--store", "bolt:" + path, "--content", "../../engine/testdata/lib"}, &out, &errb); err == nil {
		t.Fatal("export without --sitting succeeded")
	}
}

// TestExportCircuit writes the demo circuit's scores from marks stored by
// the marking service: one single-marked station, settled.
func TestExportCircuit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	m, err := marking.LoadModel("")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := m.Circuits[roleplay.DemoPractitionerCircuit]
	svc := marking.New(marking.Config{Model: m, Store: store, Clock: clock.NewFake(c.Start.Add(time.Minute))})
	ctx := context.Background()
	k := roleplay.SheetKey{Circuit: c.ID, Station: "S3", Candidate: "C03", Assessor: "ASR-HELEN"}
	rb, _ := m.RubricOf(c, "S3")
	seq := uint64(1)
	apply := func(ch roleplay.Change) {
		t.Helper()
		ch.By, ch.Seq = k.Assessor, seq
		seq++
		if _, err := svc.Apply(ctx, k, ch); err != nil {
			t.Fatal(err)
		}
	}
	for _, cr := range rb.Criteria() {
		apply(roleplay.Change{Kind: roleplay.SetMark, Criterion: cr.ID, Value: cr.Min()})
	}
	apply(roleplay.Change{Kind: roleplay.SetJudgement, Value: 2})
	apply(roleplay.Change{Kind: roleplay.Submit})
	svc.Close()
	store.Close()

	for _, tc := range []struct{ shape, want string }{
		{"sheets", "candidate,station,assessor,score,global\nC03,S3,ASR-HELEN,0,2\n"},
		{"standard-setting", "candidate,station,checklist,global\nC03,S3,0,2\n"},
	} {
		var out, errb bytes.Buffer
		if err := run(ctx, []string{"export", "--store", "bolt:" + path, "--circuit", c.ID, "--shape", tc.shape}, &out, &errb); err != nil {
			t.Fatalf("export: %v %s", err, errb.String())
		}
		if out.String() != tc.want {
			t.Errorf("%s: wrote\n%s\nwant\n%s", tc.shape, out.String(), tc.want)
		}
		if !strings.Contains(errb.String(), "not settled: C01 at S1: waiting for the sheet of [ASR-LIAM ASR-NADIA]") {
			t.Errorf("%s: standard error %q", tc.shape, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"export", "--store", "bolt:" + path, "--circuit", "nope"}, &out, &errb); err == nil || !strings.Contains(err.Error(), `no circuit "nope"`) {
		t.Errorf("unknown circuit: %v", err)
	}
	if err := run(ctx, []string{"export", "--store", "bolt:" + path, "--circuit", c.ID, "--sitting", "s1"}, &out, &errb); err == nil {
		t.Error("export with both --circuit and --sitting succeeded")
	}
}

func TestMoveDemoCircuits(t *testing.T) {
	m, err := marking.LoadModel("")
	if err != nil {
		t.Fatal(err)
	}
	p, s := m.Circuits[roleplay.DemoPractitionerCircuit], m.Circuits["demo-supervisor"]
	gap := s.Start.Sub(p.Start)
	now := time.Date(2026, 11, 23, 16, 40, 30, 0, time.UTC)
	moveDemoCircuits(m, now)
	if want := time.Date(2026, 11, 23, 16, 35, 0, 0, time.UTC); !p.Start.Equal(want) || s.Start.Sub(p.Start) != gap {
		t.Errorf("practitioner circuit starts %v (want %v), supervisor %v after it (want %v)", p.Start, want, s.Start.Sub(p.Start), gap)
	}
}
