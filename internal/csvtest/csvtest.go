// Package csvtest reads the CSV files that tests take their reference
// numbers from.
package csvtest

import (
	"encoding/csv"
	"os"
	"testing"
)

// Read reads every record of the CSV file at path, header included.
func Read(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
