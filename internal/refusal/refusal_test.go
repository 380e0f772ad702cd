package refusal

import (
	"errors"
	"fmt"
	"testing"
)

type code string

var errRefused = errors.New("refused")

func TestRefusal(t *testing.T) {
	if New[code](errRefused, "book", nil) != nil {
		t.Fatal("no reasons made an error")
	}
	err := fmt.Errorf("wrapped: %w", New(errRefused, "book", []Reason[code]{Make(code("full"), "%s is full", "k1"), {Code: "late", Message: "too late"}}))
	if !errors.Is(err, errRefused) || err.Error() != "wrapped: book refused: k1 is full; too late" {
		t.Fatalf("%v", err)
	}
	var re *Error[code]
	if !errors.As(err, &re) || !re.Has("late") || re.Has("other") {
		t.Fatalf("Has on %v", re)
	}
	if rs := Reasons[code](err); len(rs) != 2 || rs[0].Code != "full" {
		t.Fatalf("reasons %v", rs)
	}
	if Reasons[code](errRefused) != nil {
		t.Fatal("reasons of a plain error")
	}
}
