package redis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/redis"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/engine/store/storetest"
)

// harness opens stores with a fresh key prefix per test, so tests run in
// parallel on one server.
func harness(t *testing.T, env string) storetest.Harness {
	redistest.URL(t, env)
	return storetest.Harness{Open: func(t *testing.T) (store.Store, func() store.Store) {
		ro, opts := redistest.Options(t, env)
		open := func() store.Store {
			s, err := redis.Open(context.Background(), ro, opts)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		s := open()
		return s, func() store.Store { s.Close(); s = open(); return s }
	}, Atomic: func(t *testing.T, s store.Store, streams ...string) bool {
		ok, err := s.(*redis.Store).Atomic(context.Background(), streams...)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, harness(t, "ACCREDIT_TEST_REDIS"))
}

func TestConformanceSentinel(t *testing.T) {
	storetest.Run(t, harness(t, "ACCREDIT_TEST_REDIS_SENTINEL"))
}

func TestConformanceCluster(t *testing.T) {
	storetest.Run(t, harness(t, "ACCREDIT_TEST_REDIS_CLUSTER"))
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		url     string
		addrs   int
		master  string
		cluster bool
		db      int
		prefix  string
		bad     bool
	}{
		{url: "redis://127.0.0.1:6379/2", addrs: 1, db: 2, prefix: "accredit:"},
		{url: "redis://a:1,b:2?master=mymaster", addrs: 2, master: "mymaster", prefix: "accredit:"},
		{url: "redis://a:1,b:2,c:3?cluster=1&prefix=x:", addrs: 3, cluster: true, prefix: "x:"},
		{url: "http://a:1", bad: true},
		{url: "redis://a:1/notanumber", bad: true},
	}
	for _, tc := range tests {
		ro, opts, err := redis.ParseURL(tc.url)
		if tc.bad {
			if err == nil {
				t.Errorf("%s: no error", tc.url)
			}
			continue
		}
		if err != nil || len(ro.Addrs) != tc.addrs || ro.MasterName != tc.master || ro.IsClusterMode != tc.cluster || ro.DB != tc.db || opts.Prefix != tc.prefix {
			t.Errorf("%s: %+v %+v %v", tc.url, ro, opts, err)
		}
	}
}

func TestBroker(t *testing.T) {
	s := redistest.Open(t, redistest.Standalone)
	br := redis.NewBroker(s, "notices")
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- br.Subscribe(ctx, func(m []byte) { got <- string(m) }) }()
	want := `{"kind":"takeover","node":"n1"}`
	// Publish until the subscriber, which may not have subscribed yet, hears one.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for received := false; !received; {
		if err := br.Publish(context.Background(), []byte(want)); err != nil {
			t.Fatal(err)
		}
		select {
		case n := <-got:
			if n != want {
				t.Fatalf("got %s, want %s", n, want)
			}
			received = true
		case <-tick.C:
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestAppendAllClusterSameSlot writes two streams whose keys share a hash
// slot on the Cluster (a stream name "t}a" makes the key's hash tag "t"):
// AppendAll writes them together, and refuses a conflict whole.
func TestAppendAllClusterSameSlot(t *testing.T) {
	s := redistest.Open(t, redistest.Cluster)
	ctx := context.Background()
	if ok, err := s.Atomic(ctx, "t}a", "t}b"); err != nil || !ok {
		t.Fatalf("Atomic(t}a, t}b) = %v, %v; want true", ok, err)
	}
	ns, err := s.AppendAll(ctx, store.Write{Stream: "t}a", Expect: 0, Records: [][]byte{[]byte("a")}}, store.Write{Stream: "t}b", Expect: 0, Records: [][]byte{[]byte("b")}})
	if err != nil || ns[0] != 1 || ns[1] != 1 {
		t.Fatalf("AppendAll on one slot = %v, %v", ns, err)
	}
	if _, err := s.AppendAll(ctx, store.Write{Stream: "t}a", Expect: 1, Records: [][]byte{[]byte("a")}}, store.Write{Stream: "t}b", Expect: 0, Records: [][]byte{[]byte("b")}}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("AppendAll with a stale expectation: %v, want ErrConflict", err)
	}
	if got, _ := s.Read(ctx, "t}a", 0); len(got) != 1 {
		t.Fatalf("t}a holds %q after the refused write", got)
	}
}
