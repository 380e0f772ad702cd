package content

import "testing"

func TestCheckCode(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
	}{
		{"DEMO-ANNA-7Q4K", true},
		{"K7Q4-M2XD", true},
		{"B9X2T7QW", true},
		{"1234", false},                               // short
		{"ABCD1234", false},                           // runs
		{"ZYXW-5791", false},                          // descending run
		{"PASS-0000", false},                          // repeated run
		{"PASSWORD", false},                           // no digit
		{"20261201", false},                           // no letter
		{"AB12AB12", false},                           // 4 different characters
		{"DEMO_ANNA_7Q4K", false},                     // underscore
		{"demo-anna-7q4k", false},                     // lower case
		{"A1B2C3D4E5F6G7H8J9K1L2M3N4P5Q6R7S8", false}, // too long
	}
	for _, tc := range tests {
		if msg := checkCode(tc.code); (msg == "") != tc.ok {
			t.Errorf("checkCode(%q) = %q, want ok=%v", tc.code, msg, tc.ok)
		}
	}
}

func TestLongestRun(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0}, {"A", 1}, {"AB", 2}, {"ABA", 2}, {"ABC", 3}, {"1234", 4}, {"4321", 4},
		{"1111", 4}, {"1122", 2}, {"12321", 3}, {"X1234Y", 4}, {"ABCBA", 3},
	}
	for _, tc := range tests {
		if got := longestRun(tc.s); got != tc.want {
			t.Errorf("longestRun(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestCheckID(t *testing.T) {
	for id, ok := range map[string]bool{
		"K-001": true, "kss10": true, "case.hale_2": true, "": false, "-K": false,
		"K 1": false, "K,1": false, "é1": false, string(make([]byte, 65)): false,
	} {
		if msg := checkID(id); (msg == "") != ok {
			t.Errorf("checkID(%q) = %q, want ok=%v", id, msg, ok)
		}
	}
}
