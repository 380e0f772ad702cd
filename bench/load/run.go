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

// Config describes a run.
type Config struct {
	Nodes       []string // host:port of each engine node; candidates spread over them
	Codes       []string // one access code per simulated candidate
	Sitting     string   // the sitting the codes belong to
	Invigilator string   // staff code that releases the sitting

	ThinkMean  time.Duration // mean think time between answers (exponential); 0 means none
	ChangeRate float64       // chance that an answer changes an earlier one
	FlagRate   float64       // chance of flagging the item after answering it
	DropRate   float64       // chance, per answer, that the connection drops with the answer in flight
	Answers    int           // answers per candidate; 0 means one per item
	Saturate   time.Duration // if set: no think time, answer continuously for this long
	Seed       uint64        // seeds every candidate's choices

	DialConcurrency int           // connections opened at once; default 200
	Timeout         time.Duration // waiting for any one reply; default 30s
	Progress        io.Writer     // progress lines; nil for none
}

// Result is what a run measured.
type Result struct {
	Candidates int
	Connected  int            // candidates connected and waiting at the release
	Join       Summary        // dial + hello until the waiting message
	Start      Summary        // release until the first item arrived
	Ack        Summary        // answer sent until acknowledged
	Acked      int            // answers acknowledged
	Answering  time.Duration  // from the release to the last acknowledgement
	Throughput float64        // acknowledged answers per second over Answering
	Errors     map[string]int // protocol error codes and client failures
	Reconnects int            // dropped connections resumed (on the next node)
	Checked    int            // acknowledged answers read back
	Lost       int            // acknowledged answers missing or different on read-back
	Submitted  int            // candidates whose submission was confirmed
	Phases     map[string]time.Time
}

type run struct {
	cfg      Config
	join     Latencies
	start    Latencies
	ack      Latencies
	errs     Counter
	acked    atomic.Int64
	reconn   atomic.Int64
	checked  atomic.Int64
	lost     atomic.Int64
	submit   atomic.Int64
	released atomic.Int64 // UnixNano of the release
	lastAck  atomic.Int64 // UnixNano of the last acknowledgement
}

// Run connects every candidate, releases the sitting, lets them answer,
// checks that nothing acknowledged was lost, and submits. onConnected, if
// set, is called once every candidate is waiting (before the release), and
// onStarted once every candidate has its first item (to sample memory).
func Run(ctx context.Context, cfg Config, onConnected, onStarted func()) (*Result, error) {
	if len(cfg.Nodes) == 0 || len(cfg.Codes) == 0 {
		return nil, errors.New("load: no nodes or no candidates")
	}
	if cfg.DialConcurrency <= 0 {
		cfg.DialConcurrency = 200
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	r := &run{cfg: cfg}
	n := len(cfg.Codes)
	sims := make([]*sim, n)
	for i, code := range cfg.Codes {
		sims[i] = &sim{r: r, code: code, node: i % len(cfg.Nodes), acked: map[string][]string{},
			rng: rand.New(rand.NewPCG(cfg.Seed, uint64(i)))}
	}

	// Phase 1: everyone joins and waits.
	ready := make(chan *sim, n)
	sem := make(chan struct{}, cfg.DialConcurrency)
	var joined sync.WaitGroup
	for _, s := range sims {
		joined.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := s.join(); err != nil {
				r.errs.Inc("join: " + short(err))
				return
			}
			ready <- s
		})
	}
	joined.Wait()
	close(ready)
	var waiting []*sim
	for s := range ready {
		waiting = append(waiting, s)
	}
	r.progress("%d of %d candidates connected and waiting", len(waiting), n)
	if onConnected != nil {
		onConnected()
	}

	// Phase 2: the invigilator releases; each candidate answers.
	var started, done sync.WaitGroup
	started.Add(len(waiting))
	for _, s := range waiting {
		done.Go(func() { s.sit(ctx, &started) })
	}
	r.released.Store(time.Now().UnixNano())
	if err := release(cfg); err != nil {
		for _, s := range waiting {
			s.conn.Close()
		}
		done.Wait()
		return nil, fmt.Errorf("release: %w", err)
	}
	started.Wait()
	r.progress("all started: %v", r.start.Summarise())
	if onStarted != nil {
		onStarted()
	}
	done.Wait()
	r.progress("answering done: %d acknowledged", r.acked.Load())

	// Phase 3: read back and submit.
	var checked sync.WaitGroup
	for _, s := range waiting {
		checked.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			s.checkAndSubmit()
		})
	}
	checked.Wait()

	res := &Result{
		Candidates: n, Connected: len(waiting),
		Join: r.join.Summarise(), Start: r.start.Summarise(), Ack: r.ack.Summarise(),
		Acked: int(r.acked.Load()), Errors: r.errs.Snapshot(), Reconnects: int(r.reconn.Load()),
		Checked: int(r.checked.Load()), Lost: int(r.lost.Load()), Submitted: int(r.submit.Load()),
	}
	if last := r.lastAck.Load(); last > 0 {
		res.Answering = time.Duration(last - r.released.Load())
		res.Throughput = float64(res.Acked) / res.Answering.Seconds()
	}
	return res, nil
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

// ErrLost is returned by a run whose loss check found a missing answer.
var ErrLost = errors.New("load: acknowledged answers were lost")

func protoErr(m msg) string { return fmt.Sprintf("code %d", m.Code) }
