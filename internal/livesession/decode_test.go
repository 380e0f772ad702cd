package livesession_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/accredit/accredit/internal/livesession"
)

func TestDecodeObject(t *testing.T) {
	tests := []struct {
		name, frame string
		code        int // 0: decoded
		want        string
	}{
		{"object", `{"type":"ping","n":[1,{"type":2}]}`, 0, "ping"},
		{"nested keys may repeat", `{"type":"ping","x":{"a":1,"a":2}}`, 0, "ping"},
		{"repeated key", `{"type":"ping","type":"hello"}`, livesession.CodeBadFrame, ""},
		{"repeated but for case", `{"type":"ping","Type":"hello"}`, livesession.CodeBadFrame, ""},
		{"repeated but for the Kelvin sign", `{"k":1,"\u212a":2}`, livesession.CodeBadFrame, ""},
		{"not an object", `["type"]`, livesession.CodeBadFrame, ""},
		{"malformed", `{"type":`, livesession.CodeBadFrame, ""},
		{"trailing data", `{"type":"ping"} {}`, livesession.CodeBadFrame, ""},
		{"wrong type", `{"type":1}`, livesession.CodeBadFrame, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct{ Type string }
			err := livesession.DecodeObject([]byte(tt.frame), &v)
			if tt.code == 0 {
				if err != nil || v.Type != tt.want {
					t.Fatalf("decoded %+v, %v; want type %q", v, err, tt.want)
				}
				return
			}
			var e *livesession.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Message == "" {
				t.Fatalf("error %v, want code %d with a message", err, tt.code)
			}
		})
	}
}

func TestParseSeq(t *testing.T) {
	tests := []struct {
		raw  string
		want uint64
		code int // 0: parsed; -1: ErrSeqRange
	}{
		{"", 0, 0}, {"null", 0, 0}, {"0", 0, 0}, {"1", 1, 0}, {"42", 42, 0},
		{"9007199254740991", livesession.MaxSeq, 0},
		{"9007199254740992", 0, -1},
		{"18446744073709551616", 0, -1},
		{"99999999999999999999999999999999", 0, -1},
		{"-1", 0, -1}, {"-0", 0, -1}, {"1.5", 0, -1}, {"1.0", 0, -1}, {"1e3", 0, -1}, {"1E3", 0, -1},
		{`"1"`, 0, livesession.CodeBadFrame}, {"true", 0, livesession.CodeBadFrame},
		{"[1]", 0, livesession.CodeBadFrame}, {"{}", 0, livesession.CodeBadFrame},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := livesession.ParseSeq(json.RawMessage(tt.raw))
			var e *livesession.Error
			switch {
			case tt.code == 0 && (err != nil || got != tt.want):
				t.Fatalf("ParseSeq = %d, %v; want %d", got, err, tt.want)
			case tt.code == -1 && !errors.Is(err, livesession.ErrSeqRange):
				t.Fatalf("ParseSeq = %d, %v; want ErrSeqRange", got, err)
			case tt.code > 0 && (!errors.As(err, &e) || e.Code != tt.code):
				t.Fatalf("ParseSeq = %d, %v; want code %d", got, err, tt.code)
			}
		})
	}
}
