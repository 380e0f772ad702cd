package marking

import "testing"

// FuzzDecodeClientMsg: the frame decoder never panics, and a frame it
// accepts is a known type carrying what that type needs.
func FuzzDecodeClientMsg(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello","v":1,"code":"ASR-LIAM"}`,
		`{"type":"mark","seq":1,"circuit":"c","station":"S1","candidate":"C01","criterion":"safety","value":2}`,
		`{"type":"judgement","seq":2,"circuit":"c","station":"S1","candidate":"C01","value":0}`,
		`{"type":"note","seq":3,"circuit":"c","station":"S1","candidate":"C01","text":"é\u0000"}`,
		`{"type":"submit","seq":4,"circuit":"c","station":"S1","candidate":"C01"}`,
		`{"type":"clear_mark","seq":5,"circuit":"c","station":"S1","candidate":"C01","criterion":"x"}`,
		`{"type":"ping"}`, `[]`, `{"type":1}`, `{"value":1e99}`, ` {"type":"mark","seq":-1}`,
		`{"type":"submit","seq":1.5,"circuit":"c","station":"S1","candidate":"C01"}`,
		`{"type":"submit","seq":9007199254740992,"circuit":"c","station":"S1","candidate":"C01"}`,
		`{"type":"submit","seq":1,"seq":2,"circuit":"c","station":"S1","candidate":"C01"}`,
		`{"type":"ping","TYPE":"hello"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeClientMsg(b)
		if err != nil {
			if codeOf(err).Code == CodeStore {
				t.Fatalf("decoder error without a protocol code: %v", err)
			}
			return
		}
		switch m.Type {
		case MsgHello, MsgPing:
			return
		}
		if _, ok := kinds[m.Type]; !ok {
			t.Fatalf("accepted unknown type %q", m.Type)
		}
		if m.Seq == 0 || m.Seq > 1<<53-1 || m.Circuit == "" || m.Station == "" || m.Candidate == "" {
			t.Fatalf("accepted change without seq or sheet: %+v", m)
		}
		if (m.Type == MsgMark || m.Type == MsgJudgement) && m.Value == nil {
			t.Fatalf("accepted %s without value", m.Type)
		}
		c := m.change("A")
		if c.By != "A" || c.Seq != m.Seq {
			t.Fatalf("change %+v from %+v", c, m)
		}
	})
}
