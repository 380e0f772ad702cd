package load

import "testing"

// acked and sent build a change history: acked for an acknowledged
// answer, sent for one whose ack never came, refused for one never stored.
func acked(seq uint64, opts ...string) Change { return Change{Seq: seq, Options: opts, Acked: true} }
func sent(seq uint64, opts ...string) Change  { return Change{Seq: seq, Options: opts} }
func refused(seq uint64, opts ...string) Change {
	return Change{Seq: seq, Options: opts, Refused: true}
}

func TestCompareAnswers(t *testing.T) {
	type hist = map[string][]Change
	type ans = map[string][]string
	for _, tc := range []struct {
		name                           string
		sent                           hist
		got                            ans
		last                           uint64
		checked                        int
		missing, different, superseded []string
	}{
		{"same", hist{"K-1": {acked(1, "a")}, "K-2": {acked(2, "b", "c")}}, ans{"K-1": {"a"}, "K-2": {"b", "c"}}, 2, 2, nil, nil, nil},
		{"options in another order", hist{"K-2": {acked(1, "c", "b")}}, ans{"K-2": {"b", "c"}}, 1, 1, nil, nil, nil},
		{"server has more (never acknowledged here)", hist{"K-1": {acked(1, "a")}}, ans{"K-1": {"a"}, "K-9": {"d"}}, 1, 1, nil, nil, nil},
		{"missing", hist{"K-1": {acked(1, "a")}, "K-2": {acked(2, "b")}}, ans{"K-2": {"b"}}, 2, 2, []string{"K-1"}, nil, nil},
		{"older answer kept", hist{"K-1": {acked(1, "a"), acked(3, "c")}}, ans{"K-1": {"a"}}, 3, 1, nil, []string{"K-1"}, nil},
		{"one option of two lost", hist{"K-1": {acked(1, "a", "b")}}, ans{"K-1": {"a"}}, 1, 1, nil, []string{"K-1"}, nil},
		{"same length, repeated option", hist{"K-1": {acked(1, "a", "b")}}, ans{"K-1": {"a", "a"}}, 1, 1, nil, []string{"K-1"}, nil},
		{"cleared and absent", hist{"K-1": {acked(1)}}, ans{}, 1, 1, nil, nil, nil},
		{"cleared but present", hist{"K-1": {acked(1)}}, ans{"K-1": {"a"}}, 1, 1, nil, []string{"K-1"}, nil},
		{"nothing read back", hist{"K-2": {acked(2, "b")}, "K-1": {acked(1, "a")}}, nil, 0, 2, []string{"K-1", "K-2"}, nil, nil},
		{"nothing acknowledged", hist{"K-1": {sent(1, "a")}}, ans{"K-1": {"a"}}, 1, 0, nil, nil, nil},
		{"later answer stored, its ack lost", hist{"K-1": {acked(2, "a"), sent(5, "b")}}, ans{"K-1": {"b"}}, 5, 1, nil, nil, []string{"K-1"}},
		{"later answer stored, last_seq beyond it", hist{"K-1": {acked(2, "a"), sent(5, "b")}}, ans{"K-1": {"b"}}, 9, 1, nil, nil, []string{"K-1"}},
		{"later answer above last_seq cannot be stored", hist{"K-1": {acked(2, "a"), sent(5, "b")}}, ans{"K-1": {"b"}}, 4, 1, nil, []string{"K-1"}, nil},
		{"later answer refused cannot be stored", hist{"K-1": {acked(2, "a"), refused(5, "b")}}, ans{"K-1": {"b"}}, 5, 1, nil, []string{"K-1"}, nil},
		{"earlier answer is no supersession", hist{"K-1": {sent(1, "b"), acked(2, "a")}}, ans{"K-1": {"b"}}, 2, 1, nil, []string{"K-1"}, nil},
		{"later clear stored, ack lost", hist{"K-1": {acked(2, "a"), sent(3)}}, ans{}, 3, 1, nil, nil, []string{"K-1"}},
		{"later answer sent, but stored is neither", hist{"K-1": {acked(2, "a"), sent(3, "b")}}, ans{"K-1": {"c"}}, 3, 1, nil, []string{"K-1"}, nil},
		{"later answer sent, nothing stored", hist{"K-1": {acked(2, "a"), sent(3, "b")}}, ans{}, 3, 1, []string{"K-1"}, nil, nil},
		{"last acknowledged found by seq, not by order", hist{"K-1": {acked(7, "c"), acked(3, "a")}}, ans{"K-1": {"c"}}, 7, 1, nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := CompareAnswers(tc.sent, tc.got, tc.last)
			if l.Checked != tc.checked || !equal(l.Missing, tc.missing) || !equal(l.Different, tc.different) || !equal(l.Superseded, tc.superseded) {
				t.Fatalf("got %+v, want checked %d missing %v different %v superseded %v", l, tc.checked, tc.missing, tc.different, tc.superseded)
			}
			if l.Lost() != len(tc.missing)+len(tc.different) {
				t.Fatalf("lost %d", l.Lost())
			}
		})
	}
}
