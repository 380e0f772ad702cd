package engine

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/accredit/accredit/engine/store"
)

// Metrics are the engine's Prometheus metrics. A nil *Metrics records
// nothing, so tests need not create one.
type Metrics struct {
	acked      *prometheus.CounterVec
	changes    *prometheus.CounterVec
	ackLatency prometheus.Histogram
	storeWrite prometheus.Histogram
	storeErrs  prometheus.Counter
	errors     *prometheus.CounterVec
	takeovers  prometheus.Counter
	starts     prometheus.Counter
	deadline   prometheus.Counter
	joins      *prometheus.CounterVec
	Connected  prometheus.Gauge // candidates with a live connection
}

// NewMetrics creates the engine's metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	buckets := prometheus.ExponentialBuckets(0.0002, 2, 16) // 0.2 ms .. 6.5 s
	m := &Metrics{
		acked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "accredit_messages_acked_total", Help: "Candidate messages durably stored and acknowledged, by type.",
		}, []string{"type"}),
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "accredit_answers_total",
			Help: "Candidate changes (answer, flag, navigate, submit) by outcome: acked (stored now), duplicate " +
				"(stored before, acknowledged again) or the refusal's error code.",
		}, []string{"result"}),
		ackLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "accredit_ack_latency_seconds", Help: "Time from receiving a candidate message to its acknowledgement.", Buckets: buckets,
		}),
		storeWrite: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "accredit_store_write_seconds", Help: "Latency of durable store appends.", Buckets: buckets,
		}),
		storeErrs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "accredit_store_errors_total", Help: "Store appends that failed (not conflicts).",
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "accredit_protocol_errors_total", Help: "Error messages sent to clients, by protocol error code.",
		}, []string{"code"}),
		takeovers: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "accredit_takeovers_total", Help: "Connections replaced by a newer connection to the same attempt.",
		}),
		starts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "accredit_attempts_started_total", Help: "Attempts whose clock was started.",
		}),
		deadline: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "accredit_deadline_submissions_total", Help: "Attempts submitted by the server at the deadline.",
		}),
		joins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "accredit_joins_total", Help: "Candidate hellos: first join of an attempt (new) or a reconnect (resume).",
		}, []string{"kind"}),
		Connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "accredit_connected_candidates", Help: "Candidates with a live WebSocket connection.",
		}),
	}
	reg.MustRegister(m.acked, m.changes, m.ackLatency, m.storeWrite, m.storeErrs, m.errors, m.takeovers, m.starts, m.deadline, m.joins, m.Connected)
	return m
}

func (m *Metrics) observeStore(d time.Duration, err error) {
	if m == nil {
		return
	}
	m.storeWrite.Observe(d.Seconds())
	if err != nil && err != store.ErrConflict {
		m.storeErrs.Inc()
	}
}

func (m *Metrics) ack(typ string, d time.Duration) {
	if m == nil {
		return
	}
	m.acked.WithLabelValues(typ).Inc()
	m.ackLatency.Observe(d.Seconds())
}

// change counts one candidate change by its outcome: "acked", "duplicate"
// or the refusal's code.
func (m *Metrics) change(result string) {
	if m != nil {
		m.changes.WithLabelValues(result).Inc()
	}
}

func (m *Metrics) protocolError(code int) {
	if m == nil {
		return
	}
	m.errors.WithLabelValues(strconv.Itoa(code)).Inc()
}

func (m *Metrics) takeover() {
	if m != nil {
		m.takeovers.Inc()
	}
}

func (m *Metrics) started() {
	if m != nil {
		m.starts.Inc()
	}
}

func (m *Metrics) deadlineSubmit() {
	if m != nil {
		m.deadline.Inc()
	}
}

func (m *Metrics) connected(delta float64) {
	if m != nil {
		m.Connected.Add(delta)
	}
}

func (m *Metrics) joined(resume bool) {
	if m == nil {
		return
	}
	if resume {
		m.joins.WithLabelValues("resume").Inc()
	} else {
		m.joins.WithLabelValues("new").Inc()
	}
}

// RegisterAttemptGauges exports the number of attempts held by this node in
// each status. The counts are kept as attempts change, so a scrape takes no
// attempt's lock: it answers at once however busy the store is.
func (e *Engine) RegisterAttemptGauges(reg prometheus.Registerer) {
	for _, st := range []Status{StatusWaiting, StatusInProgress, StatusSubmitted} {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "accredit_attempts", Help: "Attempts held in memory by this node, by status.",
			ConstLabels: prometheus.Labels{"status": string(st)},
		}, func() float64 { return float64(e.counts.get(st)) }))
	}
}

// statusCounts counts attempts by status. Each attempt moves itself under
// its own lock (live.recount); readers take no lock.
type statusCounts struct {
	waiting, inProgress, submitted atomic.Int64
}

func (c *statusCounts) of(st Status) *atomic.Int64 {
	switch st {
	case StatusWaiting:
		return &c.waiting
	case StatusInProgress:
		return &c.inProgress
	case StatusSubmitted:
		return &c.submitted
	}
	return nil // the zero status of an attempt not yet counted
}

func (c *statusCounts) add(st Status, d int64) {
	if n := c.of(st); n != nil {
		n.Add(d)
	}
}

func (c *statusCounts) get(st Status) int64 { return c.of(st).Load() }
