// Command accredit-load simulates a sitting against engine nodes and
// reports latency, throughput, memory and a loss check (see bench/load and
// docs/bench.md).
//
//	accredit-load --spawn ./bin/accredit --candidates 2000 --think 5s --out report.md
//	accredit-load --write-content DIR --candidates 2000      (content for nodes you run)
//	accredit-load --nodes 127.0.0.1:8080,127.0.0.1:8081 --candidates 2000
//	accredit-load --spawn ./bin/accredit --candidates 500 --assessors 200 --mark-think 2s
//	accredit-load --spawn ./bin/accredit --spawn-nodes 3 --redis-server redis-server \
//	    --kill-node-at 20s --restart-redis-at 40s --stall-redis-at 60s --duration 90s
//
// With --assessors, simulated assessors mark role-plays over the assessor
// protocol alongside the candidates, on a generated role-play model.
//
// With --kill-node-at, --restart-redis-at or --stall-redis-at it does those
// faults under load (a fault run) on nodes it spawns on a redis-server it
// starts itself.
//
// It exits with status 1 if the run fails or any acknowledged answer or
// marking change was lost, or, in a fault run, if any candidate or
// assessor did not finish.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/accredit/accredit/bench/load"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "accredit-load:", err)
		os.Exit(1)
	}
}

type options struct {
	n                          int
	roleplay                   load.Roleplay
	spawn, store, nodes, write string
	out, title, note           string
	saturate                   time.Duration
	targets                    load.Targets
	faults                     faultOptions
}

// faultOptions are a fault run's settings.
type faultOptions struct {
	nodes                      int    // nodes to spawn
	redis                      string // redis-server binary to start for the store
	kill, restart, stall, for_ time.Duration
}

func (f faultOptions) any() bool { return f.kill > 0 || f.restart > 0 || f.stall > 0 }

func parse(args []string, stderr io.Writer) (options, load.Config, error) {
	var o options
	var cfg load.Config
	fs := flag.NewFlagSet("accredit-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.n, "candidates", 100, "simulated candidates")
	fs.StringVar(&o.spawn, "spawn", "", "start this accredit binary as the node, on generated content")
	fs.StringVar(&o.store, "store", "", "store for a spawned node, e.g. bolt:PATH (default: a bolt file in a temporary directory)")
	fs.IntVar(&o.faults.nodes, "spawn-nodes", 1, "with --spawn, nodes to start on the one store (Redis for more than one)")
	fs.StringVar(&o.faults.redis, "redis-server", "", "with --spawn, start this redis-server (durable: AOF, fsync always) on a free port as the store")
	fs.DurationVar(&o.faults.kill, "kill-node-at", 0, "fault: SIGKILL the last spawned node this long after the release")
	fs.DurationVar(&o.faults.restart, "restart-redis-at", 0, "fault: stop and start redis-server (same port and AOF) this long after the release")
	fs.DurationVar(&o.faults.stall, "stall-redis-at", 0, "fault: SIGSTOP redis-server this long after the release, SIGCONT after --stall-for")
	fs.DurationVar(&o.faults.for_, "stall-for", 6*time.Second, "how long --stall-redis-at stalls redis-server")
	fs.StringVar(&o.nodes, "nodes", "", "comma-separated host:port of running nodes serving --write-content's content")
	fs.StringVar(&o.write, "write-content", "", "only write a content directory for --candidates (and, with --assessors, a role-play model in its roleplay/) and exit")
	fs.DurationVar(&cfg.Think.Mean, "think", 5*time.Second, "mean think time before each answer")
	fs.StringVar(&cfg.Think.Dist, "think-dist", load.Exponential, "think-time distribution: exponential or lognormal")
	fs.Float64Var(&cfg.Think.Sigma, "think-sigma", 1, "lognormal only: standard deviation of ln(think time)")
	fs.IntVar(&cfg.Answers, "answers", 0, "answers per candidate without --duration (0: one per item)")
	fs.DurationVar(&cfg.Duration, "duration", 0, "answer for this long after the warmup instead of a number of answers")
	fs.DurationVar(&cfg.Warmup, "warmup", 0, "time after the release left out of acknowledgement latency and throughput")
	fs.DurationVar(&o.saturate, "saturate", 0, "saturation: no think time, answer for this long after the warmup")
	fs.Float64Var(&cfg.ChangeRate, "change", 0.1, "share of answers that change an earlier item")
	fs.Float64Var(&cfg.FlagRate, "flag", 0.05, "share of answers followed by a flag")
	fs.Float64Var(&cfg.DropRate, "drop", 0.01, "share of answers whose connection drops in flight")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	fs.StringVar(&o.out, "out", "", "write the Markdown report here as well as to stdout")
	fs.StringVar(&o.title, "title", "Load run", "report title")
	fs.StringVar(&o.note, "note", "", "a paragraph appended to the report")
	fs.IntVar(&o.roleplay.Assessors, "assessors", 0, "simulated assessors marking role-plays, two to a station (even; 0 for none)")
	fs.IntVar(&o.roleplay.Stations, "circuit-stations", 10, "role-play stations per circuit")
	fs.IntVar(&o.roleplay.Candidates, "circuit-candidates", 0, "role-play candidates per circuit (0: as many as its stations)")
	fs.DurationVar(&o.roleplay.SlotLength, "slot-length", time.Hour, "role-play slot length; slot 1 starts a minute before the content is written")
	fs.DurationVar(&cfg.Assessors.Think.Mean, "mark-think", 5*time.Second, "mean think time before each marking change (distribution as --think-dist)")
	fs.Float64Var(&cfg.Assessors.NoteRate, "mark-note", 0.5, "share of criteria given an evidence note")
	fs.Float64Var(&cfg.Assessors.RemarkRate, "mark-remark", 0.2, "share of criteria marked again with another value")
	fs.Float64Var(&cfg.Assessors.DropRate, "mark-drop", 0.01, "share of marking changes whose connection drops")
	fs.IntVar(&cfg.Assessors.Offline, "mark-offline", 3, "after a drop, up to this many marking changes are made offline")
	fs.DurationVar(&o.targets.StartP99, "target-start-p99", 0, "target p99 start latency")
	fs.DurationVar(&o.targets.AckP99, "target-ack-p99", 0, "target p99 acknowledgement latency")
	fs.Float64Var(&o.targets.Throughput, "target-throughput", 0, "target answers acknowledged/s")
	fs.Float64Var(&o.targets.RSSPerConn, "target-rss", 0, "target server KiB per connected candidate")
	fs.DurationVar(&o.targets.MarkAckP99, "target-mark-ack-p99", 0, "target p99 marking change acknowledgement latency")
	fs.IntVar(&cfg.RoomWatchers, "room-watchers", 0, "invigilators following the room's live feed, on the nodes in turn (0 for none)")
	fs.DurationVar(&o.targets.RoomLagP99, "target-room-p99", 0, "target p99 lag from a stored change to its row on the room's feed")
	if err := fs.Parse(args); err != nil {
		return o, cfg, err
	}
	if o.n <= 0 {
		return o, cfg, fmt.Errorf("--candidates %d: need at least one", o.n)
	}
	if err := o.faults.check(o.spawn); err != nil {
		return o, cfg, err
	}
	if o.saturate > 0 {
		cfg.Duration, cfg.Think.Mean = o.saturate, 0
	}
	cfg.Codes = make([]string, o.n)
	for i := range cfg.Codes {
		cfg.Codes[i] = load.Code(i)
	}
	cfg.Sitting, cfg.Invigilator = load.SittingID, load.InvigilatorCode
	if a := o.roleplay.Assessors; a < 0 || a%2 != 0 {
		return o, cfg, fmt.Errorf("--assessors %d: want an even number, two to a station", a)
	}
	cfg.Assessors.Think.Dist, cfg.Assessors.Think.Sigma = cfg.Think.Dist, cfg.Think.Sigma
	for i := range o.roleplay.Assessors {
		cfg.Assessors.Codes = append(cfg.Assessors.Codes, load.AssessorCode(i))
	}
	if err := cfg.Assessors.Validate(); err != nil {
		return o, cfg, err
	}
	return o, cfg, cfg.Think.Validate()
}

// writeContent writes the content for o's candidates in dir, and with
// assessors the role-play model in dir/roleplay, which it returns ("" for
// none).
func writeContent(dir string, o options) (string, error) {
	if _, err := load.WriteContent(dir, o.n); err != nil {
		return "", err
	}
	if o.roleplay.Assessors == 0 {
		return "", nil
	}
	model := filepath.Join(dir, "roleplay")
	_, err := load.WriteRoleplay(model, dir, o.roleplay)
	return model, err
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, cfg, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if o.write != "" {
		_, err := writeContent(o.write, o)
		return err
	}
	fmt.Fprintf(stderr, "load: open-file limit %d\n", load.RaiseFileLimit())
	cfg.Progress = stderr
	switch {
	case o.spawn != "":
		stop, err := spawnAll(o, &cfg)
		defer stop()
		if err != nil {
			return err
		}
	case o.nodes != "":
		cfg.Nodes = strings.Split(o.nodes, ",")
	default:
		return errors.New("give --spawn BINARY or --nodes HOST:PORT,...")
	}
	res, err := load.Run(ctx, cfg)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	load.WriteReport(&b, o.title, "accredit-load "+quote(args), cfg, res, o.targets, o.note)
	stdout.Write(b.Bytes())
	if o.out != "" {
		if err := os.WriteFile(o.out, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if res.Lost() > 0 || res.Marking != nil && res.Marking.Lost() > 0 {
		return load.ErrLost
	}
	if o.faults.any() && !res.Finished() {
		return load.ErrUnfinished
	}
	return nil
}

// quote writes args as a shell would need them to run the same command.
func quote(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.ContainsAny(a, " \t'\"$()*?;&|<>") {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}
