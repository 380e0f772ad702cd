package css

import (
	"strings"
	"testing"
)

// BenchmarkSanitizeWorst: sheets of MaxBytes built to be slow (deep
// nesting, many commas, many declarations) take time linear in their size.
func BenchmarkSanitizeWorst(b *testing.B) {
	for _, c := range []struct{ name, unit string }{
		{"nesting", "{("}, {"selectors", ".a,"}, {"declarations", ".a{color:red;width:1px}"},
		{"values", ".a{margin:" + strings.Repeat("1px ", 2000) + "}"}, {"at-rules", "@x{"},
	} {
		src := []byte(strings.Repeat(c.unit, MaxBytes/len(c.unit)))
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Sanitize(src)
			}
		})
	}
}
