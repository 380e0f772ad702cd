package store

import "context"

// Broker carries messages between the nodes that share a store
// (store/redis.Broker). Delivery may be lost: a message can only make a
// node look at the store sooner, and correctness rests on the store's
// conditional appends.
type Broker interface {
	Publish(ctx context.Context, msg []byte) error
	// Subscribe calls fn for each message any node publishes, this one
	// included, until ctx ends.
	Subscribe(ctx context.Context, fn func(msg []byte)) error
}
