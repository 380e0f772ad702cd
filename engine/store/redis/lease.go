package redis

import (
	"context"

	goredis "github.com/redis/go-redis/v9"
)

// Leases keeps one lease record per engine node in a hash at PREFIX +
// "leases", a field per node (engine.Leases): each node writes its own at
// every renewal, and a record is dropped only while it is still the one
// read, so a node that came back and renewed keeps its lease. Whether a
// lease has lapsed is the engine's to decide, from the renewal time the
// record holds; Redis keeps no time to live of its own on it.
type Leases struct {
	rdb goredis.UniversalClient
	key string
}

// dropScript deletes field ARGV[1] of KEYS[1] if it holds ARGV[2]; it
// returns 1 if it did, 0 if not.
var dropScript = goredis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
`)

// NewLeases returns the leases of the nodes on the store's connection and
// prefix.
func NewLeases(s *Store) *Leases {
	return &Leases{rdb: s.rdb, key: s.opts.Prefix + "leases"}
}

// Put writes node's lease record, replacing the one before.
func (l *Leases) Put(ctx context.Context, node string, rec []byte) error {
	return l.rdb.HSet(ctx, l.key, node, rec).Err()
}

// All returns every node's lease record, by node.
func (l *Leases) All(ctx context.Context) (map[string][]byte, error) {
	m, err := l.rdb.HGetAll(ctx, l.key).Result()
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(m))
	for node, rec := range m {
		out[node] = []byte(rec)
	}
	return out, nil
}

// Drop removes node's lease record if it is still rec, and reports
// whether it did.
func (l *Leases) Drop(ctx context.Context, node string, rec []byte) (bool, error) {
	n, err := dropScript.Run(ctx, l.rdb, []string{l.key}, node, rec).Int()
	return n == 1, err
}
