package load

import (
	"fmt"
	"io"
	"time"
)

// writeMarking writes the assessors' section of a report and returns the
// names of the targets it missed; withServer says the report has the
// watched node's memory and CPU.
func writeMarking(w io.Writer, cfg Config, m *MarkingResult, t Targets, withServer bool) (missed []string) {
	a := cfg.Assessors
	fmt.Fprintf(w, "\n## Assessors\n\n")
	fmt.Fprintf(w, "%d assessors marking role-plays over the assessor protocol (docs/marking-protocol.md), two to a station, "+
		"each marking the candidate at its station in the current slot and submitting; think time %s; "+
		"evidence notes for %.0f%% of criteria, %.0f%% of criteria marked again, dropped connections %.1f%% of changes, "+
		"up to %d changes made offline after a drop.\n\n",
		m.Assessors, a.Think, 100*a.NoteRate, 100*a.RemarkRate, 100*a.DropRate, a.Offline)
	fmt.Fprint(w, "| figure | value | target | outcome |\n|---|---|---|---|\n")
	row := func(name, value string, v *verdict) {
		target, outcome := v.cells()
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, value, target, outcome)
	}
	judge := func(name string, v *verdict) *verdict {
		if v != nil && v.missed {
			missed = append(missed, name)
		}
		return v
	}
	conn := &verdict{target: fmt.Sprint(m.Assessors), outcome: "met"}
	if m.Connected < m.Assessors {
		conn.missed, conn.outcome = true, fmt.Sprintf("**missed** by %d", m.Assessors-m.Connected)
	}
	row("assessors signed in before marking", fmt.Sprintf("%d of %d", m.Connected, m.Assessors), judge("assessors signed in", conn))
	row("assessor join latency (dial, hello, welcome)", m.Join.String(), nil)
	var v *verdict
	if t.MarkAckP99 > 0 {
		v = judge("marking acknowledgement latency", overBy(m.Ack.P99, t.MarkAckP99, "", showDur))
		v.target = "p99 " + v.target
	}
	row("marking change acknowledgement latency", m.Ack.String(), v)
	row("changes acknowledged / sheets submitted", fmt.Sprintf("%d / %d of %d", m.Acked, m.Submitted, m.Connected), nil)
	row("marking throughput (changes acknowledged/s)", fmt.Sprintf("%.0f over %v", m.Throughput, m.Window.Round(time.Millisecond)), nil)
	row("dropped connections resumed on the next node", fmt.Sprintf("%d (%d changes found already stored, %d sent again)", m.Reconnects, m.Duplicates, m.Resent), nil)
	row("resume latency (dial to welcome)", m.Resume.String(), nil)
	if m.Recoveries > 0 {
		row("connection failures resumed on a live node", fmt.Sprintf("%d assessors, %d resumes", m.Recovered, m.Recoveries), nil)
		row("resume latency after a failure (failure to welcome, backoff included)", m.Recovery.String(), nil)
	}
	loss := &verdict{target: "0 lost", outcome: "met"}
	if m.Lost() > 0 || m.Checked == 0 {
		loss.missed, loss.outcome = true, fmt.Sprintf("**missed**: %d missing, %d different", m.Missing, m.Different)
	}
	row("loss check: acknowledged sheet fields read back", fmt.Sprintf("%d checked, %d lost", m.Checked, m.Lost()), judge("marking loss", loss))
	fmt.Fprintf(w, "\nAssessor errors by kind: %s\n", errorsText(m.Errors))
	if withServer {
		fmt.Fprint(w, "\nThe assessors sign in before the release and stay connected until the loss check: the server RSS "+
			"figures above include their connections, and the CPU row \"while answering\" runs until marking ended too.\n")
	}
	return missed
}
