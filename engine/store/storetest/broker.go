package storetest

import (
	"context"
	"slices"
	"sync"

	"github.com/accredit/accredit/engine/store"
)

var _ store.Broker = (*Broker)(nil)

// Broker is a store.Broker for nodes in one process, as tests run them:
// Publish hands the message to every open subscription in turn, in the
// order they began, before it returns. It is safe for concurrent use.
type Broker struct {
	mu     sync.Mutex // protects subs, next and waited
	begun  *sync.Cond // signalled when a subscription begins
	subs   []subscription
	next   int // the id of the next subscription, and how many have begun
	waited int // how many subscriptions WaitSubscribed has waited for
}

type subscription struct {
	id int
	fn func([]byte)
}

// NewBroker returns a broker with no subscriptions.
func NewBroker() *Broker {
	b := &Broker{}
	b.begun = sync.NewCond(&b.mu)
	return b
}

// Publish calls the fn of every open subscription with msg.
func (b *Broker) Publish(_ context.Context, msg []byte) error {
	b.mu.Lock()
	subs := slices.Clone(b.subs)
	b.mu.Unlock()
	for _, s := range subs {
		s.fn(msg)
	}
	return nil
}

// Subscribe calls fn for each message published until ctx ends.
func (b *Broker) Subscribe(ctx context.Context, fn func([]byte)) error {
	b.mu.Lock()
	id := b.next
	b.next++
	b.subs = append(b.subs, subscription{id: id, fn: fn})
	b.begun.Broadcast()
	b.mu.Unlock()
	<-ctx.Done()
	b.mu.Lock()
	b.subs = slices.DeleteFunc(b.subs, func(s subscription) bool { return s.id == id })
	b.mu.Unlock()
	return nil
}

// WaitSubscribed blocks until one more subscription has begun than it has
// waited for before: a test starting nodes calls it after each, so that
// the node hears what the others publish from then on.
func (b *Broker) WaitSubscribed() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.next <= b.waited {
		b.begun.Wait()
	}
	b.waited++
}
