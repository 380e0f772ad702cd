// Package marking runs live role-play marking: assessors mark on tablets
// over a WebSocket (docs/marking-protocol.md), every change to a marking
// sheet is stored durably before it is acknowledged, and the lead assessor
// follows the circuit, its double-marking discrepancies and its late or
// missing sheets, and moderates submitted sheets with a reason.
//
// Each sheet (one assessor's marking of one candidate at one station) is an
// append-only stream of the engine's Store named
//
//	sheet/<circuit>/<candidate>/<station>/<assessor>
//
// holding the sheet's applied changes (roleplay.Entry as JSON), one record
// each. A change is validated by the roleplay.Sheet state machine, appended
// conditionally on the stream length the sheet was built on, and only then
// acknowledged; replaying the stream rebuilds the sheet after a restart, on
// another node, or after a failed append.
//
//	svc := marking.New(marking.Config{Model: m, Store: store})
//	defer svc.Close()
//	svc.Routes(srv.Handle, srv.RequireRole)
//
// Time comes from an injected clock.Clock. A Service is safe for
// concurrent use: each sheet is serialised by its own lock, held across
// its store append, and several nodes may share a store.
package marking
