package respmatrix

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzReadChoices checks that raw multiple-choice files never panic and
// that every refusal is a located parse error.
func FuzzReadChoices(f *testing.F) {
	f.Add([]byte("person,I1,I2\np1,3,1\np2,,4\n"))
	f.Add([]byte("\"reason.4\",\"reason.16\"\n3,3\n3,NA\n"))
	f.Add([]byte("I1\n1.5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadChoices(bytes.NewReader(data), "f", Options{})
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error %v is not a ParseError", err)
		}
		if err == nil && c == nil {
			t.Fatal("no error and no choices")
		}
	})
}

// FuzzReadKey checks the item,key reader likewise.
func FuzzReadKey(f *testing.F) {
	f.Add([]byte("item,key\nI1,3\nI2,1\n"))
	f.Add([]byte("item,key\nI1,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ReadKey(bytes.NewReader(data), "k")
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error %v is not a ParseError", err)
		}
	})
}

// FuzzJoinGroups joins an arbitrary candidate file onto a fixed matrix.
func FuzzJoinGroups(f *testing.F) {
	f.Add([]byte("person,band\np1,a\np2,b\n"))
	f.Add([]byte("person,band\np1,a\np1,b\n"))
	m := New([]string{"p1", "p2"}, []string{"I1"}, []int8{1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := JoinGroups(m, bytes.NewReader(data), "c", []string{"band"})
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error %v is not a ParseError", err)
		}
	})
}
