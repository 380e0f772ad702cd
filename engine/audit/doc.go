// Package audit is Accredit's tamper-evident audit log: one append-only
// record of every consequential act by staff, candidates and the engine
// (a sitting released, an attempt paused, voided or given extra time, a
// sheet moderated, a standard decided, responses exported), each naming
// who acted, what they did to what, when by the server's clock, the
// reason given, and the state before and after.
//
// The entries live in one stream of the engine's store (LogStream), so all
// nodes sharing a store share one order, and an entry's index is its
// position. They are the leaves of a Merkle tree (RFC 6962 hashing, from
// golang.org/x/mod/sumdb/tlog, the code behind the Go checksum database).
// A Checkpointer regularly signs the tree's size and root as a note
// (golang.org/x/mod/sumdb/note) and stores it in CheckpointStream. Verify
// then detects any entry changed, deleted or reordered after it was
// checkpointed, and names it; Prove gives a document showing one entry is
// in the signed log, which CheckProof, or anyone with the public key and
// the Go packages, checks (docs/audit.md).
//
// # Use
//
// A caller records an action before it takes it:
//
//	i, err := log.Append(ctx, audit.Entry{Actor: ..., Action: audit.AttemptVoid, Target: ..., Reason: ...})
//	if err != nil {
//		return err // refuse the action: no action without its record
//	}
//	if err := takeTheAction(); err != nil {
//		log.Abort(ctx, i, entry, err.Error()) // the record says it was not taken
//		return err
//	}
//
// Append returns once the entry is durable. If it fails, nothing was
// stored and the action must be refused. If the action then fails, Abort
// appends an entry whose action is the first one's with ".aborted"
// appended, naming its index, so a record of an action not taken says so.
//
// Keys: GenerateKey makes a signer key (secret, for the server:
// accredit serve --audit-key FILE) and its verifier key (public); make run
// makes a demo key and prints the verifier key.
//
// # Concurrency
//
// Log keeps no state and is safe for concurrent use, from any number of
// nodes. A Checkpointer owns one goroutine and is driven by its clock's
// AfterFunc (a clock.Fake in tests); Close is safe from any goroutine.
// Verify, Prove and CheckProof are functions of their arguments.
package audit
