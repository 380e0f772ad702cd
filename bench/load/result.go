package load

import "time"

// Result is what a run measured.
type Result struct {
	Candidates int
	Connected  int     // candidates connected and waiting at the release
	Join       Summary // dial + hello until the waiting message
	Start      Summary // release until the first attempt message arrived
	Ack        Summary // answer sent until acknowledged, for answers sent after the warmup on an unbroken connection
	Resume     Summary // dropped connection until the attempt message on the next node

	Counts                   // of answers
	Flags      int           // flags acknowledged
	Recovery   Summary       // connection failure until the attempt message on a live node
	Superseded int           // acknowledged answers replaced by a later stored one whose ack was lost
	Window     time.Duration // the span the throughput is measured over
	Throughput float64       // answers acknowledged within Window, per second
	Errors     map[string]int
	Submitted  int // candidates whose submission was confirmed

	Marking *MarkingResult // the simulated assessors; nil without
	Faults  []FaultEvent   // what was done to the system under load, and when
	Room    *RoomResult    // the invigilators watching the room; nil without

	Memory   *Memory // of Config.Watch; nil without one
	StartCPU *CPU    // from the release until every candidate had an item
	RunCPU   *CPU    // from then until answering ended
}

// Counts are what the candidates count of their answers and the
// assessors of their sheet changes.
type Counts struct {
	Acked      int // acknowledged in the whole run; for assessors, with those found stored after a drop
	Duplicates int // in flight at a drop and found stored, or acknowledged as duplicates
	Reconnects int // dropped connections resumed on the next node
	Recovered  int // clients whose connection failed under them and who resumed on a live node
	Recoveries int // such resumes

	Checked, Missing, Different int // the loss check; for assessors, in sheet fields
}

// Lost is the number of acknowledged answers or sheet fields missing or
// different.
func (n Counts) Lost() int { return n.Missing + n.Different }

// client is what a simulated candidate or assessor records towards
// Counts.
type client struct {
	acks      []ackRecord     // every acknowledged answer or change
	resume    []time.Duration // drop until the attempt message or welcome, per reconnect
	recovered []time.Duration // connection failure until the same on a live node, per resume after one
	dups      int             // found stored after a drop, or acknowledged as duplicates
	loss      Loss            // the loss check's outcome
}

// add counts c into n and returns resume and recovery with c's times
// appended.
func (n *Counts) add(c *client, resume, recovery []time.Duration) ([]time.Duration, []time.Duration) {
	n.Acked += len(c.acks)
	n.Duplicates += c.dups
	n.Reconnects += len(c.resume)
	if len(c.recovered) > 0 {
		n.Recovered++
		n.Recoveries += len(c.recovered)
	}
	n.Checked += c.loss.Checked
	n.Missing += len(c.loss.Missing)
	n.Different += len(c.loss.Different)
	return append(resume, c.resume...), append(recovery, c.recovered...)
}

// Finished reports whether every candidate and assessor joined and
// submitted.
func (r *Result) Finished() bool {
	if r.Connected < r.Candidates || r.Submitted < r.Connected {
		return false
	}
	m := r.Marking
	return m == nil || m.Connected == m.Assessors && m.Submitted == m.Connected
}

// Memory is the watched node's resident memory in KiB: before any
// candidate connected, with all waiting, with all started, and when
// answering ended (candidates still connected).
type Memory struct {
	Idle, Waiting, Started, Answered int
}

// PerConn returns KiB per connected candidate over the idle figure, at
// rss (Waiting or Started).
func (m Memory) PerConn(rss, n int) float64 {
	if n == 0 || rss == 0 {
		return 0
	}
	return float64(rss-m.Idle) / float64(n)
}

// CPU is the processor time used over a span, in cores: CPU seconds per
// wall-clock second.
type CPU struct {
	Span              time.Duration
	Server, Generator float64
	Others            float64 // every other process on the machine
}

func cpuBetween(a, b sample) *CPU {
	wall := b.at.Sub(a.at)
	if wall <= 0 {
		return nil
	}
	c := &CPU{Span: wall, Server: (b.server - a.server).Seconds() / wall.Seconds(), Generator: (b.self - a.self).Seconds() / wall.Seconds()}
	c.Others = max(0, (b.machine-a.machine).Seconds()/wall.Seconds()-c.Server-c.Generator)
	return c
}

// ackLatencies appends to lat the latency of each of acks sent at warm or
// later and acknowledged on the connection it was first sent on, and
// returns it with the time of the latest acknowledgement, last if none
// is later; times are in nanoseconds from the run's start.
func ackLatencies(lat []time.Duration, last int64, acks []ackRecord, warm int64) ([]time.Duration, int64) {
	for _, a := range acks {
		if a.clean && a.sent >= warm {
			lat = append(lat, time.Duration(a.acked-a.sent))
		}
		last = max(last, a.acked)
	}
	return lat, last
}

// ackedWithin counts the acknowledgements of acks from from to to,
// inclusive.
func ackedWithin(acks []ackRecord, from, to int64) int {
	n := 0
	for _, a := range acks {
		if a.acked >= from && a.acked <= to {
			n++
		}
	}
	return n
}

// result merges the candidates' figures.
func (r *run) result(sims []*sim, connected int, smp [4]sample) *Result {
	res := &Result{Candidates: len(sims), Connected: connected, Join: r.join.Summarise(), Errors: r.errs.Snapshot(),
		Submitted: int(r.submitted.Load())}
	var start, ack, resume, recovery []time.Duration
	var last int64
	warm := r.cfg.Warmup.Nanoseconds()
	for _, s := range sims {
		if s.start > 0 {
			start = append(start, s.start)
		}
		resume, recovery = res.add(&s.client, resume, recovery)
		res.Superseded += len(s.loss.Superseded)
		res.Flags += s.flags
		ack, last = ackLatencies(ack, last, s.acks, warm)
	}
	res.Start, res.Ack, res.Resume, res.Recovery = Summarise(start), Summarise(ack), Summarise(resume), Summarise(recovery)
	end := last
	if r.cfg.Duration > 0 {
		end = warm + r.cfg.Duration.Nanoseconds()
	}
	if end > warm {
		in := 0
		for _, s := range sims {
			in += ackedWithin(s.acks, warm, end)
		}
		res.Window = time.Duration(end - warm)
		res.Throughput = float64(in) / res.Window.Seconds()
	}
	if r.cfg.Watch != nil {
		res.Memory = &Memory{Idle: smp[0].rss, Waiting: smp[1].rss, Started: smp[2].rss, Answered: smp[3].rss}
		res.StartCPU, res.RunCPU = cpuBetween(smp[1], smp[2]), cpuBetween(smp[2], smp[3])
	}
	return res
}
