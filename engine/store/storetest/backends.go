package storetest

import (
	"os"
	"testing"

	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/redis/redistest"
)

// Backends opens a fresh store of each kind, by name, for the tests and
// benchmarks of the packages above the store: bolt always, Redis (a key
// prefix of its own on the server) when ACCREDIT_TEST_REDIS names one, or
// when ACCREDIT_REQUIRE_REDIS=1 says it must (a test then fails without
// it). Each store is closed when the test that opened it ends.
func Backends() map[string]func(t testing.TB) store.Store {
	bs := map[string]func(t testing.TB) store.Store{"bolt": func(t testing.TB) store.Store { return bolttest.Open(t) }}
	if os.Getenv(redistest.Standalone) != "" || os.Getenv("ACCREDIT_REQUIRE_REDIS") == "1" {
		bs["redis"] = func(t testing.TB) store.Store { return redistest.Open(t, redistest.Standalone) }
	}
	return bs
}
