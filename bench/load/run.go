package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Errors of a run.
var (
	// ErrLost is returned by a run whose loss check found a missing or
	// different answer or marking change.
	ErrLost = errors.New("load: acknowledged answers or marking changes were lost")
	// ErrUnfinished is returned by a fault run in which a candidate or an
	// assessor did not resume and submit.
	ErrUnfinished = errors.New("load: not every candidate and assessor finished")
	errNoTargets  = errors.New("load: no nodes or no candidates")
)

// Config describes a run.
type Config struct {
	Nodes       []string // host:port of each engine node; candidates spread over them
	Codes       []string // one access code per simulated candidate
	Sitting     string   // the sitting the codes belong to
	Invigilator string   // staff code that releases the sitting

	Think      Think   // think time before each answer
	ChangeRate float64 // chance that an answer changes an earlier item
	FlagRate   float64 // chance of flagging the item just answered
	DropRate   float64 // chance, per answer, that the connection drops with it in flight
	Answers    int     // answers per candidate when Duration is 0; 0 means one per item
	Seed       uint64  // seeds every candidate's choices

	// Warmup after the release is left out of the acknowledgement latency
	// and the throughput; Duration, if set, is how long answering goes on
	// after the warmup (instead of a number of answers).
	Warmup, Duration time.Duration

	// Assessors, if any, sign in after the candidates have joined and mark
	// from the release on, alongside the candidates; Warmup applies to
	// their acknowledgement latency too.
	Assessors Assessors

	// RoomWatchers invigilators, on the nodes in turn, follow the room's
	// live feed from before the release until answering ends; 0 for none.
	RoomWatchers int

	Watch           *Server       // a node whose memory and CPU to sample; nil for none
	DialConcurrency int           // connections opened at once; default 200
	Timeout         time.Duration // waiting for any one reply; default 30s
	RetryPause      time.Duration // before re-sending a change refused with 103; default 50ms
	StoreBackoff    Backoff       // before re-sending a change refused with 501; default 250ms doubling to 2s
	Backoff         Backoff       // before joining again after a failed try; zero: the candidate page's 500ms doubling to 8s

	// Faults, if any, are done to the system under load at their times
	// after the release, while answering goes on; the result records when.
	Faults   []Fault
	Progress io.Writer // progress lines; nil for none

	// Hooks for a test that runs the sitting from the invigilator's page
	// while the candidates sit.
	//
	// Release, if set, releases the sitting in place of the invigilator's
	// sign-in and release on the first node; Run calls it once every
	// candidate has joined and is waiting.
	Release func() error
	// Stop, if set, ends answering when it is closed, in place of Answers
	// and Duration.
	Stop <-chan struct{}
	// Observe, if set, is given every message a candidate receives, as
	// sent, with the candidate's access code. It is called from the
	// candidates' goroutines, several at once.
	Observe func(code string, msg []byte)
}

// Validate returns an error naming the first field out of range.
func (c Config) Validate() error {
	if len(c.Nodes) == 0 || len(c.Codes) == 0 {
		return errNoTargets
	}
	for name, p := range map[string]float64{"change rate": c.ChangeRate, "flag rate": c.FlagRate, "drop rate": c.DropRate} {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("load: %s %v is outside [0, 1]", name, p)
		}
	}
	if c.Answers < 0 || c.Warmup < 0 || c.Duration < 0 || c.RoomWatchers < 0 {
		return errors.New("load: answers, warmup, duration and room watchers must not be negative")
	}
	if err := c.Assessors.Validate(); err != nil {
		return err
	}
	return c.Think.Validate()
}

// withDefaults fills in the connection settings left at zero.
func (c Config) withDefaults() Config {
	if c.DialConcurrency <= 0 {
		c.DialConcurrency = 200
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.RetryPause <= 0 {
		c.RetryPause = 50 * time.Millisecond // one token of the 20 frames/s budget (docs/protocol.md)
	}
	if c.StoreBackoff == (Backoff{}) {
		c.StoreBackoff = Backoff{Min: 250 * time.Millisecond, Max: 2 * time.Second} // "501 after a second or so"
	}
	return c
}

type run struct {
	cfg       Config
	released  time.Time // set before any sim starts reading
	stop      time.Time // zero, or when answering stops
	join      Latencies
	errs      Counter
	ackCount  atomic.Int64
	submitted atomic.Int64
	mark      *markRun     // the simulated assessors; nil without
	faults    []FaultEvent // what became of Config.Faults, once answering is over
}

func (r *run) fail(phase string, err error, m msg) {
	switch {
	case err != nil:
		r.errs.Inc(phase + ": " + short(err))
	case m.Type == "error":
		r.errs.Inc(phase + ": " + codeKey(m.Code))
	default:
		r.errs.Inc(fmt.Sprintf("%s: unexpected %q", phase, m.Type))
	}
}

// Run connects every candidate (and signs in every assessor), releases
// the sitting, lets the candidates answer (and the assessors mark), checks
// that nothing acknowledged was lost, and submits.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	r := &run{cfg: cfg}
	sims := make([]*sim, len(cfg.Codes))
	for i, code := range cfg.Codes {
		// Stream 1<<33 + i keeps each candidate's backoff jitter apart from its choices.
		sims[i] = &sim{r: r, code: code, node: i % len(cfg.Nodes), out: newOutbox(),
			rng: rand.New(rand.NewPCG(cfg.Seed, uint64(i))), jitter: rand.New(rand.NewPCG(cfg.Seed, 1<<33+uint64(i)))}
	}
	var samples [4]sample
	samples[0] = cfg.Watch.sample()
	waiting := r.joinAll(sims)
	r.progress("%d of %d candidates connected and waiting", len(waiting), len(sims))
	if len(cfg.Assessors.Codes) > 0 {
		r.mark = newMarkRun(cfg)
		r.mark.joinAll()
	}
	stopRoom := func() *RoomResult { return nil }
	if cfg.RoomWatchers > 0 {
		stopRoom = watchRooms(cfg)
	}
	samples[1] = cfg.Watch.sample()
	err := r.sitAll(ctx, waiting, &samples)
	room := stopRoom()
	if err != nil {
		return nil, err
	}
	r.progress("answering done: %d answers acknowledged", r.ackCount.Load())
	samples[3] = cfg.Watch.sample()
	r.checkAll(waiting)
	res := r.result(sims, len(waiting), samples)
	res.Faults = r.faults
	res.Room = room
	if r.mark != nil {
		r.mark.checkAll()
		res.Marking = r.mark.result()
	}
	return res, nil
}

// joinAll connects every candidate, DialConcurrency at a time, and returns
// those waiting for the release.
func (r *run) joinAll(sims []*sim) []*sim {
	return bounded(sims, r.cfg.DialConcurrency, func(s *sim) error {
		err := s.join()
		if err != nil {
			r.errs.Inc("join: " + short(err))
		}
		return err
	})
}

// bounded calls f on every element of xs, at most limit at a time, and
// returns, in order, those for which it returned nil.
func bounded[T any](xs []T, limit int, f func(T) error) []T {
	ok := make([]bool, len(xs))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, x := range xs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ok[i] = f(x) == nil
		})
	}
	wg.Wait()
	var out []T
	for i, x := range xs {
		if ok[i] {
			out = append(out, x)
		}
	}
	return out
}

// sitAll releases the sitting and lets every waiting candidate answer;
// samples[2] is taken once all have their first item.
func (r *run) sitAll(ctx context.Context, waiting []*sim, samples *[4]sample) error {
	var started, done sync.WaitGroup
	started.Add(len(waiting))
	r.released = time.Now()
	if r.cfg.Duration > 0 {
		r.stop = r.released.Add(r.cfg.Warmup + r.cfg.Duration)
	}
	for _, s := range waiting {
		done.Go(func() { s.sit(ctx, &started) })
	}
	rel := func() error { return release(r.cfg) }
	if r.cfg.Release != nil {
		rel = r.cfg.Release
	}
	if err := rel(); err != nil {
		for _, s := range waiting {
			s.conn.Close()
		}
		done.Wait()
		return fmt.Errorf("release: %w", err)
	}
	if r.mark != nil {
		done.Go(func() { r.mark.markAll(ctx) })
	}
	stopFaults := faultLoop(ctx, r.cfg.Faults, r.released)
	defer func() { r.faults = stopFaults() }()
	started.Wait()
	samples[2] = r.cfg.Watch.sample()
	r.progress("all started in %v", time.Since(r.released).Round(time.Millisecond))
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	finished := make(chan struct{})
	go func() { done.Wait(); close(finished) }()
	for {
		select {
		case <-finished:
			return nil
		case <-tick.C:
			if r.mark != nil {
				r.progress("%v: %d answers and %d marking changes acknowledged", time.Since(r.released).Round(time.Second), r.ackCount.Load(), r.mark.ackCount.Load())
				continue
			}
			r.progress("%v: %d answers acknowledged", time.Since(r.released).Round(time.Second), r.ackCount.Load())
		}
	}
}

// checkAll reads every candidate's answers back and submits.
func (r *run) checkAll(waiting []*sim) {
	bounded(waiting, r.cfg.DialConcurrency, func(s *sim) error { s.checkAndSubmit(); return nil })
}

func (r *run) progress(format string, args ...any) {
	if r.cfg.Progress != nil {
		fmt.Fprintf(r.cfg.Progress, "load: "+format+"\n", args...)
	}
}

// release signs the invigilator in on the first node and releases the sitting.
func release(cfg Config) error {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 2 * time.Minute}
	base := "http://" + cfg.Nodes[0]
	resp, err := c.Post(base+"/api/login", "application/json", strings.NewReader(fmt.Sprintf(`{"code":%q}`, cfg.Invigilator)))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sign in: %s", resp.Status)
	}
	resp, err = c.Post(base+"/api/sittings/"+cfg.Sitting+"/release", "application/json", nil)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("release: %s", resp.Status)
	}
	return nil
}

func short(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && len(s)-i < 60 {
		return s[i+2:]
	}
	return s
}

var dialer = &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024}
