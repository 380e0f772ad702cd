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
// An act whose change is a write on the log's store stores the change and
// its entry in one durable write (store.AppendAll): the entry is stored if
// and only if the act is. For one write known beforehand:
//
//	err := log.AppendWith(ctx, st, entry, store.Write{Stream: ..., Expect: -1, Records: ...})
//	if errors.Is(err, audit.ErrNotRecorded) {
//		return err // neither stored: refuse the act and say so
//	}
//
// For an act decided on a copy of its stream, Take with AppendNext: the
// act is decided again, and the entry prepared again, on a conflict.
// Where the store cannot write both together (store.ErrNotAtomic, Redis
// Cluster), or the log is on another store (On), Take falls back to the
// record first:
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
// An act that stores nothing else (a sign-in, an export) is recorded so.
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
