// Package redistest connects tests to the throwaway Redis servers that
// make test starts (scripts/test.sh) and names in environment variables.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/accredit/accredit/engine/store/redis"
)

// Environment variables naming the test servers.
const (
	Standalone = "ACCREDIT_TEST_REDIS"
	Sentinel   = "ACCREDIT_TEST_REDIS_SENTINEL"
	Cluster    = "ACCREDIT_TEST_REDIS_CLUSTER"
)

// URL returns the server URL in env, skipping the test when it is unset
// unless ACCREDIT_REQUIRE_REDIS=1, when it fails instead.
func URL(t testing.TB, env string) string {
	t.Helper()
	u := os.Getenv(env)
	if u == "" {
		if os.Getenv("ACCREDIT_REQUIRE_REDIS") == "1" {
			t.Fatalf("%s is not set; make test starts a redis-server", env)
		}
		t.Skipf("%s is not set; run make test", env)
	}
	return u
}

// Options returns the client and store options for the server in env with
// a fresh key prefix, so tests sharing one server never see each other's
// keys.
func Options(t testing.TB, env string) (*goredis.UniversalOptions, redis.Options) {
	t.Helper()
	ro, opts, err := redis.ParseURL(URL(t, env))
	if err != nil {
		t.Fatal(err)
	}
	opts.Prefix = Prefix("test:")
	return ro, opts
}

// Prefix returns a key prefix that starts with name and is new to each
// call, so that runs sharing one server share no keys.
func Prefix(name string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return name + hex.EncodeToString(b) + ":"
}

// Open opens a store on the server in env with a fresh key prefix, as
// Options gives, and closes it when the test ends.
func Open(t testing.TB, env string) *redis.Store {
	t.Helper()
	return Nodes(t, env, 1)[0]
}

// Nodes opens n stores on the server in env sharing one fresh key prefix,
// as n nodes share one Redis, each with a connection of its own, and
// closes them when the test ends.
func Nodes(t testing.TB, env string, n int) []*redis.Store {
	t.Helper()
	ro, opts := Options(t, env)
	out := make([]*redis.Store, n)
	for i := range out {
		s, err := redis.Open(context.Background(), ro, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out
}
