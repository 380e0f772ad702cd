// Command gen writes a seeded simulated Rasch response matrix as CSV (a
// person column, then items i1..iK, cells 1/0) for the benchmark against R.
//
//	go run ./bench/rasch/gen -persons 50000 -items 100 -seed 1 -out r50k.csv
//
// Abilities are N(0, 1); difficulties are evenly spaced on [−2, 2].
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
)

func main() {
	persons := flag.Int("persons", 10000, "number of persons")
	items := flag.Int("items", 100, "number of items")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "output file (default stdout)")
	flag.Parse()
	if err := write(*out, *persons, *items, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(path string, persons, items int, seed uint64) error {
	f := os.Stdout
	if path != "" {
		var err error
		if f, err = os.Create(path); err != nil {
			return err
		}
		defer f.Close()
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(seed, 2))
	b := make([]float64, items)
	w.WriteString("person")
	for i := range b {
		b[i] = -2 + 4*float64(i)/float64(max(items-1, 1))
		fmt.Fprintf(w, ",i%d", i+1)
	}
	w.WriteByte('\n')
	for p := range persons {
		theta := rng.NormFloat64()
		fmt.Fprintf(w, "p%d", p+1)
		for i := range b {
			x := byte('0')
			if rng.Float64() < 1/(1+math.Exp(b[i]-theta)) {
				x = '1'
			}
			w.WriteByte(',')
			w.WriteByte(x)
		}
		w.WriteByte('\n')
	}
	return w.Flush()
}
