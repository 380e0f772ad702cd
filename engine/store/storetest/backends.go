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
// prefix of its own on the server) only when ACCREDIT_TEST_REDIS names
// one. Each store is closed when the test that opened it ends.
func Backends() map[string]func(t testing.TB) store.Store {
	bs := map[string]func(t testing.TB) store.Store{"bolt": func(t testing.TB) store.Store { return bolttest.Open(t) }}
	if os.Getenv(redistest.Standalone) != "" {
		bs["redis"] = func(t testing.TB) store.Store { return redistest.Open(t, redistest.Standalone) }
	}
	return bs
}
