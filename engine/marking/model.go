package marking

import (
	"errors"
	"fmt"
	"sort"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/roleplay"
)

// LoadModel loads the role-play model tree in dir (docs/roleplay.md), or
// the embedded demonstration model when dir is empty.
func LoadModel(dir string) (*roleplay.Model, error) {
	if dir == "" {
		return roleplay.Load(roleplay.Demo())
	}
	return roleplay.LoadDir(dir)
}

// CheckStaff checks the staff records' links to the model's assessors
// (content.Staff.Assessor): each names an assessor of the model with the
// same role. It returns the IDs of the model's assessors no staff record
// names, who cannot sign in, sorted.
func CheckStaff(m *roleplay.Model, staff []content.Staff) (unlinked []string, err error) {
	linked := map[string]bool{}
	var errs []error
	for _, st := range staff {
		if st.Assessor == "" {
			continue
		}
		a, ok := m.Assessors[st.Assessor]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("staff %s: assessor %q is not in the role-play model", st.ID, st.Assessor))
		case a.Role != st.Role:
			errs = append(errs, fmt.Errorf("staff %s is a %s but assessor %q is a %s in the role-play model", st.ID, st.Role, st.Assessor, a.Role))
		default:
			linked[a.ID] = true
		}
	}
	for id := range m.Assessors {
		if !linked[id] {
			unlinked = append(unlinked, id)
		}
	}
	sort.Strings(unlinked)
	return unlinked, errors.Join(errs...)
}
