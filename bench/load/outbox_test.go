package load

import (
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
)

// TestOutboxBadSeq applies rule 5 of protocol.md's re-sending algorithm:
// a change refused with 306 is dropped when a later change of the same
// target was acknowledged or is still to be sent, and renumbered after
// every seq used otherwise.
func TestOutboxBadSeq(t *testing.T) {
	answer := func(item string) engine.ClientMsg {
		return engine.ClientMsg{Type: engine.MsgAnswer, Item: item, Options: []string{"a"}}
	}
	flag := engine.ClientMsg{Type: engine.MsgFlag, Item: "K-1", Flagged: true}
	for _, tc := range []struct {
		name    string
		msgs    []engine.ClientMsg
		acks    []uint64
		bad     uint64
		resend  uint64 // the new seq, 0 for dropped
		pending int
	}{
		{"later answer to the item acknowledged", []engine.ClientMsg{answer("K-1"), answer("K-1")}, []uint64{2}, 1, 0, 0},
		{"later answer to the item still pending", []engine.ClientMsg{answer("K-1"), answer("K-1")}, nil, 1, 0, 1},
		{"later change of another target: renumbered", []engine.ClientMsg{answer("K-1"), answer("K-2")}, []uint64{2}, 1, 3, 1},
		{"a flag does not supersede an answer", []engine.ClientMsg{answer("K-1"), flag}, []uint64{2}, 1, 3, 1},
		{"nothing later: renumbered", []engine.ClientMsg{answer("K-1")}, nil, 1, 2, 1},
		{"seq not pending", []engine.ClientMsg{answer("K-1")}, []uint64{1}, 1, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOutbox()
			for _, m := range tc.msgs {
				o.add(m, time.Time{})
			}
			for _, seq := range tc.acks {
				if _, ok := o.acked(seq); !ok {
					t.Fatalf("ack %d: not pending", seq)
				}
			}
			var got uint64
			if p := o.badSeq(tc.bad); p != nil {
				got = p.m.Seq
			}
			if got != tc.resend || len(o.pending) != tc.pending {
				t.Fatalf("re-sent as %d with %d pending, want %d with %d", got, len(o.pending), tc.resend, tc.pending)
			}
			for i := 1; i < len(o.pending); i++ {
				if o.pending[i-1].m.Seq >= o.pending[i].m.Seq {
					t.Fatalf("outbox out of seq order: %v", o.pending)
				}
			}
			if tc.resend > 0 && o.answers["K-1"][0].Seq != tc.resend {
				t.Fatalf("answer history keeps seq %d, want %d", o.answers["K-1"][0].Seq, tc.resend)
			}
			if tc.resend == 0 && tc.pending < len(tc.msgs)-len(tc.acks) && !o.answers["K-1"][0].Refused {
				t.Fatal("a dropped answer is not marked never stored")
			}
		})
	}
}
