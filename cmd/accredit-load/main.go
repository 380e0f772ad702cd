// Command accredit-load simulates a sitting against engine nodes and
// reports latency, throughput, memory and a loss check (see bench/load).
//
//	accredit-load --spawn ./bin/accredit --candidates 2000 --think 5s --out report.md
//	accredit-load --write-content DIR --candidates 2000      (content for nodes you run)
//	accredit-load --nodes 127.0.0.1:8080,127.0.0.1:8081 --candidates 2000
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("accredit-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("candidates", 100, "simulated candidates")
	spawn := fs.String("spawn", "", "start this accredit binary as the node, on generated content")
	store := fs.String("store", "", "store for a spawned node (default: a bolt file in a temporary directory)")
	nodes := fs.String("nodes", "", "comma-separated host:port of running nodes (content from --write-content)")
	writeContent := fs.String("write-content", "", "only write a content directory for --candidates and exit")
	think := fs.Duration("think", 5*time.Second, "mean think time between answers")
	answers := fs.Int("answers", 0, "answers per candidate (0: one per item)")
	change := fs.Float64("change", 0.1, "share of answers that change an earlier item")
	flagRate := fs.Float64("flag", 0.05, "share of answers followed by a flag")
	drop := fs.Float64("drop", 0.01, "share of answers whose connection drops in flight")
	saturate := fs.Duration("saturate", 0, "answer with no think time for this long")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "write the Markdown report here as well as to stdout")
	title := fs.String("title", "Load run", "report title")
	startP99 := fs.Duration("target-start-p99", 0, "target p99 start latency")
	ackP99 := fs.Duration("target-ack-p99", 0, "target p99 acknowledgement latency")
	tput := fs.Float64("target-throughput", 0, "target acknowledged answers/s")
	rss := fs.Float64("target-rss", 0, "target server KiB per connected candidate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *writeContent != "" {
		_, err := load.WriteContent(*writeContent, *n)
		return err
	}
	load.RaiseFileLimit()
	cfg := load.Config{
		Codes: make([]string, *n), Sitting: load.SittingID, Invigilator: load.InvigilatorCode,
		ThinkMean: *think, ChangeRate: *change, FlagRate: *flagRate, DropRate: *drop,
		Answers: *answers, Saturate: *saturate, Seed: *seed, Progress: stderr,
	}
	for i := range cfg.Codes {
		cfg.Codes[i] = load.Code(i)
	}
	var srv *load.Server
	switch {
	case *spawn != "":
		dir, err := os.MkdirTemp("", "accredit-load-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if _, err := load.WriteContent(filepath.Join(dir, "content"), *n); err != nil {
			return err
		}
		st := *store
		if st == "" {
			st = "bolt:" + filepath.Join(dir, "accredit.db")
		}
		srv, err = load.Spawn(*spawn, "--content", filepath.Join(dir, "content"), "--store", st, "--standards", filepath.Join(dir, "standards"))
		if err != nil {
			return err
		}
		defer srv.Stop()
		cfg.Nodes = []string{srv.Addr}
	case *nodes != "":
		cfg.Nodes = strings.Split(*nodes, ",")
	default:
		return errors.New("give --spawn BINARY or --nodes HOST:PORT,...")
	}
	var mem *load.Memory
	if srv != nil {
		mem = &load.Memory{Idle: srv.RSS()}
	}
	res, err := load.Run(ctx, cfg,
		func() {
			if mem != nil {
				mem.Waiting = srv.RSS()
			}
		},
		func() {
			if mem != nil {
				mem.Started = srv.RSS()
			}
		})
	if err != nil {
		return err
	}
	var b bytes.Buffer
	load.WriteReport(&b, *title, "accredit-load "+strings.Join(args, " "), cfg, res, mem,
		load.Targets{StartP99: *startP99, AckP99: *ackP99, Throughput: *tput, RSSPerConn: *rss})
	stdout.Write(b.Bytes())
	if *out != "" {
		if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if res.Lost > 0 {
		return load.ErrLost
	}
	return nil
}
