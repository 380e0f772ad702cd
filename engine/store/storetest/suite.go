// Package storetest is the conformance suite every store.Store backend must
// pass. A backend's test calls Run with a Harness that opens fresh stores.
// It also holds stand-ins for the tests of what uses a store: stores whose
// writes fail (faults.go) and a broker in memory (broker.go).
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
	// Atomic, if set, reports whether s can AppendAll to these streams
	// together; where it cannot, AppendAll must fail with ErrNotAtomic and
	// store nothing. Nil means every set of streams can.
	Atomic func(t *testing.T, s store.Store, streams ...string) bool
}

func (h Harness) atomic(t *testing.T, s store.Store, streams ...string) bool {
	return h.Atomic == nil || h.Atomic(t, s, streams...)
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
		{"AppendAll", testAppendAll},
		{"AppendAllConflict", testAppendAllConflict},
		{"AppendAllBadWrites", testAppendAllBadWrites},
		{"AppendAllDurable", testAppendAllDurable},
		{"AppendAllConcurrent", testAppendAllConcurrent},
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

// runWriters runs writers goroutines for each of writes, all at once: the
// ones of writer w call their write with w and i for i from 0 to each-1,
// in order, stopping at their first error. Once all are done it fails t
// on any error.
func runWriters(t testing.TB, writers, each int, writes ...func(w, i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, writers*len(writes))
	for w := range writers {
		for _, write := range writes {
			wg.Go(func() {
				for i := range each {
					if err := write(w, i); err != nil {
						errs <- err
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func testConcurrentStreams(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	const writers, each = 16, 25
	runWriters(t, writers, each, func(w, i int) error {
		_, err := s.Append(ctx, fmt.Sprintf("w/%02d", w), -1, fmt.Appendf(nil, "%d", i))
		return err
	})
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

// pair skips the rest of a test when s cannot write streams a and b
// together, after checking that it refuses as it must: ErrNotAtomic, and
// nothing stored.
func pair(t *testing.T, h Harness, s store.Store, a, b string) {
	t.Helper()
	if h.atomic(t, s, a, b) {
		return
	}
	_, err := s.AppendAll(context.Background(), store.Write{Stream: a, Expect: -1, Records: recs("x")}, store.Write{Stream: b, Expect: -1, Records: recs("y")})
	if !errors.Is(err, store.ErrNotAtomic) {
		t.Fatalf("AppendAll over %s and %s, which this store cannot write together: %v, want ErrNotAtomic", a, b, err)
	}
	if got := mustRead(t, s, a, 0); len(got) != 0 {
		t.Fatalf("refused AppendAll stored %q in %s", got, a)
	}
	t.Skipf("this store cannot write %s and %s together (checked that it refuses)", a, b)
}

func testAppendAll(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	// One stream is always atomic.
	if ns, err := s.AppendAll(ctx, store.Write{Stream: "one", Expect: 0, Records: recs("a", "b")}); err != nil || !slices.Equal(ns, []int64{2}) {
		t.Fatalf("AppendAll one stream = %v, %v; want [2]", ns, err)
	}
	pair(t, h, s, "all/a", "all/b")
	if _, err := s.Append(ctx, "all/a", -1, recs("a0")...); err != nil {
		t.Fatal(err)
	}
	ns, err := s.AppendAll(ctx,
		store.Write{Stream: "all/a", Expect: 1, Records: recs("a1", "a2")},
		store.Write{Stream: "all/b", Expect: -1, Records: recs("b0")},
	)
	if err != nil || !slices.Equal(ns, []int64{3, 1}) {
		t.Fatalf("AppendAll = %v, %v; want [3 1]", ns, err)
	}
	if got, want := mustRead(t, s, "all/a", 0), []string{"a0", "a1", "a2"}; !slices.Equal(got, want) {
		t.Fatalf("all/a = %q, want %q", got, want)
	}
	if got, want := mustRead(t, s, "all/b", 0), []string{"b0"}; !slices.Equal(got, want) {
		t.Fatalf("all/b = %q, want %q", got, want)
	}
	if names, err := s.Streams(ctx, "all/"); err != nil || !slices.Equal(names, []string{"all/a", "all/b"}) {
		t.Fatalf("Streams(all/) = %q, %v", names, err)
	}
}

func testAppendAllConflict(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	pair(t, h, s, "cf/a", "cf/b")
	if _, err := s.Append(ctx, "cf/b", -1, recs("b0", "b1")...); err != nil {
		t.Fatal(err)
	}
	// The first write's expectation holds, the second's does not: neither
	// is stored, and the lengths found are returned.
	ns, err := s.AppendAll(ctx,
		store.Write{Stream: "cf/a", Expect: 0, Records: recs("a0")},
		store.Write{Stream: "cf/b", Expect: 1, Records: recs("b2")},
	)
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("AppendAll with one stale expectation: %v, want ErrConflict", err)
	}
	if !slices.Equal(ns, []int64{0, 2}) {
		t.Fatalf("lengths found = %v, want [0 2]", ns)
	}
	if got := mustRead(t, s, "cf/a", 0); len(got) != 0 {
		t.Fatalf("a refused AppendAll stored %q in cf/a", got)
	}
	if got, want := mustRead(t, s, "cf/b", 0), []string{"b0", "b1"}; !slices.Equal(got, want) {
		t.Fatalf("cf/b = %q, want %q", got, want)
	}
	if ns, err := s.AppendAll(ctx,
		store.Write{Stream: "cf/a", Expect: 0, Records: recs("a0")},
		store.Write{Stream: "cf/b", Expect: 2, Records: recs("b2")},
	); err != nil || !slices.Equal(ns, []int64{1, 3}) {
		t.Fatalf("AppendAll with the lengths found = %v, %v; want [1 3]", ns, err)
	}
}

func testAppendAllBadWrites(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	if _, err := s.AppendAll(ctx, store.Write{Stream: "ok", Expect: -1, Records: recs("x")}, store.Write{Expect: -1, Records: recs("y")}); !errors.Is(err, store.ErrEmptyStream) {
		t.Fatalf("AppendAll with an empty name: %v, want ErrEmptyStream", err)
	}
	if _, err := s.AppendAll(ctx, store.Write{Stream: "twice", Expect: -1, Records: recs("x")}, store.Write{Stream: "twice", Expect: -1, Records: recs("y")}); !errors.Is(err, store.ErrRepeatedStream) {
		t.Fatalf("AppendAll naming a stream twice: %v, want ErrRepeatedStream", err)
	}
	for _, name := range []string{"ok", "twice"} {
		if got := mustRead(t, s, name, 0); len(got) != 0 {
			t.Fatalf("a refused AppendAll stored %q in %s", got, name)
		}
	}
	if ns, err := s.AppendAll(ctx); err != nil || len(ns) != 0 {
		t.Fatalf("AppendAll of nothing = %v, %v", ns, err)
	}
}

func testAppendAllDurable(t *testing.T, h Harness) {
	s, reopen := h.Open(t)
	ctx := context.Background()
	pair(t, h, s, "dur/a", "dur/b")
	if _, err := s.AppendAll(ctx, store.Write{Stream: "dur/a", Expect: 0, Records: recs("a")}, store.Write{Stream: "dur/b", Expect: 0, Records: recs("b")}); err != nil {
		t.Fatal(err)
	}
	s = reopen()
	t.Cleanup(func() { s.Close() })
	if got := mustRead(t, s, "dur/a", 0); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("after reopen dur/a = %q", got)
	}
	if got := mustRead(t, s, "dur/b", 0); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("after reopen dur/b = %q", got)
	}
}

// testAppendAllConcurrent has writers each append one record to the same
// two streams at once, many times over, alongside plain Appends to a third:
// since each AppendAll is atomic, both streams end up with the same
// records in the same order.
func testAppendAllConcurrent(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := context.Background()
	pair(t, h, s, "cc/a", "cc/b")
	const writers, each = 8, 20
	runWriters(t, writers, each, func(w, i int) error {
		r := fmt.Appendf(nil, "%d.%d", w, i)
		_, err := s.AppendAll(ctx, store.Write{Stream: "cc/a", Expect: -1, Records: [][]byte{r}}, store.Write{Stream: "cc/b", Expect: -1, Records: [][]byte{r}})
		return err
	}, func(w, i int) error {
		_, err := s.Append(ctx, "cc/a", -1, fmt.Appendf(nil, "plain %d.%d", w, i))
		return err
	})
	a := slices.DeleteFunc(mustRead(t, s, "cc/a", 0), func(r string) bool { return len(r) > 5 && r[:6] == "plain " })
	b := mustRead(t, s, "cc/b", 0)
	if len(b) != writers*each || !slices.Equal(a, b) {
		t.Fatalf("the two streams differ: %d and %d records; an AppendAll was not atomic", len(a), len(b))
	}
	if got := len(mustRead(t, s, "cc/a", 0)); got != 2*writers*each {
		t.Fatalf("cc/a holds %d records, want %d", got, 2*writers*each)
	}
}
