package standardsetting

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// tol is the agreement required with the reference values of
// testdata/05_results.txt (R 4.2.2 with eRm 1.0.2),
// which print 10 decimals.
const tol = 1e-6

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
		t.Errorf("%s = %.10f, want %.10f", name, got, want)
	}
}

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// read reads testdata/name with a reader of the package, failing the test
// on an error.
func read[T any](t *testing.T, name string, readFrom func(file string, r io.Reader) (T, error)) T {
	t.Helper()
	v, err := readFrom(name, open(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func readRatings(t *testing.T, name string) *Ratings {
	t.Helper()
	r, err := ReadRatings(name, open(t, name), Probability)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func readScores(t *testing.T) *Candidates {
	t.Helper()
	return read(t, "scores.csv", ReadCandidates)
}

func readResponses(t *testing.T) [][]float64 {
	t.Helper()
	_, x, err := ReadResponses("responses.csv", open(t, "responses.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// reader is a file reader of the package reduced to its error, for tests
// that only check what it refuses.
type reader func(file string, r io.Reader) error

// errOnly reduces read to a reader.
func errOnly[T any](read func(string, io.Reader) (T, error)) reader {
	return func(file string, r io.Reader) error { _, err := read(file, r); return err }
}

// Readers that take more than a file, with the options the tests use.
var (
	readNedelsky     reader = func(file string, r io.Reader) error { _, err := ReadNedelsky(file, r, 5); return err }
	readBookmarks    reader = func(file string, r io.Reader) error { _, err := ReadBookmarks(file, r, 30); return err }
	readResponsesErr reader = func(file string, r io.Reader) error { _, _, err := ReadResponses(file, r); return err }
)
