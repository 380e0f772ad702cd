package redis_test

import (
	"context"
	"testing"

	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/redis/redistest"
)

// TestLeases: each node's record replaces its last; every node reads all;
// a record is dropped only while it is the one given, and two stores of
// one prefix (two nodes) see the same leases.
func TestLeases(t *testing.T) {
	ctx := context.Background()
	ro, opts := redistest.Options(t, redistest.Standalone)
	var ls []*redis.Leases
	for range 2 {
		s, err := redis.Open(ctx, ro, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		ls = append(ls, redis.NewLeases(s))
	}
	a, b := ls[0], ls[1]
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if all, err := a.All(ctx); err != nil || len(all) != 0 {
		t.Fatalf("no leases yet: %v, %v", all, err)
	}
	must(a.Put(ctx, "n1", []byte(`{"renewed":1}`)))
	must(a.Put(ctx, "n1", []byte(`{"renewed":2}`)))
	must(b.Put(ctx, "n2", []byte(`{"renewed":1}`)))
	all, err := b.All(ctx)
	must(err)
	if len(all) != 2 || string(all["n1"]) != `{"renewed":2}` || string(all["n2"]) != `{"renewed":1}` {
		t.Fatalf("leases %q", all)
	}
	if ok, err := b.Drop(ctx, "n1", []byte(`{"renewed":1}`)); err != nil || ok {
		t.Fatalf("drop of a record renewed since: %v, %v; want kept", ok, err)
	}
	if ok, err := b.Drop(ctx, "n1", []byte(`{"renewed":2}`)); err != nil || !ok {
		t.Fatalf("drop of the record read: %v, %v; want dropped", ok, err)
	}
	if ok, err := a.Drop(ctx, "n9", []byte(`x`)); err != nil || ok {
		t.Fatalf("drop of no lease: %v, %v", ok, err)
	}
	all, err = a.All(ctx)
	must(err)
	if len(all) != 1 || all["n2"] == nil {
		t.Fatalf("after the drop: %q", all)
	}
}
