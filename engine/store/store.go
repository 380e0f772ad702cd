package store

import (
	"context"
	"errors"
	"fmt"
)

// Store keeps the engine's durable state as append-only streams of records,
// one stream per attempt (and per sitting, per marking sheet). A record is
// acknowledged to a client only after Append has returned, so Append must not
// return before the records are durable (fsync on the embedded backend, AOF
// fsync on Redis).
//
// Backends batch concurrent Appends into few durable writes (group commit).
// All methods are safe for concurrent use.
type Store interface {
	// Append adds records to the end of a stream, creating it if needed.
	// When expect >= 0 the append happens only if the stream holds exactly
	// expect records, and otherwise fails with ErrConflict; expect < 0
	// appends unconditionally. It returns the stream's new length.
	Append(ctx context.Context, stream string, expect int64, records ...[]byte) (int64, error)
	// AppendAll appends to several streams in one durable write: either
	// every write's records are stored or none are, and no reader sees
	// some without the others. Each write's Expect is checked as Append's
	// expect; when any does not hold, nothing is stored and the error is
	// ErrConflict. It returns each stream's length, in the order of
	// writes: the new lengths, or on ErrConflict the lengths found.
	// A backend that cannot write these streams together fails with
	// ErrNotAtomic and stores nothing (Redis Cluster, streams in
	// different hash slots). A stream named twice is ErrRepeatedStream.
	AppendAll(ctx context.Context, writes ...Write) ([]int64, error)
	// Read returns the records of a stream from position from (0-based) on.
	// A stream that does not exist reads as empty.
	Read(ctx context.Context, stream string, from int64) ([][]byte, error)
	// Streams lists the names of the streams that begin with prefix, sorted.
	Streams(ctx context.Context, prefix string) ([]string, error)
	// Close releases the store; pending Appends fail or complete first.
	Close() error
}

// Write is one stream's part of an AppendAll: records to append to Stream,
// if it holds exactly Expect records (Expect < 0: unconditionally).
type Write struct {
	Stream  string
	Expect  int64
	Records [][]byte
}

// CheckWrites returns the error AppendAll gives for writes that can never
// be stored: an empty stream name or a stream named twice.
func CheckWrites(writes []Write) error {
	seen := make(map[string]bool, len(writes))
	for _, w := range writes {
		if w.Stream == "" {
			return ErrEmptyStream
		}
		if seen[w.Stream] {
			return fmt.Errorf("%w: %s", ErrRepeatedStream, w.Stream)
		}
		seen[w.Stream] = true
	}
	return nil
}

// Pinger is implemented by stores that can report whether their backing
// service is reachable; /readyz uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Store errors.
var (
	// ErrConflict is returned by Append when expect does not match the stream length.
	ErrConflict = errors.New("store: stream length does not match")
	// ErrClosed is returned by a store that has been closed.
	ErrClosed = errors.New("store: closed")
	// ErrEmptyStream is returned for an empty stream name.
	ErrEmptyStream = errors.New("store: empty stream name")
	// ErrRepeatedStream is returned by AppendAll for a stream named twice.
	ErrRepeatedStream = errors.New("store: stream named twice in one write")
	// ErrNotAtomic is returned by AppendAll when the backend cannot store
	// those streams in one atomic write; nothing was stored.
	ErrNotAtomic = errors.New("store: streams cannot be written atomically on this store")
)
