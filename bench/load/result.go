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

	Acked      int           // answers acknowledged, in the whole run
	Flags      int           // flags acknowledged
	Duplicates int           // answers in flight at a drop that the server had stored
	Reconnects int           // dropped connections resumed on the next node
	Recovered  int           // candidates whose connection failed under them and who resumed on a live node
	Recoveries int           // such resumes
	Recovery   Summary       // connection failure until the attempt message on a live node
	Superseded int           // acknowledged answers replaced by a later stored one whose ack was lost
	Window     time.Duration // the span the throughput is measured over
	Throughput float64       // answers acknowledged within Window, per second
	Errors     map[string]int

	Checked, Missing, Different int // the loss check
	Submitted                   int // candidates whose submission was confirmed

	Marking *MarkingResult // the simulated assessors; nil without
	Faults  []FaultEvent   // what was done to the system under load, and when
	Room    *RoomResult    // the invigilators watching the room; nil without

	Memory   *Memory // of Config.Watch; nil without one
	StartCPU *CPU    // from the release until every candidate had an item
	RunCPU   *CPU    // from then until answering ended
}

// Lost is the number of acknowledged answers missing or different.
func (r *Result) Lost() int { return r.Missing + r.Different }

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
		resume = append(resume, s.resume...)
		res.Reconnects += len(s.resume)
		recovery = append(recovery, s.recovered...)
		if len(s.recovered) > 0 {
			res.Recovered++
			res.Recoveries += len(s.recovered)
		}
		res.Superseded += len(s.loss.Superseded)
		res.Flags += s.flags
		res.Duplicates += s.dups
		res.Checked += s.loss.Checked
		res.Missing += len(s.loss.Missing)
		res.Different += len(s.loss.Different)
		ack, last = ackLatencies(ack, last, s.acks, warm)
		res.Acked += len(s.acks)
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
