package fairness

import "fmt"

// Group membership codes returned by Membership.
const (
	Reference int8 = 0
	Focal     int8 = 1
	Neither   int8 = -1
)

// Membership codes each label as Reference, Focal or Neither. It is an error
// when either group is empty or both names are the same.
func Membership(labels []string, reference, focal string) ([]int8, error) {
	if reference == focal {
		return nil, fmt.Errorf("%w: %q", ErrSameGroup, reference)
	}
	out := make([]int8, len(labels))
	var nR, nF int
	for p, l := range labels {
		switch l {
		case reference:
			out[p] = Reference
			nR++
		case focal:
			out[p] = Focal
			nF++
		default:
			out[p] = Neither
		}
	}
	if nR == 0 {
		return nil, fmt.Errorf("%w %q", ErrNoReference, reference)
	}
	if nF == 0 {
		return nil, fmt.Errorf("%w %q", ErrNoFocal, focal)
	}
	return out, nil
}
