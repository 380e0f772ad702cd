package redisstore

import (
	"context"
	"encoding/json"

	"github.com/redis/go-redis/v9"

	"github.com/accredit/accredit/engine"
)

var _ engine.Broker = (*Broker)(nil)

// Broker carries engine notices between nodes over Redis pub/sub, on the
// channel PREFIXnotices.
type Broker struct {
	rdb     redis.UniversalClient
	channel string
}

// NewBroker returns a broker on the store's connection and prefix.
func NewBroker(s *Store) *Broker {
	return &Broker{rdb: s.rdb, channel: s.opts.Prefix + "notices"}
}

// Publish implements engine.Broker.
func (b *Broker) Publish(ctx context.Context, n engine.Notice) error {
	msg, err := json.Marshal(n)
	if err != nil {
		return err
	}
	return b.rdb.Publish(ctx, b.channel, msg).Err()
}

// Subscribe implements engine.Broker.
func (b *Broker) Subscribe(ctx context.Context, fn func(engine.Notice)) error {
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
			var n engine.Notice
			if json.Unmarshal([]byte(m.Payload), &n) == nil {
				fn(n)
			}
		}
	}
}
