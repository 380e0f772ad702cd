package engine

import (
	"bytes"
	"encoding/json"
	"testing"

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
	for id, f := range lib.Forms {
		fi := newFormIndex(lib, f)
		for seed := range uint64(20) {
			l := newLayout(fi, seed)
			a := &Attempt{Status: StatusInProgress, Answers: map[string][]string{}, Flags: map[string]bool{},
				Position: int(seed), LastSeq: seed * 3, Paused: seed%4 == 0}
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
			if got := l.attemptJSON(a, rem); !bytes.Equal(got, want) {
				t.Fatalf("form %s seed %d:\n got %s\nwant %s", id, seed, got, want)
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
			newLayout(fi, uint64(i)).attemptJSON(a, 1)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		rem := int64(1)
		for i := 0; b.Loop(); i++ {
			json.Marshal(ServerMsg{Type: MsgAttempt, Attempt: newLayout(fi, uint64(i)).view(lib, a), RemainingMS: &rem})
		}
	})
}
