package load

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Targets are the figures a scenario is judged against; zero means none.
type Targets struct {
	StartP99   time.Duration
	AckP99     time.Duration
	Throughput float64       // answers acknowledged per second
	RSSPerConn float64       // KiB per connected candidate, all started
	MarkAckP99 time.Duration // assessors' change acknowledgement latency
	RoomLagP99 time.Duration // a change until its row reaches the room's watchers
}

// verdict is a target's outcome: "met", or "**missed** by how much".
type verdict struct {
	target, outcome string
	missed          bool
}

func (v *verdict) cells() (string, string) {
	if v == nil {
		return "", ""
	}
	return v.target, v.outcome
}

func overBy[T time.Duration | float64](got, limit T, unit string, show func(T) string) *verdict {
	v := &verdict{target: "< " + show(limit) + unit, outcome: "met"}
	if got >= limit {
		v.missed = true
		v.outcome = fmt.Sprintf("**missed** by %s%s (%.0f%% over)", show(got-limit), unit, 100*float64(got-limit)/float64(limit))
	}
	return v
}

// p99 judges a 99th percentile against limit; no limit, no verdict.
func p99(got, limit time.Duration) *verdict {
	if limit <= 0 {
		return nil
	}
	v := overBy(got, limit, "", showDur)
	v.target = "p99 " + v.target
	return v
}

// all judges how many of want were reached.
func all(got, want int) *verdict {
	v := &verdict{target: fmt.Sprint(want), outcome: "met"}
	if got < want {
		v.missed, v.outcome = true, fmt.Sprintf("**missed** by %d", want-got)
	}
	return v
}

// noLoss judges a loss check: nothing missing or different, and something checked.
func noLoss(checked, missing, different int) *verdict {
	v := &verdict{target: "0 lost", outcome: "met"}
	if missing+different > 0 || checked == 0 {
		v.missed, v.outcome = true, fmt.Sprintf("**missed**: %d missing, %d different", missing, different)
	}
	return v
}

// figures writes a report's table of figures and keeps the names of the
// targets missed.
type figures struct {
	w      io.Writer
	missed []string
}

func newFigures(w io.Writer) *figures {
	fmt.Fprint(w, "| figure | value | target | outcome |\n|---|---|---|---|\n")
	return &figures{w: w}
}

// row writes a figure; v, if not nil, is its target's verdict, counted as
// missed under key.
func (f *figures) row(key, name, value string, v *verdict) {
	if v != nil && v.missed {
		f.missed = append(f.missed, key)
	}
	target, outcome := v.cells()
	fmt.Fprintf(f.w, "| %s | %s | %s | %s |\n", name, value, target, outcome)
}

func showDur(d time.Duration) string { return round(d).String() }
func showKiB(f float64) string       { return fmt.Sprintf("%.1f", f) }

// WriteReport writes a Markdown report of a run: the machine, the command,
// the scenario, each figure against its target (by how much a missed one
// is missed) and, for a missed target, where the processor time went.
func WriteReport(w io.Writer, title, command string, cfg Config, res *Result, t Targets, note string) {
	fmt.Fprintf(w, "# %s\n\n", title)
	fmt.Fprintf(w, "Machine: %s\n\n", machine())
	fmt.Fprintf(w, "Command:\n\n    %s\n\n", command)
	fmt.Fprintf(w, "%s\n\n", scenario(cfg, res))
	f := newFigures(w)
	f.row("connections", "connections held at the release", fmt.Sprintf("%d of %d", res.Connected, res.Candidates), all(res.Connected, res.Candidates))
	f.row("", "join latency (dial, hello, waiting)", res.Join.String(), nil)
	f.row("start latency", "start latency (release to attempt message)", res.Start.String(), p99(res.Start.P99, t.StartP99))
	f.row("acknowledgement latency", "answer acknowledgement latency", res.Ack.String(), p99(res.Ack.P99, t.AckP99))
	var v *verdict
	if t.Throughput > 0 {
		v = &verdict{target: fmt.Sprintf(">= %.0f/s", t.Throughput), outcome: "met"}
		if res.Throughput < t.Throughput {
			v.missed = true
			v.outcome = fmt.Sprintf("**missed** by %.0f/s (%.0f%% of the target)", t.Throughput-res.Throughput, 100*res.Throughput/t.Throughput)
		}
	}
	f.row("throughput", "throughput (answers acknowledged/s)", fmt.Sprintf("%.0f over %v", res.Throughput, res.Window.Round(time.Millisecond)), v)
	f.row("", "answers / flags acknowledged", fmt.Sprintf("%d / %d", res.Acked, res.Flags), nil)
	f.row("", "dropped connections resumed on the next node", fmt.Sprintf("%d (%d answers in flight found already stored)", res.Reconnects, res.Duplicates), nil)
	f.row("", "resume latency (drop to attempt message)", res.Resume.String(), nil)
	if res.Recoveries > 0 || len(res.Faults) > 0 {
		f.row("", "connection failures resumed on a live node", fmt.Sprintf("%d candidates, %d resumes", res.Recovered, res.Recoveries), nil)
		f.row("", "resume latency after a failure (failure to attempt message, backoff included)", res.Recovery.String(), nil)
	}
	if m := res.Memory; m != nil {
		f.row("", "server RSS before connecting / all waiting / all started / answering ended", fmt.Sprintf("%d / %d / %d / %d KiB", m.Idle, m.Waiting, m.Started, m.Answered), nil)
		f.row("", "server RSS per connected candidate, waiting", fmt.Sprintf("%.1f KiB", m.PerConn(m.Waiting, res.Connected)), nil)
		v = nil
		if t.RSSPerConn > 0 {
			v = overBy(m.PerConn(m.Started, res.Connected), t.RSSPerConn, " KiB", showKiB)
		}
		f.row("memory", "server RSS per connected candidate, started", fmt.Sprintf("%.1f KiB", m.PerConn(m.Started, res.Connected)), v)
		f.row("", "server RSS per connected candidate, answering ended", fmt.Sprintf("%.1f KiB", m.PerConn(m.Answered, res.Connected)), nil)
	}
	for _, c := range []struct {
		name string
		cpu  *CPU
	}{{"CPU during the start (server / load generator / other processes)", res.StartCPU}, {"CPU while answering (server / load generator / other processes)", res.RunCPU}} {
		if c.cpu != nil {
			f.row("", c.name, fmt.Sprintf("%.2f / %.2f / %.2f cores over %v", c.cpu.Server, c.cpu.Generator, c.cpu.Others, c.cpu.Span.Round(time.Millisecond)), nil)
		}
	}
	if rm := res.Room; rm != nil {
		f.row("room update lag", fmt.Sprintf("room update lag (change stored to its row at %d watchers)", rm.Watchers), rm.Lag.String(), p99(rm.Lag.P99, t.RoomLagP99))
		f.row("", "room feed events / rows received", fmt.Sprintf("%d / %d (errors: %s)", rm.Events, rm.Rows, strings.TrimSuffix(errorsText(rm.Errors), ".")), nil)
	}
	f.row("loss", "loss check: acknowledged answers read back", fmt.Sprintf("%d checked, %d lost, %d superseded by a later answer stored", res.Checked, res.Lost(), res.Superseded), noLoss(res.Checked, res.Missing, res.Different))
	f.row("", "submissions confirmed", fmt.Sprintf("%d of %d", res.Submitted, res.Connected), nil)
	fmt.Fprintf(w, "\nErrors by kind: %s\n", errorsText(res.Errors))
	writeFaults(w, res.Faults)
	missed := f.missed
	if res.Marking != nil {
		missed = append(missed, writeMarking(w, cfg, res.Marking, t, res.Memory != nil)...)
	}
	if len(missed) > 0 {
		fmt.Fprintf(w, "\nMissed: %s. %s\n", strings.Join(missed, ", "), why(res))
	}
	if note != "" {
		fmt.Fprintf(w, "\n%s\n", note)
	}
}

func scenario(cfg Config, res *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d candidates on %d node(s); think time %s; answer changes %.0f%%, flags %.0f%%, dropped connections %.1f%% of answers",
		res.Candidates, len(cfg.Nodes), cfg.Think, 100*cfg.ChangeRate, 100*cfg.FlagRate, 100*cfg.DropRate)
	if cfg.Duration > 0 {
		fmt.Fprintf(&b, "; answering for %v after a warmup of %v", cfg.Duration, cfg.Warmup)
	} else {
		n := fmt.Sprint(cfg.Answers)
		if cfg.Answers == 0 {
			n = "one per item"
		}
		fmt.Fprintf(&b, "; %s answers each", n)
		if cfg.Warmup > 0 {
			fmt.Fprintf(&b, ", the first %v after the release left out of latency and throughput", cfg.Warmup)
		}
	}
	fmt.Fprintf(&b, "; seed %d.", cfg.Seed)
	return b.String()
}

// why says where the processor time went while targets were missed: with
// both processes sharing the machine, a busy machine means the figure is
// bounded by CPU; an idle one, by waiting (disk flushes, timers).
func why(res *Result) string {
	var parts []string
	for _, c := range []struct {
		phase string
		cpu   *CPU
	}{{"the start", res.StartCPU}, {"answering", res.RunCPU}} {
		if c.cpu == nil {
			continue
		}
		busy := c.cpu.Server + c.cpu.Generator + c.cpu.Others
		state := "were saturated"
		if busy < 0.85*float64(runtime.NumCPU()) {
			state = "were not saturated (the time went to waiting, not computing)"
		}
		parts = append(parts, fmt.Sprintf("During %s the machine's %d cores %s: the server used %.2f cores, the load generator %.2f and other processes %.2f.",
			c.phase, runtime.NumCPU(), state, c.cpu.Server, c.cpu.Generator, c.cpu.Others))
	}
	if len(res.Errors) > 0 {
		parts = append(parts, "See the errors above.")
	}
	return strings.Join(parts, " ")
}

func errorsText(m map[string]int) string {
	if len(m) == 0 {
		return "none."
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, "; ") + "."
}

func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		mem = strings.TrimSpace(strings.TrimPrefix(strings.Split(string(b), "\n")[0], "MemTotal:"))
	}
	kernel, _ := exec.Command("uname", "-r").Output()
	return fmt.Sprintf("%d cores (%s), %s memory, Linux %s, %s; load generator on the same machine",
		runtime.NumCPU(), model, mem, strings.TrimSpace(string(kernel)), runtime.Version())
}

// writeFaults writes what was done to the system under load, and when.
func writeFaults(w io.Writer, faults []FaultEvent) {
	if len(faults) == 0 {
		return
	}
	fmt.Fprint(w, "\n## Faults\n\n| at (after the release) | fault | took | outcome |\n|---|---|---|---|\n")
	for _, f := range faults {
		at, took, outcome := showDur(f.At), showDur(f.Took), "done"
		switch {
		case f.Skipped:
			at, took, outcome = "", "", "not done: answering ended first"
		case f.Err != nil:
			outcome = "**failed**: " + f.Err.Error()
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", at, f.Name, took, outcome)
	}
}
