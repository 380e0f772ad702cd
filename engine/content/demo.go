package content

import (
	"embed"
	"io/fs"
)

//go:embed demo
var demoFiles embed.FS

// DemoSitting is the id of the demonstration sitting in Demo.
const DemoSitting = "demo-sitting"

// Demo returns the demonstration content tree embedded in the binary, for
// Load. It holds original items across the ten domains of the knowledge and
// skills statement for approved child and family practitioners, a 30-minute
// form, a sitting with six candidates, and staff. Every person, family,
// centre and employer in it is fictional.
func Demo() fs.FS {
	sub, err := fs.Sub(demoFiles, "demo")
	if err != nil {
		panic("content: demo files missing: " + err.Error()) // embedded at build time
	}
	return sub
}
