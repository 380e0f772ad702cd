package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/boltstore"
	"github.com/accredit/accredit/engine/content"
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
	store, err := boltstore.Open(path, boltstore.Options{})
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
