package load

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// Names used by WriteContent.
const (
	SittingID       = "load-sitting"
	InvigilatorCode = "LOAD-INV-7K2M"
)

// Code returns the access code of simulated candidate i; digits are kept
// apart so that no code has a guessable run.
func Code(i int) string {
	return "LOAD-" + strings.Join(strings.Split(strconv.Itoa(i), ""), "Z") + "-Q7K"
}

// WriteContent writes a content directory with the demo item bank and form
// and a sitting of n simulated candidates, and returns their access codes.
func WriteContent(dir string, n int) ([]string, error) {
	demo := content.Demo()
	lib, err := content.Load(demo)
	if err != nil {
		return nil, err
	}
	var form string
	var ids []string
	for id, f := range lib.Forms {
		if f.Status == content.StatusLive {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return nil, fmt.Errorf("the demo content has no live form")
	}
	form = ids[0]
	for _, sub := range []string{"items", "forms"} {
		files, _ := fs.Glob(demo, sub+"/*.json")
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := fs.ReadFile(demo, f)
			if err != nil {
				return nil, err
			}
			if err := os.WriteFile(filepath.Join(dir, sub, path.Base(f)), b, 0o644); err != nil {
				return nil, err
			}
		}
	}
	type cand struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		AccessCode string `json:"access_code"`
	}
	s := struct {
		ID         string `json:"id"`
		Form       string `json:"form"`
		Centre     string `json:"centre"`
		Scheduled  string `json:"scheduled"`
		Candidates []cand `json:"candidates"`
	}{ID: SittingID, Form: form, Centre: "Load test centre", Scheduled: "2026-12-01T09:00:00Z"}
	codes := make([]string, n)
	for i := range n {
		codes[i] = Code(i)
		s.Candidates = append(s.Candidates, cand{ID: fmt.Sprintf("sim-%d", i), Name: fmt.Sprintf("Simulated %d", i), AccessCode: codes[i]})
	}
	if err := writeJSON(filepath.Join(dir, "sittings", SittingID+".json"), s); err != nil {
		return nil, err
	}
	staff := []map[string]any{{"id": "load-inv", "name": "Load invigilator", "role": "invigilator", "code": InvigilatorCode, "sittings": []string{SittingID}}}
	return codes, writeJSON(filepath.Join(dir, "staff.json"), staff)
}

func writeJSON(file string, v any) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}

// Server is an engine node this process started.
type Server struct {
	Addr string
	cmd  *exec.Cmd
}

// Spawn starts `bin serve --addr 127.0.0.1:0 args...` and waits until it
// logs the address it serves on.
func Spawn(bin string, args ...string) (*Server, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
			go io.Copy(io.Discard, stderr)
			return &Server{Addr: line.Addr, cmd: cmd}, nil
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, fmt.Errorf("%s did not start: %v", bin, sc.Err())
}

// RSS returns the server's resident memory in KiB (VmRSS in
// /proc/PID/status, proc(5)), 0 if it cannot be read.
func (s *Server) RSS() int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb
		}
	}
	return 0
}

// userHZ is the unit of the CPU times in /proc/PID/stat: sysconf(_SC_CLK_TCK),
// which the Linux kernel fixes at 100 for user space on every architecture
// Go supports (USER_HZ, include/asm-generic/param.h).
const userHZ = 100

// CPUTime returns the processor time the server has used, user plus
// system (utime and stime, fields 14 and 15 of /proc/PID/stat, proc(5)).
func (s *Server) CPUTime() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields resume after ")".
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / userHZ
}

// machineBusy returns the processor time the whole machine has spent not
// idle since boot: the first line of /proc/stat (proc(5)) less its idle
// and iowait fields, in USER_HZ.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 6 || f[0] != "cpu" {
		return 0
	}
	var busy int64
	for i, v := range f[1:min(len(f), 9)] { // user nice system idle iowait irq softirq steal
		n, _ := strconv.ParseInt(v, 10, 64)
		if i != 3 && i != 4 {
			busy += n
		}
	}
	return time.Duration(busy) * time.Second / userHZ
}

// sample is the watched server's memory and CPU, this process's CPU and
// the whole machine's, at one moment.
type sample struct {
	at                    time.Time
	rss                   int
	server, self, machine time.Duration
}

func (s *Server) sample() sample {
	if s == nil {
		return sample{}
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	self := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{at: time.Now(), rss: s.RSS(), server: s.CPUTime(), self: self, machine: machineBusy()}
}

// PID is the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop kills the server and waits for it.
func (s *Server) Stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
}

// RaiseFileLimit lifts the process's open-file limit to the hard limit and
// returns it.
func RaiseFileLimit() uint64 {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil {
		return 0
	}
	lim.Cur = lim.Max
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	return lim.Cur
}
