// Package throttle slows the guessing of sign-in codes (staff codes,
// assessors' codes and candidates' access codes) while letting a room of
// people behind one address in, however many of them mistype.
//
// A Failures counts net failures: wrong codes less a small refund for each
// right one. Each client address has a leaky bucket of them, deep enough
// for a room (Limits.Burst) and draining at a fixed rate (Limits.Every);
// the node has one more bucket over all addresses (Limits.GlobalBurst,
// Limits.GlobalEvery), which bounds guessing spread over many addresses.
// A right code takes back up to Limits.Refund failures from its address
// (and as many from the node), at most once per code per Limits.Window, so
// that holding one valid code does not buy unlimited guesses. When the
// node's bucket is full, only working addresses (one that has had a
// refunded sign-in within the window) may still try codes, each within its
// own bucket. docs/sign-in-throttle.md gives the limits, the arithmetic
// that makes guessing hopeless at them, and the denial-of-service
// trade-off.
//
// Use: call Allow before looking a code up; if it reports false, refuse
// without looking. Call Fail after a wrong code and Succeed after a right
// one. The counts are per node: several nodes behind a balancer each keep
// their own, so a guesser's rate is the nodes' sum.
//
// Time is read from an injected clock.Clock; nothing runs in the
// background. A Failures is safe for concurrent use.
package throttle
