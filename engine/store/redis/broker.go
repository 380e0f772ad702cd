package redis

import (
	"context"

	goredis "github.com/redis/go-redis/v9"
)

// Broker carries messages between the nodes that share a Redis, over
// pub/sub on one channel: PREFIX + the topic it was made for. Delivery may
// be lost, so a message can only make nodes look at the store sooner;
// correctness rests on the store's conditional appends.
type Broker struct {
	rdb     goredis.UniversalClient
	channel string
}

// NewBroker returns a broker for topic on the store's connection and prefix.
func NewBroker(s *Store, topic string) *Broker {
	return &Broker{rdb: s.rdb, channel: s.opts.Prefix + topic}
}

// Publish sends msg to every subscribed node, this one included.
func (b *Broker) Publish(ctx context.Context, msg []byte) error {
	return b.rdb.Publish(ctx, b.channel, msg).Err()
}

// Subscribe calls fn with each message published on the topic, until ctx
// ends.
func (b *Broker) Subscribe(ctx context.Context, fn func([]byte)) error {
	ps := b.rdb.Subscribe(ctx, b.channel)
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil { // the subscription confirmation
		return err
	}
	ch := ps.Channel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-ch:
			if !ok {
				return nil
			}
			fn([]byte(m.Payload))
		}
	}
}
