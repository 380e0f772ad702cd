// Package load drives simulated candidates against running engine nodes
// over the documented WebSocket protocol (docs/protocol.md), as a sitting
// does: a synchronised release, think time, answer changes, flags, dropped
// connections that resume on another node, and submission. It measures
// start and acknowledgement latency and throughput, and ends every run with
// a loss check: each candidate resumes and compares what the server gives
// back with every answer it had acknowledged.
//
// cmd/accredit-load is its command; scripts/bench.sh runs the standard
// scenarios.
package load
