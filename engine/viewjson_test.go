package engine

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/content"
)

// TestAttemptJSONMatchesEncoding holds the assembled attempt message to the
// bytes encoding/json writes for the same message.
func TestAttemptJSONMatchesEncoding(t *testing.T) {
	lib, err := content.Load(content.Demo())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range lib.Items { // the view's fields beside the options, stylesheets too
		if n++; n%2 == 0 {
			it.Stylesheets = []string{"styles/a.css", "styles/b.css"}
		}
	}
	for _, c := range lib.Cases { // a case's stylesheets too
		c.Stylesheets = []string{"styles/case.css"}
	}
	for id, f := range lib.Forms {
		fi := newFormIndex(lib, f)
		for seed := range uint64(20) {
			l := newLayout(fi, seed)
			a := &Attempt{Status: StatusInProgress, Answers: map[string][]string{}, Flags: map[string]bool{},
				Position: int(seed), LastSeq: seed * 3, Paused: seed%4 == 0, Linear: seed%3 == 0}
			for k, it := range l.order[:int(seed)%len(l.order)] {
				a.Answers[it.ID] = []string{it.Options[k%len(it.Options)].ID}
				if k%3 == 0 {
					a.Flags[it.ID] = true
				}
			}
			rem := int64(seed * 1000)
			want, err := json.Marshal(ServerMsg{Type: MsgAttempt, Attempt: l.view(lib, a), RemainingMS: &rem})
			if err != nil {
				t.Fatal(err)
			}
			got := l.attemptJSON(a, rem, nil)
			if !bytes.Equal(got, want) {
				t.Fatalf("form %s seed %d:\n got %s\nwant %s", id, seed, got, want)
			}
			if bytes.Contains(got, []byte(`"cases":{`)) && !bytes.Contains(got, []byte(`"stylesheets":["styles/case.css"]}`)) {
				t.Fatalf("form %s seed %d: a case without its stylesheets: %s", id, seed, got)
			}
		}
	}
}

func BenchmarkAttemptMessage(b *testing.B) {
	lib, _ := content.Load(content.Demo())
	fi := newFormIndex(lib, lib.Forms["demo-form"])
	a := &Attempt{Answers: map[string][]string{}, Flags: map[string]bool{}}
	b.Run("assembled", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			newLayout(fi, uint64(i)).attemptJSON(a, 1, nil)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		rem := int64(1)
		for i := 0; b.Loop(); i++ {
			json.Marshal(ServerMsg{Type: MsgAttempt, Attempt: newLayout(fi, uint64(i)).view(lib, a), RemainingMS: &rem})
		}
	})
}

// TestAttemptJSONBySection holds the assembled message of an attempt
// delivered section by section, in each of its sections, to the bytes
// encoding/json writes: a later section has no items.
func TestAttemptJSONBySection(t *testing.T) {
	lib, err := testLib()
	if err != nil {
		t.Fatal(err)
	}
	for _, state := range []string{"timed", "timed second"} {
		a := attemptIn(t, state)
		for _, sec := range []*int64{nil, ms(90 * time.Second)} {
			rem := int64(600000)
			want, err := json.Marshal(ServerMsg{Type: MsgAttempt, RemainingMS: &rem, SectionRemainingMS: sec, Attempt: a.lay.view(lib, a)})
			if err != nil {
				t.Fatal(err)
			}
			if got := a.lay.attemptJSON(a, rem, sec); !bytes.Equal(got, want) {
				t.Fatalf("%s:\n got %s\nwant %s", state, got, want)
			}
			if state == "timed" && !bytes.Contains(want, []byte(`"state":"later","time_limit_ms":600000,"count":2,"items":[]`)) {
				t.Errorf("the later section is not shown as later with no items: %s", want)
			}
		}
	}
}

// TestNoLaterCase: a case scenario that only a later section's items share
// is not sent before that section opens, in the assembled message as in
// the encoded one.
func TestNoLaterCase(t *testing.T) {
	lib, err := testLib()
	if err != nil {
		t.Fatal(err)
	}
	f := &content.Form{ID: "f2", Title: "Case later", TimeLimit: content.Duration(30 * time.Minute), Sections: []content.Section{
		{ID: "a", Title: "A", TimeLimit: content.Duration(10 * time.Minute), Items: []string{"q1", "q4"}},
		{ID: "b", Title: "B", Items: []string{"q2", "q3"}}, // both of case1
	}}
	a := &Attempt{Status: StatusInProgress, Answers: map[string][]string{}, Flags: map[string]bool{},
		SectionLimits: []time.Duration{10 * time.Minute, 0}}
	a.lay = newLayout(newFormIndex(lib, f), 1)
	for sec, wantCase := range []bool{false, true} {
		a.Section = sec
		rem := int64(1000)
		want, err := json.Marshal(ServerMsg{Type: MsgAttempt, RemainingMS: &rem, Attempt: a.lay.view(lib, a)})
		if err != nil {
			t.Fatal(err)
		}
		got := a.lay.attemptJSON(a, rem, nil)
		if !bytes.Equal(got, want) {
			t.Fatalf("section %d:\n got %s\nwant %s", sec, got, want)
		}
		if has := bytes.Contains(got, []byte(`"case1"`)); has != wantCase {
			t.Errorf("in section %d the case is sent: %v, want %v", sec, has, wantCase)
		}
	}
}
