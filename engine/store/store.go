package store

import (
	"context"
	"errors"
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
	// Read returns the records of a stream from position from (0-based) on.
	// A stream that does not exist reads as empty.
	Read(ctx context.Context, stream string, from int64) ([][]byte, error)
	// Streams lists the names of the streams that begin with prefix, sorted.
	Streams(ctx context.Context, prefix string) ([]string, error)
	// Close releases the store; pending Appends fail or complete first.
	Close() error
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
)
