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
	Throughput float64 // acknowledged answers per second
	RSSPerConn float64 // KiB per connected candidate
}

// Memory is the server's resident memory at each phase, in KiB.
type Memory struct {
	Idle, Waiting, Started int
}

// PerConn returns KiB per connected candidate with the attempts started.
func (m Memory) PerConn(n int) float64 {
	if n == 0 || m.Started == 0 {
		return 0
	}
	return float64(m.Started-m.Idle) / float64(n)
}

// WriteReport writes a Markdown report of a run.
func WriteReport(w io.Writer, title, command string, cfg Config, res *Result, mem *Memory, t Targets) {
	fmt.Fprintf(w, "# %s\n\n", title)
	fmt.Fprintf(w, "Machine: %s\n\n", machine())
	fmt.Fprintf(w, "Command:\n\n    %s\n\n", command)
	fmt.Fprintf(w, "Candidates %d on %d node(s); think time %s (exponential); answer changes %.0f%%, flags %.0f%%, dropped connections %.1f%% of answers",
		res.Candidates, len(cfg.Nodes), thinkText(cfg), 100*cfg.ChangeRate, 100*cfg.FlagRate, 100*cfg.DropRate)
	if cfg.Saturate > 0 {
		fmt.Fprintf(w, "; saturation for %s", cfg.Saturate)
	}
	fmt.Fprint(w, ".\n\n| figure | value | target | |\n|---|---|---|---|\n")
	row := func(name, value, target string, ok *bool) {
		mark := ""
		if ok != nil {
			mark = map[bool]string{true: "met", false: "**missed**"}[*ok]
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, value, target, mark)
	}
	b := func(v bool) *bool { return &v }
	row("connections held at the release", fmt.Sprintf("%d of %d", res.Connected, res.Candidates), "", b(res.Connected == res.Candidates))
	row("join latency (dial + hello)", res.Join.String(), "", nil)
	startTarget, ackTarget, tpTarget, rssTarget := "", "", "", ""
	var startOK, ackOK, tpOK, rssOK *bool
	if t.StartP99 > 0 {
		startTarget, startOK = "p99 < "+t.StartP99.String(), b(res.Start.P99 < t.StartP99)
	}
	if t.AckP99 > 0 {
		ackTarget, ackOK = "p99 < "+t.AckP99.String(), b(res.Ack.P99 < t.AckP99)
	}
	if t.Throughput > 0 {
		tpTarget, tpOK = fmt.Sprintf(">= %.0f/s", t.Throughput), b(res.Throughput >= t.Throughput)
	}
	row("start latency (release to first item)", res.Start.String(), startTarget, startOK)
	row("answer acknowledgement latency", res.Ack.String(), ackTarget, ackOK)
	row("answers acknowledged", fmt.Sprint(res.Acked), "", nil)
	row("throughput (acknowledged answers/s)", fmt.Sprintf("%.0f over %s", res.Throughput, res.Answering.Round(time.Millisecond)), tpTarget, tpOK)
	row("reconnects (resumed on the next node)", fmt.Sprint(res.Reconnects), "", nil)
	if mem != nil {
		per := mem.PerConn(res.Connected)
		if t.RSSPerConn > 0 {
			rssTarget, rssOK = fmt.Sprintf("< %.0f KiB", t.RSSPerConn), b(per < t.RSSPerConn)
		}
		row("server RSS idle / all waiting / all started", fmt.Sprintf("%d / %d / %d KiB", mem.Idle, mem.Waiting, mem.Started), "", nil)
		row("server RSS per connected candidate (started)", fmt.Sprintf("%.1f KiB", per), rssTarget, rssOK)
	}
	row("loss check: acknowledged answers read back", fmt.Sprintf("%d checked, %d lost", res.Checked, res.Lost), "0 lost", b(res.Lost == 0 && res.Checked > 0))
	row("submissions confirmed", fmt.Sprintf("%d of %d", res.Submitted, res.Connected), "", nil)
	fmt.Fprintf(w, "\nErrors by kind: %s\n", errorsText(res.Errors))
}

func thinkText(cfg Config) string {
	if cfg.Saturate > 0 || cfg.ThinkMean == 0 {
		return "none"
	}
	return "mean " + cfg.ThinkMean.String()
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
