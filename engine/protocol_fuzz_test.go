package engine_test

import (
	"errors"
	"testing"

	"github.com/accredit/accredit/engine"
)

func FuzzDecodeClientMsg(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello","v":1,"code":"DEMO-ANNA-7Q4K"}`,
		`{"type":"answer","seq":3,"item":"K-1","options":["a","b"]}`,
		`{"type":"flag","seq":4,"item":"K-1","flagged":true}`,
		`{"type":"navigate","seq":5,"position":2}`,
		`{"type":"submit","seq":6,"confirm":true}`,
		`{"type":"finish_section","seq":7,"section":1,"confirm":true}`, `{"type":"finish_section","seq":8,"section":-1}`,
		`{"type":"ping"}`, `{}`, `[]`, `null`, `{"type":1}`, `{"type":"answer","options":[1]}`,
		`{"type":"answer","seq":-1}`, "\x00", `{"type":"answer","seq":1e40}`,
		`{"type":"answer","seq":1.5}`, `{"type":"flag","seq":9007199254740992}`, `{"type":"ping","seq":null}`,
		`{"type":"ping","type":"hello"}`, `{"seq":1,"Seq":2,"type":"submit"}`, `{"type":"ping","x":{"a":1,"a":2}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := engine.DecodeClientMsg(b)
		if err != nil {
			var pe *engine.ProtocolError
			if !errors.As(err, &pe) || pe.Code == 0 || pe.Message == "" {
				t.Fatalf("error %v is not a protocol error with a code and message", err)
			}
			return
		}
		if m.Seq > engine.MaxSeq {
			t.Fatalf("accepted seq %d over MaxSeq", m.Seq)
		}
		switch m.Type {
		case engine.MsgHello, engine.MsgAnswer, engine.MsgFlag, engine.MsgNavigate, engine.MsgSubmit, engine.MsgPing, engine.MsgFinishSection:
		default:
			t.Fatalf("accepted a frame of type %q", m.Type)
		}
	})
}
