package load

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	// Nearest rank (Hyndman and Fan 1996, definition 1): rank ceil(p n / 100).
	// For 1..10: p50 is rank 5, p95 rank 10 (9.5 up), p10 rank 1, p0 rank 1.
	// For 1..200: p99 is rank 198, p99.5 rank 199, p50 rank 100.
	tenth := ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	var hundreds []time.Duration
	for i := 1; i <= 200; i++ {
		hundreds = append(hundreds, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		name string
		d    []time.Duration
		p    float64
		want int
	}{
		{"1..10 p50", tenth, 50, 5}, {"1..10 p95", tenth, 95, 10}, {"1..10 p10", tenth, 10, 1},
		{"1..10 p100", tenth, 100, 10}, {"1..10 p0", tenth, 0, 1},
		{"1..200 p99", hundreds, 99, 198}, {"1..200 p99.5", hundreds, 99.5, 199}, {"1..200 p50", hundreds, 50, 100},
		{"one value", ms(7), 99, 7},
	} {
		if got := Percentile(tc.d, tc.p); got != time.Duration(tc.want)*time.Millisecond {
			t.Errorf("%s = %v, want %dms", tc.name, got, tc.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("percentile of nothing is not 0")
	}
}

func TestSummariseSortsUnordered(t *testing.T) {
	s := Summarise(ms(9, 1, 5, 3, 7, 2, 8, 4, 6, 10))
	if s.N != 10 || s.P50 != 5*time.Millisecond || s.P95 != 10*time.Millisecond || s.Max != 10*time.Millisecond {
		t.Fatalf("summary %v", s)
	}
	var l Latencies
	for _, d := range ms(3, 1, 2) {
		l.Add(d)
	}
	if s := l.Summarise(); s.N != 3 || s.P50 != 2*time.Millisecond {
		t.Fatalf("latencies summary %v", s)
	}
}

func equal(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

func TestWriteContentLoads(t *testing.T) {
	dir := t.TempDir()
	codes, err := WriteContent(dir, 1500)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := content.LoadDir(dir)
	if err != nil {
		t.Fatalf("generated content does not load: %v", err)
	}
	for _, i := range []int{0, 1234, 1499} {
		if _, c, ok := lib.CandidateByCode(codes[i]); !ok || c.ID == "" {
			t.Fatalf("code %s not found", codes[i])
		}
	}
	if _, ok := lib.StaffByCode(InvigilatorCode); !ok {
		t.Fatal("no invigilator")
	}
}

func TestReportSaysByHowMuch(t *testing.T) {
	res := &Result{Candidates: 10, Connected: 9, Start: Summary{N: 9, P99: 4 * time.Second},
		Ack: Summary{N: 100, P99: 60 * time.Millisecond}, Throughput: 12000, Window: 30 * time.Second,
		Counts: Counts{Checked: 50, Missing: 1}, Memory: &Memory{Idle: 1000, Waiting: 1200, Started: 1450},
		RunCPU: &CPU{Span: time.Second, Server: 1.5, Generator: 0.4, Others: 0.1}}
	var b bytes.Buffer
	WriteReport(&b, "t", "accredit-load --x", Config{Nodes: []string{"n"}}, res,
		Targets{StartP99: 3 * time.Second, AckP99: 50 * time.Millisecond, Throughput: 15000, RSSPerConn: 40}, "")
	out := b.String()
	for _, want := range []string{
		"**missed** by 1", // connections: 9 of 10
		"**missed** by 1s (33% over)",
		"**missed** by 10ms (20% over)",
		"**missed** by 3000/s (80% of the target)",
		"**missed** by 10.0 KiB (25% over)", // (1450-1000)/9 = 50 KiB
		"**missed**: 1 missing, 0 different",
		"server used 1.50 cores, the load generator 0.40 and other processes 0.10",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// TestRunAgainstBinary runs small sittings against the real server binary:
// everyone starts, answers with changes, flags, drops and reconnects, and
// nothing acknowledged is lost.
func TestRunAgainstBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "accredit")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/accredit").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		name      string
		n         int
		assessors int
		cfg       Config
	}{
		{"think time, room watched", 50, 0, Config{Think: Think{Dist: LogNormal, Mean: 150 * time.Millisecond, Sigma: 0.8},
			ChangeRate: 0.2, FlagRate: 0.2, DropRate: 0.1, Answers: 12, Seed: 9, RoomWatchers: 2}},
		{"saturation", 20, 0, Config{ChangeRate: 0.1, FlagRate: 0.1, DropRate: 0.02, Warmup: 200 * time.Millisecond,
			Duration: time.Second, Seed: 3}},
		{"with assessors", 10, 6, Config{Think: Think{Mean: 20 * time.Millisecond}, FlagRate: 0.2, DropRate: 0.1, Answers: 10, Seed: 4,
			Assessors: Assessors{Think: Think{Mean: 10 * time.Millisecond}, NoteRate: 0.5, RemarkRate: 0.3, DropRate: 0.2, Offline: 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			codes, err := WriteContent(filepath.Join(dir, "content"), tc.n)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"--content", filepath.Join(dir, "content"), "--store", "bolt:" + filepath.Join(dir, "a.db"), "--standards", filepath.Join(dir, "ss")}
			cfg := tc.cfg
			if tc.assessors > 0 {
				if cfg.Assessors.Codes, err = WriteRoleplay(filepath.Join(dir, "roleplay"), filepath.Join(dir, "content"), Roleplay{Assessors: tc.assessors}); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--roleplay", filepath.Join(dir, "roleplay"))
			}
			srv, err := Spawn(bin, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Stop()
			cfg.Nodes, cfg.Codes, cfg.Sitting, cfg.Invigilator, cfg.Watch = []string{srv.Addr}, codes, SittingID, InvigilatorCode, srv
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Connected != tc.n || res.Start.N != tc.n || res.Submitted != tc.n {
				t.Fatalf("connected %d, started %d, submitted %d of %d; errors %v", res.Connected, res.Start.N, res.Submitted, tc.n, res.Errors)
			}
			if res.Lost() != 0 || res.Checked == 0 || res.Reconnects == 0 || res.Acked == 0 || res.Flags == 0 || res.Throughput <= 0 {
				t.Fatalf("lost %d of %d checked; %d reconnects, %d answers and %d flags acknowledged, %.0f/s; errors %v",
					res.Lost(), res.Checked, res.Reconnects, res.Acked, res.Flags, res.Throughput, res.Errors)
			}
			if rm := res.Room; tc.cfg.RoomWatchers > 0 && (rm == nil || rm.Watchers != 2 || rm.Lag.N == 0 || rm.Rows < rm.Lag.N || len(rm.Errors) != 0) {
				t.Fatalf("room watchers: %+v", rm)
			}
			if res.Memory == nil || res.Memory.Started <= res.Memory.Idle || res.RunCPU == nil {
				t.Fatalf("memory %+v, CPU %+v", res.Memory, res.RunCPU)
			}
			if m := res.Marking; tc.assessors > 0 && (m == nil || m.Connected != tc.assessors || m.Submitted != tc.assessors ||
				m.Lost() != 0 || m.Checked == 0 || m.Reconnects == 0 || m.Ack.N == 0 || len(m.Errors) != 0) {
				t.Fatalf("assessors: %+v", m)
			}
		})
	}
}
