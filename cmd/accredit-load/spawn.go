package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/accredit/accredit/bench/load"
)

// check validates a fault run's settings.
func (f faultOptions) check(spawn string) error {
	switch {
	case f.nodes < 1:
		return fmt.Errorf("--spawn-nodes %d: need at least one", f.nodes)
	case (f.nodes > 1 || f.redis != "") && spawn == "":
		return errors.New("--spawn-nodes and --redis-server need --spawn")
	case f.any() && f.redis == "":
		return errors.New("a fault run needs --redis-server: it restarts and stalls the store it starts")
	case f.kill > 0 && f.nodes < 2:
		return errors.New("--kill-node-at needs --spawn-nodes 2 or more, so that a node lives on")
	case f.for_ <= 0:
		return fmt.Errorf("--stall-for %v: must be positive", f.for_)
	}
	return nil
}

// spawnAll writes the content, starts redis-server if asked, and the
// nodes, and fills in cfg's nodes, watched node and faults; stop ends
// whatever was started, even after an error.
func spawnAll(o options, cfg *load.Config) (stop func(), err error) {
	var undo []func()
	stop = func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	dir, err := os.MkdirTemp("", "accredit-load-")
	if err != nil {
		return stop, err
	}
	undo = append(undo, func() { os.RemoveAll(dir) })
	model, err := writeContent(filepath.Join(dir, "content"), o)
	if err != nil {
		return stop, err
	}
	st := o.store
	if st == "" {
		st = "bolt:" + filepath.Join(dir, "accredit.db")
	}
	var redis *load.Redis
	if o.faults.redis != "" {
		if err := os.Mkdir(filepath.Join(dir, "redis"), 0o755); err != nil {
			return stop, err
		}
		if redis, err = load.StartRedis(o.faults.redis, filepath.Join(dir, "redis")); err != nil {
			return stop, err
		}
		undo = append(undo, redis.Stop)
		st = redis.URL()
	}
	serve := []string{"--content", filepath.Join(dir, "content"), "--store", st, "--standards", filepath.Join(dir, "standards")}
	if model != "" {
		serve = append(serve, "--roleplay", model)
	}
	var nodes []*load.Server
	for range o.faults.nodes {
		srv, err := load.Spawn(o.spawn, serve...)
		if err != nil {
			return stop, err
		}
		undo = append(undo, srv.Stop)
		nodes = append(nodes, srv)
		cfg.Nodes = append(cfg.Nodes, srv.Addr)
	}
	cfg.Watch = nodes[0]
	cfg.Faults = faults(o.faults, nodes, redis)
	return stop, nil
}

// faults is the fault run's schedule, in order of time.
func faults(f faultOptions, nodes []*load.Server, redis *load.Redis) []load.Fault {
	var out []load.Fault
	if f.kill > 0 {
		last := nodes[len(nodes)-1]
		out = append(out, load.Fault{At: f.kill, Name: fmt.Sprintf("SIGKILL node %d of %d (%s)", len(nodes), len(nodes), last.Addr), Do: last.Kill})
	}
	if f.restart > 0 {
		out = append(out, load.Fault{At: f.restart, Name: fmt.Sprintf("stop and start redis-server on port %d, same AOF directory", redis.Port), Do: redis.Restart})
	}
	if f.stall > 0 {
		d := f.for_
		out = append(out, load.Fault{At: f.stall, Name: fmt.Sprintf("stall redis-server for %v (SIGSTOP, then SIGCONT)", d), Do: func() error { return redis.Stall(d) }})
	}
	slices.SortStableFunc(out, func(a, b load.Fault) int { return int(a.At - b.At) })
	return out
}
