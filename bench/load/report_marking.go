package load

import (
	"fmt"
	"io"
	"time"
)

// writeMarking writes the assessors' section of a report and returns the
// names of the targets it missed; withServer says the report has the
// watched node's memory and CPU.
func writeMarking(w io.Writer, cfg Config, m *MarkingResult, t Targets, withServer bool) []string {
	a := cfg.Assessors
	fmt.Fprintf(w, "\n## Assessors\n\n")
	fmt.Fprintf(w, "%d assessors marking role-plays over the assessor protocol (docs/marking-protocol.md), two to a station, "+
		"each marking the candidate at its station in the current slot and submitting; think time %s; "+
		"evidence notes for %.0f%% of criteria, %.0f%% of criteria marked again, dropped connections %.1f%% of changes, "+
		"up to %d changes made offline after a drop.\n\n",
		m.Assessors, a.Think, 100*a.NoteRate, 100*a.RemarkRate, 100*a.DropRate, a.Offline)
	f := newFigures(w)
	f.row("assessors signed in", "assessors signed in before marking", fmt.Sprintf("%d of %d", m.Connected, m.Assessors), all(m.Connected, m.Assessors))
	f.row("", "assessor join latency (dial, hello, welcome)", m.Join.String(), nil)
	f.row("marking acknowledgement latency", "marking change acknowledgement latency", m.Ack.String(), p99(m.Ack.P99, t.MarkAckP99))
	f.row("", "changes acknowledged / sheets submitted", fmt.Sprintf("%d / %d of %d", m.Acked, m.Submitted, m.Connected), nil)
	f.row("", "marking throughput (changes acknowledged/s)", fmt.Sprintf("%.0f over %v", m.Throughput, m.Window.Round(time.Millisecond)), nil)
	f.row("", "dropped connections resumed on the next node", fmt.Sprintf("%d (%d changes found already stored, %d sent again)", m.Reconnects, m.Duplicates, m.Resent), nil)
	f.row("", "resume latency (dial to welcome)", m.Resume.String(), nil)
	if m.Recoveries > 0 {
		f.row("", "connection failures resumed on a live node", fmt.Sprintf("%d assessors, %d resumes", m.Recovered, m.Recoveries), nil)
		f.row("", "resume latency after a failure (failure to welcome, backoff included)", m.Recovery.String(), nil)
	}
	f.row("marking loss", "loss check: acknowledged sheet fields read back", fmt.Sprintf("%d checked, %d lost", m.Checked, m.Lost()), noLoss(m.Checked, m.Missing, m.Different))
	fmt.Fprintf(w, "\nAssessor errors by kind: %s\n", errorsText(m.Errors))
	if withServer {
		fmt.Fprint(w, "\nThe assessors sign in before the release and stay connected until the loss check: the server RSS "+
			"figures above include their connections, and the CPU row \"while answering\" runs until marking ended too.\n")
	}
	return f.missed
}
