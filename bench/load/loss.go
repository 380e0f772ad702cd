package load

import "slices"

// Loss is the outcome of comparing acknowledged answers with what the
// server gives back.
type Loss struct {
	Checked    int      // acknowledged items compared
	Missing    []string // acknowledged items the server has no answer for
	Different  []string // items whose answer is neither the last one acknowledged nor a later one sent
	Superseded []string // items whose stored answer is a later one sent, whose ack was lost with a connection
}

// Lost is the number of acknowledged answers missing or different.
func (l Loss) Lost() int { return len(l.Missing) + len(l.Different) }

// Change is one answer a candidate sent for an item: its seq (the last it
// was sent with, if renumbered), its options, and what became of it.
type Change struct {
	Seq     uint64
	Options []string
	Acked   bool // acknowledged: stored
	Refused bool // refused for good, or dropped as superseded: never stored
}

// CompareAnswers compares the answers a candidate sent, per item, with got
// and lastSeq, the answers and last_seq of the attempt message read back.
// An item counts when one of its answers was acknowledged; its last
// acknowledged answer is lost unless the stored answer is that one, or is
// a later answer to the same item (a higher seq, at most lastSeq, not
// refused) whose ack died with its connection: that one superseded it
// (docs/protocol.md, "Re-sending: the one algorithm"). The options of an
// answer are a set, so order does not matter; an empty answer (cleared)
// matches an absent one. Items are reported in sorted order.
func CompareAnswers(sent map[string][]Change, got map[string][]string, lastSeq uint64) Loss {
	var l Loss
	ids := make([]string, 0, len(sent))
	for id := range sent {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		want, ok := lastAcked(sent[id])
		if !ok {
			continue
		}
		l.Checked++
		have, stored := got[id]
		switch {
		case holds(have, stored, want.Options):
		case supersededBy(sent[id], want.Seq, lastSeq, have, stored):
			l.Superseded = append(l.Superseded, id)
		case !stored:
			l.Missing = append(l.Missing, id)
		default:
			l.Different = append(l.Different, id)
		}
	}
	return l
}

// lastAcked returns the acknowledged change with the highest seq.
func lastAcked(cs []Change) (Change, bool) {
	var best Change
	found := false
	for _, c := range cs {
		if c.Acked && (!found || c.Seq > best.Seq) {
			best, found = c, true
		}
	}
	return best, found
}

// supersededBy reports whether a change after seq, at most lastSeq and
// not refused, is what the server holds.
func supersededBy(cs []Change, seq, lastSeq uint64, have []string, stored bool) bool {
	return slices.ContainsFunc(cs, func(c Change) bool {
		return c.Seq > seq && c.Seq <= lastSeq && !c.Refused && holds(have, stored, c.Options)
	})
}

// holds reports whether a stored answer (have, if stored) is options.
func holds(have []string, stored bool, options []string) bool {
	if !stored {
		return len(options) == 0
	}
	return sameSet(have, options)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
