// Package engine delivers the knowledge test: candidates' attempts, the
// server-kept clock, and the durable store behind them.
//
// Every attempt is an append-only stream of events in a Store (create,
// start, answer, flag, navigate, extra time, submit); replaying the stream
// rebuilds the attempt, so a crash loses nothing that was acknowledged. A
// candidate's message is acknowledged only after its event is durable.
// Backends batch concurrent appends (group commit).
//
// Time comes from an injected Clock: the deadline is start + time limit x
// the candidate's accommodation (+ extra time), and the engine submits the
// attempt at deadline + Grace whether or not the candidate is connected.
//
// The candidate protocol (WebSocketHandler) is documented in
// docs/protocol.md. Engine methods are safe for concurrent use; each attempt
// is serialised by its own lock, and several engine nodes may share a store
// because every append is conditional on the stream length it was built on.
// Nodes sharing a store keep leases in it (Config.Leases), so that the
// candidates of a node that dies are counted away by the survivors
// (lease.go, docs/redis.md).
package engine
