package marking

import "github.com/accredit/accredit/engine/roleplay"

// LoadModel loads the role-play model tree in dir (docs/roleplay.md), or
// the embedded demonstration model when dir is empty.
func LoadModel(dir string) (*roleplay.Model, error) {
	if dir == "" {
		return roleplay.Load(roleplay.Demo())
	}
	return roleplay.LoadDir(dir)
}
