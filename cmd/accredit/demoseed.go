package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// seedDemo stores the past sitting's submitted attempts and the past
// circuit's submitted sheets, as candidates and assessors would have made
// them, unless they are stored already: each attempt and sheet that is
// complete is left alone and one begun is finished with the same changes,
// so a second start adds nothing. The candidates join with the access
// codes of their bookings in p (seedPastCohort). It returns the past
// sitting's response matrix as exported (ExportMatrix), nil when p has no
// past sitting.
func seedDemo(ctx context.Context, st store.Store, lib *content.Library, rpm *roleplay.Model, p *programme.Programme) ([]byte, error) {
	if ok, err := hasPastCohort(ctx, p); !ok {
		return nil, err
	}
	matrix, err := seedPastSitting(ctx, st, lib, p)
	if err != nil {
		return nil, fmt.Errorf("past sitting: %w", err)
	}
	if rpm.Circuits[pastCircuit] != nil {
		if err := seedPastCircuit(ctx, st, rpm); err != nil {
			return nil, fmt.Errorf("past circuit: %w", err)
		}
	}
	return matrix, nil
}

// errPeer keeps the first error the engine sends.
type errPeer struct {
	mu  sync.Mutex
	err error
}

func (p *errPeer) Send(m engine.ServerMsg) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m.Type == engine.MsgError && p.err == nil {
		p.err = fmt.Errorf("%s", m.Message)
	}
}
func (p *errPeer) Close(int, string) {}

func (p *errPeer) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// lockedSeed is a seeded source of shuffle seeds safe for concurrent use.
type lockedSeed struct {
	mu  sync.Mutex
	rng *rand.Rand
}

func (s *lockedSeed) next() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Uint64()
}

// forEach runs f for 0..n-1 on a few goroutines and returns the first error.
func forEach(n int, f func(i int) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan int)
	)
	for range 128 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

func seedPastSitting(ctx context.Context, st store.Store, lib *content.Library, p *programme.Programme) ([]byte, error) {
	clk := clock.NewFake(pastScheduled.Add(-10 * time.Minute))
	seeds := &lockedSeed{rng: rand.New(rand.NewPCG(2026, 916))}
	eng := engine.New(engine.Config{Library: lib, Store: st, Clock: clk, Seed: seeds.next,
		Roster: engine.Rosters(engine.LibraryRoster(lib), results.DeliveryRoster(p))})
	defer eng.Close()
	cands := pastCandidates()
	codes, err := pastCodes(ctx, p)
	if err != nil {
		return nil, err
	}
	a, err := p.Availability(ctx, programme.Knowledge, pastSitting)
	if err != nil {
		return nil, err
	}
	items := lib.Forms[a.Sitting.Form].ItemIDs()
	diff := raschDifficulties(items)

	todo := make([]int, 0, len(cands))
	for i, c := range cands {
		a, _, err := eng.Attempt(ctx, engine.AttemptID(pastSitting, c.ID))
		switch {
		case errors.Is(err, engine.ErrUnknownAttempt):
		case err != nil:
			return nil, err
		case a.Status == engine.StatusSubmitted:
			continue
		}
		todo = append(todo, i)
	}
	if len(todo) > 0 {
		peers := make([]*errPeer, len(cands))
		ids := make([]string, len(cands))
		err := forEach(len(todo), func(j int) error {
			i := todo[j]
			peers[i] = &errPeer{}
			id, err := eng.Join(ctx, codes[cands[i].ID], peers[i])
			ids[i] = id
			return err
		})
		if err != nil {
			return nil, err
		}
		clk.Advance(10 * time.Minute)
		if err := eng.Release(ctx, pastSitting, "demo"); err != nil {
			return nil, err
		}
		clk.Advance(22 * time.Minute)
		err = forEach(len(todo), func(j int) error {
			i := todo[j]
			c, peer := cands[i], peers[i]
			rng := rand.New(rand.NewPCG(2026, uint64(1000+i)))
			seq := uint64(0)
			for _, id := range items {
				it := lib.Items[id]
				opts := simulatedAnswer(rng, it, rng.Float64() < pCorrect(c, id, diff))
				seq++
				if opts == nil {
					continue // omitted: the seq is still drawn, so a rerun sends the same messages
				}
				eng.Handle(ctx, ids[i], peer, engine.ClientMsg{Type: engine.MsgAnswer, Seq: seq, Item: id, Options: opts})
			}
			eng.Handle(ctx, ids[i], peer, engine.ClientMsg{Type: engine.MsgSubmit, Seq: seq + 1, Confirm: true})
			if err := peer.failed(); err != nil {
				return fmt.Errorf("%s: %w", c.ID, err)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := eng.ExportMatrix(ctx, pastSitting, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// simulatedAnswer returns the options a candidate chooses: the key when
// right; otherwise the key with one option swapped for a distractor, or
// nil (omitted) one time in fifty.
func simulatedAnswer(rng *rand.Rand, it *content.Item, right bool) []string {
	omit := rng.Float64() < 0.02
	var distractors []string
	for _, o := range it.Options {
		if !slices.Contains(it.Key, o.ID) {
			distractors = append(distractors, o.ID)
		}
	}
	swap, pick := rng.IntN(max(len(it.Key), 1)), rng.IntN(max(len(distractors), 1))
	switch {
	case right:
		return slices.Clone(it.Key)
	case omit || len(distractors) == 0:
		return nil
	}
	out := slices.Clone(it.Key)
	out[swap] = distractors[pick]
	return out
}

// seedPastCircuit submits both sheets of every double-marked station, and
// the one sheet of the others, of the past circuit: marks from each
// candidate's simulated ability, each assessor's own severity and noise.
func seedPastCircuit(ctx context.Context, st store.Store, rpm *roleplay.Model) error {
	c := rpm.Circuits[pastCircuit]
	_, end := c.SlotTimes(len(c.Candidates))
	svc := marking.New(marking.Config{Model: rpm, Store: st, Clock: clock.NewFake(end.Add(5 * time.Minute))})
	defer svc.Close()
	ability := map[string]float64{}
	for _, pc := range pastCandidates() {
		ability[pc.ID] = pc.Ability
	}
	severity := map[string]float64{}
	rs := rand.New(rand.NewPCG(2026, 1414))
	for _, s := range c.Stations {
		for _, a := range s.Assessors {
			severity[a] = rs.NormFloat64() * 0.25
		}
	}
	judgement := rpm.Judgement.Points
	return forEach(len(c.Schedule), func(n int) error {
		slot := c.Schedule[n]
		rb, ok := rpm.RubricOf(c, slot.Station)
		if !ok {
			return fmt.Errorf("no rubric for station %s", slot.Station)
		}
		rng := rand.New(rand.NewPCG(2026, uint64(5000+n)))
		skill := 0.5*ability[slot.Candidate] + 0.3 + 0.6*rng.NormFloat64()
		var assessors []string
		for _, s := range c.Stations {
			if s.ID == slot.Station {
				assessors = s.Assessors
			}
		}
		for ai, a := range assessors {
			ar := rand.New(rand.NewPCG(2026, uint64(9000+n*4+ai)))
			k := roleplay.SheetKey{Circuit: c.ID, Station: slot.Station, Candidate: slot.Candidate, Assessor: a}
			state, err := svc.Sheet(ctx, k)
			if err != nil {
				return err
			}
			if state.Submitted {
				continue
			}
			seq := uint64(0)
			apply := func(ch roleplay.Change) error {
				seq++
				ch.By, ch.Seq = a, seq
				_, err := svc.Apply(ctx, k, ch)
				return err
			}
			got, top := 0.0, 0.0
			for _, cr := range rb.Criteria() {
				p := 1 / (1 + math.Exp(-(skill - severity[a] + 0.35*ar.NormFloat64())))
				v := cr.Min() + int(math.Round(p*float64(cr.Max()-cr.Min())))
				got, top = got+float64(v-cr.Min()), top+float64(cr.Max()-cr.Min())
				if err := apply(roleplay.Change{Kind: roleplay.SetMark, Criterion: cr.ID, Value: v}); err != nil {
					return fmt.Errorf("%v: %w", k, err)
				}
			}
			j := int(math.Round(got / top * float64(len(judgement)-1)))
			j = min(max(j, 0), len(judgement)-1)
			if err := apply(roleplay.Change{Kind: roleplay.SetJudgement, Value: judgement[j].Value}); err != nil {
				return fmt.Errorf("%v: %w", k, err)
			}
			if err := apply(roleplay.Change{Kind: roleplay.Submit}); err != nil {
				return fmt.Errorf("%v: %w", k, err)
			}
		}
		return nil
	})
}
