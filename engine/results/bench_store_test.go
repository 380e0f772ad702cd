package results

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store/bolt/bolttest"
	"github.com/accredit/accredit/internal/clock"
)

// testLibrary writes engine/testdata/lib with sitting s1 holding the
// candidates ids, each with a generated access code, and returns it
// loaded.
func testLibrary(t testing.TB, ids []string) *content.Library {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "testdata", "lib")
	for _, f := range []string{"forms/f1.json", "items/bank.json", "staff.json"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		must(t, err)
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, f), data, 0o644))
	}
	type cand struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Code string `json:"access_code"`
	}
	rnd := rand.New(rand.NewPCG(15, uint64(len(ids))))
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	cands := make([]cand, len(ids))
	seen := map[string]bool{}
	for i, id := range ids {
		code := ""
		for code == "" || seen[code] || content.CheckCode(code) != "" {
			buf := make([]byte, 12)
			for j := range buf {
				buf[j] = alphabet[rnd.IntN(len(alphabet))]
			}
			code = string(buf[:4]) + "-" + string(buf[4:8]) + "-" + string(buf[8:])
		}
		seen[code] = true
		cands[i] = cand{ID: id, Name: "Candidate " + id, Code: code}
	}
	s, err := json.Marshal(map[string]any{"id": "s1", "form": "f1", "centre": "Test", "scheduled": t0.Format(time.RFC3339), "candidates": cands})
	must(t, err)
	must(t, os.MkdirAll(filepath.Join(dir, "sittings"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "sittings", "s1.json"), s, 0o644))
	lib, err := content.LoadDir(dir)
	must(t, err)
	return lib
}

// benchLibrary is testLibrary with n candidates b00000...
func benchLibrary(b *testing.B, n int) *content.Library {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("b%05d", i)
	}
	return testLibrary(b, ids)
}

// BenchmarkDecideStoredKnowledge decides n people of a knowledge-only
// status from their attempts as the engine stored them in bolt: each
// joined, answered one item and submitted. The role-play element is left
// out: the demo circuits hold four candidates.
func BenchmarkDecideStoredKnowledge(b *testing.B) {
	for _, n := range []int{1000, 30000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("short")
			}
			ctx := context.Background()
			lib := benchLibrary(b, n)
			st := bolttest.Open(b)
			clk := clock.NewFake(t0)
			eng := engine.New(engine.Config{Library: lib, Store: st, Clock: clk, Seed: func() uint64 { return 7 }})
			b.Cleanup(eng.Close)
			sit := lib.Sittings["s1"]
			ids := make([]string, n)
			parallel(n, func(i int) {
				id, err := eng.Join(ctx, sit.Candidates[i].AccessCode, enginetest.NopPeer{})
				if err != nil {
					b.Error(err)
				}
				ids[i] = id
			})
			must(b, eng.Release(ctx, "s1", "inv1"))
			parallel(n, func(i int) {
				opt := []string{"a", "b"}[i%2] // q1's key is b: half right
				eng.Handle(ctx, ids[i], enginetest.NopPeer{}, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{opt}})
				eng.Handle(ctx, ids[i], enginetest.NopPeer{}, engine.ClientMsg{Type: "submit", Seq: 2, Confirm: true})
			})
			bps := testBlueprints()
			bps[0].Forms, bps[0].Decision = []string{"f1"}, programme.Decision{Knowledge: true}
			ros := &fakeRoster{}
			for _, c := range sit.Candidates {
				ros.cands = append(ros.cands, Candidate{Person: c.ID, Employer: "bury", Status: programme.Practitioner, Sitting: "s1", KnowledgeStart: t0, Start: t0})
			}
			r, err := New(Config{Store: st, Clock: clk, Evidence: &StoreEvidence{Engine: eng, Library: lib}, Roster: ros,
				Blueprints: bps, Windows: []Window{spring}})
			must(b, err)
			_, err = r.Adopt(ctx, psych, Standard{Status: programme.Practitioner, Knowledge: map[string]Cut{"f1": {Cut: 1}}})
			must(b, err)
			b.ResetTimer()
			for b.Loop() {
				decs, err := r.Decide(ctx)
				if err != nil || len(decs) != n {
					b.Fatalf("%d decisions, %v", len(decs), err)
				}
				met := 0
				for _, d := range decs {
					if d.Outcome == Met {
						met++
					}
				}
				if met != n/2 {
					b.Fatalf("%d met, want %d", met, n/2)
				}
			}
		})
	}
}

// parallel runs f(0..n-1) on 16 goroutines, so the store's group commit
// batches their appends.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
