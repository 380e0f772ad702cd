package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Assessors describes the simulated assessors of a run; the zero value has
// none. Each signs in on /ws/assessor with its staff code
// (docs/marking-protocol.md), marks the candidate at its station in the
// current slot, criterion by criterion with think time before each change,
// and submits; the run ends with a loss check of every sheet.
type Assessors struct {
	Codes      []string // staff sign-in codes, one per simulated assessor
	Think      Think    // think time before each change
	NoteRate   float64  // chance, per criterion, of an evidence note for it
	RemarkRate float64  // chance, per criterion, that it is marked again later with another value
	DropRate   float64  // chance, per change, that the connection drops with it in flight
	Offline    int      // after a drop, up to this many changes (uniformly 0..Offline) are made offline before reconnecting
}

// Validate returns an error naming the first field out of range.
func (a Assessors) Validate() error {
	for name, p := range map[string]float64{"note rate": a.NoteRate, "remark rate": a.RemarkRate, "assessor drop rate": a.DropRate} {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("load: %s %v is outside [0, 1]", name, p)
		}
	}
	if a.Offline < 0 {
		return errors.New("load: offline changes must not be negative")
	}
	return a.Think.Validate()
}

// MarkingResult is what the simulated assessors measured.
type MarkingResult struct {
	Assessors int
	Connected int     // assessors signed in before marking began
	Join      Summary // dial + hello until the welcome
	Ack       Summary // change sent until acknowledged, for changes sent after the warmup on an unbroken connection
	Resume    Summary // dial until the welcome, on reconnecting after a drop

	Counts                   // of sheet changes
	Resent     int           // changes sent before a drop and again after it
	Recovery   Summary       // connection failure until the welcome on a live node
	Submitted  int           // sheets whose submit was acknowledged
	Window     time.Duration // from the warmup to the last acknowledgement
	Throughput float64       // changes acknowledged within Window, per second
	Errors     map[string]int

	sims []*asim
}

// markRun is the simulated assessors of one run.
type markRun struct {
	cfg      Config
	sims     []*asim
	joined   []*asim
	began    time.Time // when marking began; set before any assessor marks
	join     Latencies
	errs     Counter
	ackCount atomic.Int64
}

func newMarkRun(cfg Config) *markRun {
	r := &markRun{cfg: cfg}
	for i, code := range cfg.Assessors.Codes {
		// Stream 1<<32 + i keeps assessors' random sources apart from
		// candidates'; 1<<34 + i their backoff jitter.
		r.sims = append(r.sims, &asim{r: r, code: code, node: i % len(cfg.Nodes), rng: rand.New(rand.NewPCG(cfg.Seed, 1<<32+uint64(i))),
			jitter: rand.New(rand.NewPCG(cfg.Seed, 1<<34+uint64(i)))})
	}
	return r
}

// RunMarking runs cfg.Assessors alone against cfg.Nodes: every assessor
// signs in, marks its sheet and submits, and the loss check reads every
// sheet back. Candidates in cfg are ignored.
func RunMarking(ctx context.Context, cfg Config) (*MarkingResult, error) {
	if len(cfg.Nodes) == 0 || len(cfg.Assessors.Codes) == 0 {
		return nil, errors.New("load: no nodes or no assessors")
	}
	if err := cfg.Assessors.Validate(); err != nil {
		return nil, err
	}
	r := newMarkRun(cfg.withDefaults())
	r.joinAll()
	r.markAll(ctx)
	r.checkAll()
	return r.result(), nil
}

// joinAll signs every assessor in, DialConcurrency at a time.
func (r *markRun) joinAll() {
	r.joined = bounded(r.sims, r.cfg.DialConcurrency, func(s *asim) error {
		err := s.join()
		if err != nil {
			r.errs.Inc("join: " + short(err))
		}
		return err
	})
	r.progress("%d of %d assessors signed in", len(r.joined), len(r.sims))
}

// markAll lets every signed-in assessor mark its sheet and waits.
func (r *markRun) markAll(ctx context.Context) {
	r.began = time.Now()
	var wg sync.WaitGroup
	for _, s := range r.joined {
		wg.Go(func() {
			err := s.pick()
			if err == nil {
				err = s.mark(ctx)
			}
			if err != nil {
				r.errs.Inc("mark: " + short(err))
			}
		})
	}
	wg.Wait()
	r.progress("marking done: %d changes acknowledged", r.ackCount.Load())
}

// checkAll reads every sheet back.
func (r *markRun) checkAll() {
	bounded(r.joined, r.cfg.DialConcurrency, func(s *asim) error { s.check(); return nil })
}

func (r *markRun) progress(format string, args ...any) {
	if r.cfg.Progress != nil {
		fmt.Fprintf(r.cfg.Progress, "load: "+format+"\n", args...)
	}
}

// result merges the assessors' figures.
func (r *markRun) result() *MarkingResult {
	res := &MarkingResult{Assessors: len(r.sims), Connected: len(r.joined), Join: r.join.Summarise(), Errors: r.errs.Snapshot(), sims: r.sims}
	var ack, resume, recovery []time.Duration
	warm := r.cfg.Warmup.Nanoseconds()
	var last int64
	for _, s := range r.sims {
		resume, recovery = res.add(&s.client, resume, recovery)
		res.Resent += s.resent
		if s.submitted {
			res.Submitted++
		}
		ack, last = ackLatencies(ack, last, s.acks, warm)
	}
	res.Ack, res.Resume, res.Recovery = Summarise(ack), Summarise(resume), Summarise(recovery)
	if last > warm {
		in := 0
		for _, s := range r.sims {
			in += ackedWithin(s.acks, warm, last)
		}
		res.Window = time.Duration(last - warm)
		res.Throughput = float64(in) / res.Window.Seconds()
	}
	return res
}
