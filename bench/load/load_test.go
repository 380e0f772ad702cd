package load

import (
	"context"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	// Nearest rank: the 50th percentile of 1..10 is 5, the 95th is 10, the
	// 10th is 1 (Hyndman and Fan 1996, definition 1).
	d := ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	for _, tc := range []struct {
		p    float64
		want int
	}{{50, 5}, {95, 10}, {10, 1}, {100, 10}, {0, 1}} {
		if got := Percentile(d, tc.p); got != time.Duration(tc.want)*time.Millisecond {
			t.Errorf("p%v = %v, want %dms", tc.p, got, tc.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("percentile of nothing is not 0")
	}
}

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

// TestRunAgainstBinary runs a small sitting against the real server binary:
// everyone starts, answers with drops and reconnects, nothing is lost.
func TestRunAgainstBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "accredit")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/accredit").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	const n = 60
	codes, err := WriteContent(filepath.Join(dir, "content"), n)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Spawn(bin, "--content", filepath.Join(dir, "content"), "--store", "bolt:"+filepath.Join(dir, "a.db"), "--standards", filepath.Join(dir, "ss"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	res, err := Run(context.Background(), Config{
		Nodes: []string{srv.Addr}, Codes: codes, Sitting: SittingID, Invigilator: InvigilatorCode,
		ThinkMean: 5 * time.Millisecond, ChangeRate: 0.2, FlagRate: 0.1, DropRate: 0.1, Answers: 12, Seed: 9,
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Connected != n || res.Start.N != n || res.Submitted != n {
		t.Fatalf("connected %d, started %d, submitted %d of %d; errors %v", res.Connected, res.Start.N, res.Submitted, n, res.Errors)
	}
	if res.Lost != 0 || res.Checked == 0 || res.Reconnects == 0 || res.Acked == 0 {
		t.Fatalf("lost %d of %d checked; %d reconnects, %d acked; errors %v", res.Lost, res.Checked, res.Reconnects, res.Acked, res.Errors)
	}
}

func TestThinkTime(t *testing.T) {
	r := &run{cfg: Config{ThinkMean: time.Second}}
	s := &sim{r: r, rng: rand.New(rand.NewPCG(1, 2))}
	var sum time.Duration
	const n = 20000
	for range n {
		d := s.think()
		if d < 0 || d > 4*time.Second {
			t.Fatalf("think time %v outside [0, 4s]", d)
		}
		sum += d
	}
	// Mean of an exponential with mean 1 cut at 4: 1 - e^-4 = 0.9817.
	if mean := sum.Seconds() / n; mean < 0.96 || mean > 1.00 {
		t.Fatalf("mean think time %.3fs, want about 0.982s", mean)
	}
}
