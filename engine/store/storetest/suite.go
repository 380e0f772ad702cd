// Package storetest is the conformance suite every store.Store backend must
// pass. A backend's test calls Run with a Harness that opens fresh stores.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/accredit/accredit/engine/store"
)

// Harness opens stores for the suite.
type Harness struct {
	// Open returns an empty store private to the test, and a function that
	// closes it and opens it again on the same durable state.
	Open func(t *testing.T) (s store.Store, reopen func() store.Store)
}

// Run runs the suite.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"AppendRead", testAppendRead},
		{"ReadFrom", testReadFrom},
		{"ExpectConflict", testExpectConflict},
		{"Streams", testStreams},
		{"EmptyName", testEmptyName},
		{"CopiesRecords", testCopiesRecords},
		{"Durable", testDurable},
		{"ConcurrentStreams", testConcurrentStreams},
		{"ConcurrentConditional", testConcurrentConditional},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, h)
		})
	}
}

func recs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func strs(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}

func mustRead(t *testing.T, s store.Store, stream string, from int64) []string {
	t.Helper()
	got, err := s.Read(context.Background(), stream, from)
	if err != nil {
		t.Fatalf("Read(%q, %d): %v", stream, from, err)
	}
	return strs(got)
}

func open(t *testing.T, h Harness) store.Store {
	s, _ := h.Open(t)
	t.Cleanup(func() { s.Close() })
	return s
}

func testAppendRead(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	if got := mustRead(t, s, "a/1", 0); len(got) != 0 {
		t.Fatalf("new stream reads %q, want empty", got)
	}
	n, err := s.Append(ctx, "a/1", -1, recs("x", "y")...)
	if err != nil || n != 2 {
		t.Fatalf("Append = %d, %v; want 2, nil", n, err)
	}
	n, err = s.Append(ctx, "a/1", -1, recs("z")...)
	if err != nil || n != 3 {
		t.Fatalf("second Append = %d, %v; want 3, nil", n, err)
	}
	if got, want := mustRead(t, s, "a/1", 0), []string{"x", "y", "z"}; !slices.Equal(got, want) {
		t.Fatalf("Read = %q, want %q", got, want)
	}
}

func testReadFrom(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	if _, err := s.Append(ctx, "r", -1, recs("0", "1", "2", "3")...); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from int64
		want []string
	}{{0, []string{"0", "1", "2", "3"}}, {2, []string{"2", "3"}}, {4, nil}, {9, nil}} {
		got := mustRead(t, s, "r", tc.from)
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("Read from %d = %q, want %q", tc.from, got, tc.want)
		}
	}
}

func testExpectConflict(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	if n, err := s.Append(ctx, "c", 0, recs("first")...); err != nil || n != 1 {
		t.Fatalf("Append expect 0 on new stream = %d, %v", n, err)
	}
	if _, err := s.Append(ctx, "c", 0, recs("again")...); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Append expect 0 on length-1 stream: err = %v, want ErrConflict", err)
	}
	if n, err := s.Append(ctx, "c", 1, recs("second")...); err != nil || n != 2 {
		t.Fatalf("Append expect 1 = %d, %v", n, err)
	}
	if got, want := mustRead(t, s, "c", 0), []string{"first", "second"}; !slices.Equal(got, want) {
		t.Fatalf("after conflict Read = %q, want %q", got, want)
	}
}

func testStreams(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	for _, name := range []string{"attempt/s1/b", "attempt/s1/a", "attempt/s2/a", "sitting/s1"} {
		if _, err := s.Append(ctx, name, -1, recs("r")...); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Streams(ctx, "attempt/s1/")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"attempt/s1/a", "attempt/s1/b"}; !slices.Equal(got, want) {
		t.Fatalf("Streams = %q, want %q", got, want)
	}
	all, err := s.Streams(ctx, "")
	if err != nil || len(all) != 4 {
		t.Fatalf("Streams(\"\") = %q, %v; want 4 streams", all, err)
	}
}

func testEmptyName(t *testing.T, h Harness) {
	s := open(t, h)
	if _, err := s.Append(context.Background(), "", -1, recs("x")...); !errors.Is(err, store.ErrEmptyStream) {
		t.Fatalf("Append to empty name: %v, want ErrEmptyStream", err)
	}
}

func testCopiesRecords(t *testing.T, h Harness) {
	s := open(t, h)
	b := []byte("abc")
	if _, err := s.Append(context.Background(), "k", -1, b); err != nil {
		t.Fatal(err)
	}
	b[0] = 'X'
	got, _ := s.Read(context.Background(), "k", 0)
	got[0][1] = 'Y'
	if again := mustRead(t, s, "k", 0); again[0] != "abc" {
		t.Fatalf("stored record changed through caller's slice: %q", again[0])
	}
}

func testDurable(t *testing.T, h Harness) {
	s, reopen := h.Open(t)
	ctx := context.Background()
	if _, err := s.Append(ctx, "d", -1, recs("one", "two")...); err != nil {
		t.Fatal(err)
	}
	s = reopen()
	t.Cleanup(func() { s.Close() })
	if got, want := mustRead(t, s, "d", 0), []string{"one", "two"}; !slices.Equal(got, want) {
		t.Fatalf("after reopen Read = %q, want %q", got, want)
	}
	if n, err := s.Append(ctx, "d", 2, recs("three")...); err != nil || n != 3 {
		t.Fatalf("Append after reopen = %d, %v", n, err)
	}
}

func testConcurrentStreams(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	const writers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if _, err := s.Append(ctx, fmt.Sprintf("w/%02d", w), -1, fmt.Appendf(nil, "%d", i)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for w := range writers {
		got := mustRead(t, s, fmt.Sprintf("w/%02d", w), 0)
		if len(got) != each {
			t.Fatalf("stream %d holds %d records, want %d", w, len(got), each)
		}
		for i, g := range got {
			if g != fmt.Sprint(i) {
				t.Fatalf("stream %d record %d = %q: order lost", w, i, g)
			}
		}
	}
}

func testConcurrentConditional(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	const racers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for r := range racers {
		wg.Go(func() {
			_, err := s.Append(ctx, "race", 0, fmt.Appendf(nil, "%d", r))
			switch {
			case err == nil:
				mu.Lock()
				wins++
				mu.Unlock()
			case !errors.Is(err, store.ErrConflict):
				t.Errorf("racer %d: %v", r, err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d conditional appends at length 0 succeeded, want exactly 1", wins)
	}
	if got := mustRead(t, s, "race", 0); len(got) != 1 {
		t.Fatalf("stream holds %q, want one record", got)
	}
}

func testClosed(t *testing.T, h Harness) {
	s, _ := h.Open(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(context.Background(), "x", -1, recs("y")...); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("Append after Close: %v, want ErrClosed", err)
	}
}
