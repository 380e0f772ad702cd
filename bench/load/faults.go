package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A Fault is something done to the system under load at a time after the
// release: a node killed, the store restarted or stalled.
type Fault struct {
	At   time.Duration // after the release
	Name string        // what is done, for the report
	Do   func() error  // does it, and returns once it is over
}

// FaultEvent is what became of a Fault.
type FaultEvent struct {
	Name     string
	At, Took time.Duration // begun at, after the release; how long Do took
	Err      error         // Do's error
	Skipped  bool          // answering ended before its time
}

// runFaults does each fault at released + At, in order, until done is
// closed; those whose time has not come by then are skipped. It returns
// once the last fault begun is over.
func runFaults(faults []Fault, released time.Time, done <-chan struct{}) []FaultEvent {
	out := make([]FaultEvent, len(faults))
	for i, f := range faults {
		out[i] = FaultEvent{Name: f.Name, Skipped: true}
		t := time.NewTimer(time.Until(released.Add(f.At)))
		select {
		case <-done:
			t.Stop()
			return out
		case <-t.C:
		}
		t0 := time.Now()
		err := f.Do()
		out[i] = FaultEvent{Name: f.Name, At: t0.Sub(released), Took: time.Since(t0), Err: err}
	}
	return out
}

// Kill ends the server at once (SIGKILL), as a crash would, and waits.
func (s *Server) Kill() error {
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	s.cmd.Wait()
	return nil
}

// Redis is a redis-server this process started on 127.0.0.1, durable as
// the bench's: every write in the append-only file in Dir, fsynced before
// the reply.
type Redis struct {
	Bin, Dir string
	Port     int
	cmd      *exec.Cmd
}

// StartRedis starts bin on a free port of 127.0.0.1 with its files in dir
// and waits until it answers PING.
func StartRedis(bin, dir string) (*Redis, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	r := &Redis{Bin: bin, Dir: dir, Port: port}
	return r, r.start()
}

// URL is the --store of a node on this Redis.
func (r *Redis) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.Port) }

func (r *Redis) start() error {
	r.cmd = exec.Command(r.Bin, "--port", strconv.Itoa(r.Port), "--bind", "127.0.0.1", "--dir", r.Dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no",
		"--logfile", "redis.log")
	if err := r.cmd.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if r.ping() == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.Stop()
	return errors.New("redis-server did not answer PING within 10s")
}

// ping sends PING in the Redis protocol and expects +PONG.
func (r *Redis) ping() error {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", r.Port), time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("PING: %q", line)
	}
	return nil
}

// Stop ends redis-server (SIGTERM: it flushes the append-only file and
// exits) and waits.
func (r *Redis) Stop() {
	if r.cmd == nil {
		return
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	r.cmd.Wait()
	r.cmd = nil
}

// Restart stops redis-server and starts it again on the same port and
// directory, from its append-only file.
func (r *Redis) Restart() error {
	r.Stop()
	return r.start()
}

// Stall stops the redis-server process (SIGSTOP) for d, then lets it go on
// (SIGCONT): connections stay open and requests wait, as on a stalled host.
func (r *Redis) Stall(d time.Duration) error {
	if err := r.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		return err
	}
	time.Sleep(d)
	return r.cmd.Process.Signal(syscall.SIGCONT)
}

// faultLoop runs cfg.Faults beside answering, owned by the caller: stop
// ends it and returns what was done.
func faultLoop(ctx context.Context, faults []Fault, released time.Time) (stop func() []FaultEvent) {
	if len(faults) == 0 {
		return func() []FaultEvent { return nil }
	}
	done := make(chan struct{})
	res := make(chan []FaultEvent, 1)
	go func() { res <- runFaults(faults, released, done) }()
	ctxDone := context.AfterFunc(ctx, func() { close(done) })
	return func() []FaultEvent {
		if ctxDone() {
			close(done)
		}
		return <-res
	}
}
