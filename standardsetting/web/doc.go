// Package web serves the psychometrician's page for standard setting: both
// panels side by side, a k or a cut to try with its impact shown at once,
// and the final decision recorded with who made it and when.
//
// New returns an http.Handler to mount under a prefix (with
// http.StripPrefix). It does no authentication: the server checks the
// user's role before the request reaches it and supplies the user's name
// through Config.Who. Input files are read only from Config.Dir; decisions
// are appended, one JSON object per line, to Config.Dir/decisions.jsonl.
// The page and its script are embedded; nothing is fetched from a CDN.
//
// A Handler is safe for concurrent use; appends to the decision file are
// serialised by a mutex.
package web
