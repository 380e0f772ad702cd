package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// simple is a report whose JSON is v and whose table is a list of rows.
type simple struct {
	v    any
	rows func(tw io.Writer)
}

func (s simple) MarshalJSON() ([]byte, error) { return json.Marshal(s.v) }

func (s simple) table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	s.rows(tw)
	return tw.Flush()
}

// cutRow prints the common lines: raw and percent cut and SE.
func cutRow(w io.Writer, method string, cut, pct float64, se *float64) {
	fmt.Fprintf(w, "%s\ncut\t%.4f\ncut %%\t%.2f\n", method, cut, pct)
	if se != nil {
		fmt.Fprintf(w, "SE\t%.4f\n", *se)
	}
}
