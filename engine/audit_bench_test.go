package engine_test

import (
	"context"
	"sync"
	"testing"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/audit/audittest"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/engine/store/redis/redistest"
	"github.com/accredit/accredit/engine/store/storetest"
	"github.com/accredit/accredit/internal/clock"
)

// auditRate is the offered load of BenchmarkAuditedAct, in acts a second.
const auditRate = 500

// BenchmarkAuditedAct measures what the audit log adds to an
// invigilator's act: pauses and resumes through the engine on 16 attempts
// in progress, offered open-loop at 500 acts a second (each act starts at
// its time whether or not the ones before have finished, and its latency
// is counted from that time), every other act audited (its entry stored
// in the same write) and the others not, so that the store's noise falls
// on both alike. It reports the p50 and p99 of each and the difference of
// the p99s. Run with -benchtime Nx: N acts in all. write=one is the
// audited act in one write; write=record-first the same store refusing
// the one write (store.ErrNotAtomic), so the entry is appended first.
func BenchmarkAuditedAct(b *testing.B) {
	for _, kind := range benchStores() {
		b.Run("store="+kind+"/write=one", func(b *testing.B) { benchAuditedAct(b, openBenchStore(b, kind)) })
		// The path kept for stores that cannot write both together: the
		// entry, then the act.
		b.Run("store="+kind+"/write=record-first", func(b *testing.B) { benchAuditedAct(b, storetest.NotAtomic{Store: openBenchStore(b, kind)}) })
	}
}

// openBenchStore opens a fresh store of kind, "bolt" or "redis", closed
// when the benchmark ends.
func openBenchStore(b *testing.B, kind string) store.Store {
	if kind == "redis" {
		return redistest.Open(b, redistest.Standalone)
	}
	return bolttest.Open(b)
}

func benchAuditedAct(b *testing.B, s store.Store) {
	const attempts = 16
	lib, codes := benchLibrary(b, attempts)
	clk := clock.NewFake(t0)
	eng := engine.New(engine.Config{Library: lib, Store: s, Clock: clk, Audit: audit.New(s, clk)})
	defer eng.Close()
	ctx := context.Background()
	ids := make([]string, attempts)
	for i, code := range codes {
		var err error
		if ids[i], err = eng.Join(ctx, code, &countingPeer{}); err != nil {
			b.Fatal(err)
		}
	}
	if err := eng.Release(ctx, "s1", "bench"); err != nil {
		b.Fatal(err)
	}
	// act i is on attempt i%attempts, pausing or resuming it in turn;
	// audited when i is even. One act on an attempt at a time, in order.
	locks := make([]sync.Mutex, attempts)
	paused := make([]bool, attempts)
	lat, elapsed := audittest.OpenLoop(b, auditRate, func(i int) error {
		k := i % attempts
		locks[k].Lock()
		defer locks[k].Unlock()
		cmd := engine.Command{Kind: engine.CmdPause, By: "inv1", Reason: "bench"}
		if paused[k] {
			cmd.Kind = engine.CmdResume
		}
		if i%2 == 0 {
			action := map[engine.CommandKind]audit.Action{engine.CmdPause: audit.AttemptPause, engine.CmdResume: audit.AttemptResume}[cmd.Kind]
			cmd.Record = &audit.Entry{Actor: audit.Actor{Kind: audit.ActorStaff, ID: "inv1", Role: "invigilator"},
				Action: action, Target: audit.Target{Kind: audit.TargetAttempt, ID: ids[k]}, Reason: "bench"}
		}
		err := eng.Invigilate(ctx, ids[k], cmd)
		paused[k] = !paused[k]
		return err
	})
	audittest.ReportAlternating(b, s, lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "acts/s")
}
