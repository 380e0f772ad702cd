package roleplay

import (
	"embed"
	"io/fs"
)

//go:embed demo
var demoFiles embed.FS

// Demo circuit ids in Demo.
const (
	DemoPractitionerCircuit = "demo-practitioner"
	DemoSupervisorCircuit   = "demo-supervisor"
)

// Demo returns the demonstration model embedded in the binary, for Load:
// three practitioner scenarios (a first home visit, a talk with a young
// person after a missing episode, a case discussion with a manager) and one
// supervisor scenario (a supervision session), a rubric for each, five
// assessors and a lead assessor, a three-station practitioner circuit for
// four candidates with two double-marked stations, and a one-station
// supervisor circuit. Every person in it is fictional.
func Demo() fs.FS {
	sub, err := fs.Sub(demoFiles, "demo")
	if err != nil {
		panic("roleplay: demo files missing: " + err.Error()) // embedded at build time
	}
	return sub
}
