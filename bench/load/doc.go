// Package load drives simulated candidates against running engine nodes
// over the documented WebSocket protocol (docs/protocol.md), as a sitting
// does: a synchronised release, think time, answer changes, flags, dropped
// connections that resume on another node, and submission. It measures
// start and acknowledgement latency and throughput, and ends every run with
// a loss check: each candidate resumes and compares what the server gives
// back with every answer it had acknowledged.
//
// Simulated assessors (Config.Assessors) can run alongside: each signs in
// over the assessor protocol (docs/marking-protocol.md), marks its
// station's current candidate with think time between changes, loses its
// connection now and then (making changes offline meanwhile, as a tablet
// does), resumes on the next node and submits; a loss check reads every
// sheet back. WriteRoleplay writes the role-play model and the assessors'
// staff records they need; RunMarking runs assessors alone.
//
// The candidates follow the invigilator's acts as the candidate page
// does: while their clock is paused they send nothing, and a change
// refused as paused (309) is kept and sent again on the resume's attempt
// message. A test can run the sitting from the invigilator's page while
// they answer: Config.Release releases it, Config.Stop ends answering,
// and Config.Observe sees every message each candidate receives
// (web/browsertest's TestRoomUnderLoad).
//
// cmd/accredit-load is its command; scripts/bench.sh runs the standard
// scenarios.
package load
