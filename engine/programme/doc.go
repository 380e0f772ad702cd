// Package programme keeps the records that come before a test: employers
// (local authorities, with region, rollout phase and inspection rating),
// the people who seek a status and the staff tied to each employer,
// practice endorsements, knowledge-test sittings and role-play days, and
// bookings with their reasonable adjustments and access codes.
//
// Everything lives in the store (engine/store), so several nodes sharing
// one Redis see one programme. Each change is decided on the node's copy
// of the stream it belongs to and appended on condition that the stream
// has not moved on; a change is acknowledged only after its append has
// returned, that is once it is durable. docs/programme.md gives the
// stream layout and why it keeps capacity and "nobody booked twice" safe
// across nodes.
//
// Use:
//
//	p, err := programme.New(programme.Config{Store: st, Clock: clk, Recorder: rec})
//	err = p.CreateEmployers(ctx, admin, employers)
//	n, err := p.ImportPeople(ctx, admin, "people.csv", r)
//	e, err := p.Endorse(ctx, supervisor, programme.Endorsement{...})
//	b, err := p.Book(ctx, candidate, programme.Request{Person: id, Kind: programme.Knowledge, Event: "s1"})
//
// Refusals are *RefusedError values listing every reason, each with a
// Code; failed imports are *ImportError values locating every fault by
// file, line and column. Time comes from the injected clock only.
//
// A Programme is safe for concurrent use. Equality monitoring answers are
// stored apart from people and read only by Monitoring, for the fairness
// and workforce reports.
package programme
