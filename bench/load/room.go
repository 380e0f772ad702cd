package load

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"time"
)

// The invigilator's room under load: RoomWatchers invigilators, each
// signed in on a node in turn, follow the sitting's live feed (GET
// /api/sittings/{id}/live, Server-Sent Events) from before the release
// until answering ends. For every row whose last_activity moved, the lag
// is the time from the change as the server stamped it to the row's
// arrival here; the server and the generator must share a clock (one
// machine).

// RoomResult is what the room's watchers measured.
type RoomResult struct {
	Watchers int
	Lag      Summary // a candidate's change, as stamped by the server, until its row arrived
	Events   int     // "room" and "rows" events received
	Rows     int     // rows received
	Errors   map[string]int
}

// roomRun is the room's watchers during a run.
type roomRun struct {
	cfg    Config
	cancel context.CancelFunc
	wg     sync.WaitGroup
	lag    Latencies
	errs   Counter

	mu     sync.Mutex // protects events, rows
	events int
	rows   int
}

// watchRooms starts cfg.RoomWatchers watchers and returns once each has
// its first "room" event (or failed); stop ends them and returns what
// they measured.
func watchRooms(cfg Config) (stop func() *RoomResult) {
	ctx, cancel := context.WithCancel(context.Background())
	rr := &roomRun{cfg: cfg, cancel: cancel}
	var ready sync.WaitGroup
	for i := range cfg.RoomWatchers {
		ready.Add(1)
		rr.wg.Go(func() { rr.watch(ctx, cfg.Nodes[i%len(cfg.Nodes)], ready.Done) })
	}
	ready.Wait()
	return func() *RoomResult {
		rr.cancel()
		rr.wg.Wait()
		rr.mu.Lock()
		defer rr.mu.Unlock()
		return &RoomResult{Watchers: cfg.RoomWatchers, Lag: rr.lag.Summarise(), Events: rr.events, Rows: rr.rows, Errors: rr.errs.Snapshot()}
	}
}

// roomRow is what a watcher reads of a row.
type roomRow struct {
	Candidate    string     `json:"candidate"`
	LastActivity *time.Time `json:"last_activity"`
}

// watch follows the feed on node until ctx ends; ready is called once the
// first event has arrived or the watch failed.
func (rr *roomRun) watch(ctx context.Context, node string, ready func()) {
	once := sync.OnceFunc(ready)
	defer once()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	base := "http://" + node
	resp, err := c.Post(base+"/api/login", "application/json", strings.NewReader(fmt.Sprintf(`{"code":%q}`, rr.cfg.Invigilator)))
	if err != nil {
		rr.errs.Inc("room sign-in: " + short(err))
		return
	}
	resp.Body.Close()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/sittings/"+rr.cfg.Sitting+"/live", nil)
	resp, err = c.Do(req)
	if err != nil {
		rr.errs.Inc("room feed: " + short(err))
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		rr.errs.Inc("room feed: " + resp.Status)
		return
	}
	seen := map[string]time.Time{} // candidate -> last_activity as last received
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var event string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			rr.received(event, []byte(strings.TrimPrefix(line, "data: ")), seen, time.Now())
			once()
		}
	}
	if err := sc.Err(); err != nil && ctx.Err() == nil {
		rr.errs.Inc("room feed: " + short(err))
	}
}

// received takes one event's rows: a row whose last_activity moved since
// the watcher last saw it measures the lag from that change to now.
func (rr *roomRun) received(event string, data []byte, seen map[string]time.Time, now time.Time) {
	var rows []roomRow
	switch event {
	case "room":
		var room struct {
			Candidates []roomRow `json:"candidates"`
		}
		if err := json.Unmarshal(data, &room); err != nil {
			rr.errs.Inc("room event: " + short(err))
			return
		}
		rows = room.Candidates
	case "rows":
		if err := json.Unmarshal(data, &rows); err != nil {
			rr.errs.Inc("rows event: " + short(err))
			return
		}
	default:
		return
	}
	for _, r := range rows {
		if r.LastActivity == nil {
			continue
		}
		if prev, ok := seen[r.Candidate]; !ok || r.LastActivity.After(prev) {
			rr.lag.Add(now.Sub(*r.LastActivity))
		}
		seen[r.Candidate] = *r.LastActivity
	}
	rr.mu.Lock()
	rr.events++
	rr.rows += len(rows)
	rr.mu.Unlock()
}
