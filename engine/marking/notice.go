package marking

import (
	"context"
	"encoding/json"
	"sync/atomic"

	"github.com/accredit/accredit/engine/store"
)

// Broker carries notices between marking nodes that share a store; a
// single node needs none. A notice only makes a node read a changed sheet
// sooner: the store's conditional appends keep every change right without
// one.
type Broker = store.Broker

// notice says that a sheet's stream has reached a length.
type notice struct {
	Sheet string `json:"sheet"` // the stream, StreamName
	N     int64  `json:"n"`     // its length after the append
}

// subscribe hears other nodes' notices until the service closes.
func (s *Service) subscribe() {
	if s.broker == nil {
		return
	}
	s.subs.Go(func() {
		if err := s.broker.Subscribe(s.bg, s.hear); err != nil && s.bg.Err() == nil {
			s.log.Error("marking notices subscription ended", "err", err)
		}
	})
}

// hear marks the sheet a notice names, if it is held here, as behind the
// store: the next read of it catches up. It takes no sheet's lock and
// reads nothing from the store.
func (s *Service) hear(msg []byte) {
	var n notice
	if json.Unmarshal(msg, &n) != nil {
		return
	}
	if k, ok := parseStream(n.Sheet); ok {
		s.mu.Lock()
		l := s.sheets[k]
		s.mu.Unlock()
		if l != nil {
			raise(&l.heard, n.N)
		}
	}
	if s.heard != nil {
		s.heard(n.Sheet, n.N)
	}
}

// raise sets v to n if n is larger.
func raise(v *atomic.Int64, n int64) {
	for {
		old := v.Load()
		if n <= old || v.CompareAndSwap(old, n) {
			return
		}
	}
}

// announce tells the other nodes that sheet stream has reached length n.
// It is called after the durable append, never with a sheet's lock held.
func (s *Service) announce(ctx context.Context, stream string, n int64) {
	if s.broker == nil {
		return
	}
	msg, err := json.Marshal(notice{Sheet: stream, N: n})
	if err != nil {
		panic(err) // a notice always encodes
	}
	if err := s.broker.Publish(ctx, msg); err != nil {
		s.log.Warn("marking notice not sent", "sheet", stream, "err", err)
	}
}
