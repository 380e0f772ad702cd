package itemanalysis

import "github.com/accredit/accredit/scoring/reliability"

// lordCSEM tabulates Lord's conditional SEM (reliability.CSEMLord) at every
// raw score 0..k.
func lordCSEM(k int) []CSEMPoint {
	out := make([]CSEMPoint, k+1)
	for x := range k + 1 {
		out[x] = CSEMPoint{Raw: x, CSEM: reliability.CSEMLord(float64(x), k)}
	}
	return out
}
