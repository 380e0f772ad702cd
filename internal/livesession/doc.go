// Package livesession is the reading side of a live WebSocket session,
// shared by the candidate and the assessor protocols: one reader loop that
// bounds frame size (answering CodeTooLarge before it closes), refuses
// binary frames, waits a limited time for the hello and then for any frame
// or pong (closing with CloseIdle), drops frames over the rate limit (and
// closes a client that keeps flooding), checks the protocol version a hello
// names, closes a client that keeps guessing codes, refuses frames before a
// successful hello, and hands every other frame to its protocol. It reads
// the next frame only once the send queue has room for its replies, so a
// burst loses none. DecodeObject and ParseSeq are the decoding both
// protocols share: one JSON object without repeated keys, and a seq from 0
// to MaxSeq.
//
// A protocol plugs in what differs through Protocol: decoding a frame, what
// a hello does, how a frame is handled and how an error is encoded; and
// its limits and texts through Config. The error and close codes both
// protocols share are defined here once; each protocol keeps its own 3xx
// codes. The sending side is internal/wsconn.
package livesession
