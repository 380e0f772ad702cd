// Package redis is the engine's shared store on Redis (standalone,
// Sentinel or Cluster, through go-redis's universal client), so several
// engine nodes serve the same sittings.
//
// Layout (docs/redis.md): each stream is a list at PREFIX{STREAM}, the
// stream name in braces as the Cluster hash tag so one stream lives in one
// slot; a sorted set PREFIXstreams indexes the stream names for Streams.
// Appends run a Lua script that checks the list length (conditional
// append) and pushes the records atomically.
//
// Durability: Redis must run with appendonly yes and appendfsync always,
// so a write is fsynced before Redis replies; Open refuses a server that is
// configured otherwise unless the URL says durability=relaxed. Where the
// server has WAITAOF (Redis 7.2 and later) each batch also waits for the
// local AOF fsync.
//
// Group commit: committer goroutines drain the queue of concurrent Appends
// into one pipeline each, so a round trip and an fsync carry many answers.
package redis

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/accredit/accredit/engine/store"
)

var _ store.Store = (*Store)(nil)

const (
	maxBatch   = 512
	committers = 4
)

// appendScript appends ARGV[2..] to KEYS[1] if its length is ARGV[1] (or
// ARGV[1] is negative). It returns the new length, or -1-length on conflict.
// It is sent with EVAL, not EVALSHA, so a restarted Redis needs no reload.
var appendScript = goredis.NewScript(`
local n = redis.call('LLEN', KEYS[1])
local expect = tonumber(ARGV[1])
if expect >= 0 and n ~= expect then return -1 - n end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
return n + #ARGV - 1
`)

// appendAllScript is appendScript over several streams at once: KEYS are the
// streams, ARGV[1..#KEYS] their expected lengths, then for each stream in
// turn the number of its records and the records. It appends to every
// stream or, if any length is not as expected, to none, and returns
// {1, new lengths...} or {0, lengths found...}. A script runs atomically
// and reaches the AOF as one MULTI/EXEC block, which Redis never loads in
// part after a crash.
var appendAllScript = goredis.NewScript(`
local n = {}
local ok = 1
for i = 1, #KEYS do
  n[i] = redis.call('LLEN', KEYS[i])
  local expect = tonumber(ARGV[i])
  if expect >= 0 and n[i] ~= expect then ok = 0 end
end
if ok == 1 then
  local j = #KEYS + 1
  for i = 1, #KEYS do
    local c = tonumber(ARGV[j])
    for r = j + 1, j + c do redis.call('RPUSH', KEYS[i], ARGV[r]) end
    n[i] = n[i] + c
    j = j + c + 1
  end
end
table.insert(n, 1, ok)
return n
`)

// Options tune a Store.
type Options struct {
	// Prefix is put before every key; it lets tests and tenants share a server.
	Prefix string
	// Relaxed skips the check that Redis fsyncs every write.
	Relaxed bool
	// OnCommit, if set, is called after each pipeline with its Append count.
	OnCommit func(appends int, took time.Duration)
}

// Store is a Redis-backed store.Store.
type Store struct {
	rdb     goredis.UniversalClient
	opts    Options
	waitAOF bool
	q       *store.Queue
	indexed sync.Map // stream names known to be in the index
}

// ParseURL reads a store URL:
//
//	redis://[:password@]host:port[/db][?prefix=P]              standalone
//	redis://host1:port,host2:port?master=NAME                  Sentinel
//	redis://host1:port,host2:port,host3:port?cluster=1         Cluster
//
// rediss:// uses TLS. durability=relaxed skips the AOF check.
func ParseURL(raw string) (*goredis.UniversalOptions, Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, Options{}, fmt.Errorf("store URL: %w", err)
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, Options{}, fmt.Errorf("store URL: scheme %q, want redis or rediss", u.Scheme)
	}
	ro := &goredis.UniversalOptions{Addrs: strings.Split(u.Host, ",")}
	if u.User != nil {
		ro.Username = u.User.Username()
		ro.Password, _ = u.User.Password()
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		if ro.DB, err = strconv.Atoi(p); err != nil {
			return nil, Options{}, fmt.Errorf("store URL: database %q is not a number", p)
		}
	}
	q := u.Query()
	ro.MasterName = q.Get("master")
	ro.IsClusterMode = q.Get("cluster") == "1"
	opts := Options{Prefix: q.Get("prefix"), Relaxed: q.Get("durability") == "relaxed"}
	if opts.Prefix == "" {
		opts.Prefix = "accredit:"
	}
	return ro, opts, nil
}

// Open connects to Redis and checks that it stores durably.
func Open(ctx context.Context, ro *goredis.UniversalOptions, opts Options) (*Store, error) {
	rdb := goredis.NewUniversalClient(ro)
	s := &Store{rdb: rdb, opts: opts}
	if err := s.checkDurability(ctx); err != nil {
		rdb.Close()
		return nil, err
	}
	s.q = store.NewQueue(committers, maxBatch, s.commit)
	return s, nil
}

func (s *Store) checkDurability(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	if s.opts.Relaxed {
		return nil
	}
	cfg, err := s.rdb.ConfigGet(ctx, "append*").Result()
	if err != nil {
		return fmt.Errorf("redis: cannot read its AOF configuration (%v); add durability=relaxed to the URL only if you know it fsyncs every write", err)
	}
	if cfg["appendonly"] != "yes" || cfg["appendfsync"] != "always" {
		return fmt.Errorf("redis: appendonly=%q appendfsync=%q; answers need appendonly yes and appendfsync always", cfg["appendonly"], cfg["appendfsync"])
	}
	// WAITAOF exists from Redis 7.2; an unknown command error means older.
	// It covers the writes of its own connection, so it is sent inside each
	// pipeline; a Cluster pipeline spans connections, so there the AOF
	// configuration alone is relied on.
	if _, cluster := s.rdb.(*goredis.ClusterClient); !cluster {
		s.waitAOF = s.rdb.Do(ctx, "WAITAOF", 1, 0, 100).Err() == nil
	}
	return nil
}

func (s *Store) key(stream string) string { return s.opts.Prefix + "{" + stream + "}" }
func (s *Store) indexKey() string         { return s.opts.Prefix + "streams" }

// Append implements store.Store.
func (s *Store) Append(ctx context.Context, stream string, expect int64, records ...[]byte) (int64, error) {
	return s.q.Do(ctx, stream, expect, records)
}

// AppendAll implements store.Store. On a Cluster the streams must share a
// hash slot (a stream's slot is its name's), else it is store.ErrNotAtomic.
func (s *Store) AppendAll(ctx context.Context, writes ...store.Write) ([]int64, error) {
	return s.q.DoAll(ctx, writes)
}

func (s *Store) commit(batch []*store.Pending) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Index new stream names first: a name indexed before its records is
	// harmless (it reads as empty), records without an index entry would be
	// invisible to Streams.
	var fresh []goredis.Z
	for _, r := range batch {
		for _, w := range r.Writes() {
			if _, ok := s.indexed.Load(w.Stream); !ok {
				fresh = append(fresh, goredis.Z{Member: w.Stream})
			}
		}
	}
	if len(fresh) > 0 {
		if err := s.rdb.ZAddNX(ctx, s.indexKey(), fresh...).Err(); err != nil {
			s.fail(batch, err)
			return
		}
		for _, z := range fresh {
			s.indexed.Store(z.Member, true)
		}
	}
	cmds := make([]*goredis.Cmd, len(batch))
	_, err := s.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i, r := range batch {
			if r.All != nil {
				cmds[i] = s.evalAll(ctx, p, r.All)
				continue
			}
			args := make([]any, 0, len(r.Records)+1)
			args = append(args, r.Expect)
			for _, rec := range r.Records {
				args = append(args, rec)
			}
			cmds[i] = appendScript.Eval(ctx, p, []string{s.key(r.Stream)}, args...)
		}
		if s.waitAOF {
			p.Do(ctx, "WAITAOF", 1, 0, 1000)
		}
		return nil
	})
	for i, r := range batch {
		if r.All != nil {
			r.Ns, r.Err = allResult(cmds[i], err)
			continue
		}
		n, cerr := cmds[i].Int64()
		switch {
		case cerr != nil && !errors.Is(cerr, goredis.Nil):
			r.Err = fmt.Errorf("redis append: %w", cerr)
		case err != nil:
			r.Err = fmt.Errorf("redis append: %w", err)
		case n < 0:
			r.N, r.Err = -1-n, store.ErrConflict
		default:
			r.N = n
		}
	}
	if s.opts.OnCommit != nil {
		s.opts.OnCommit(len(batch), time.Since(start))
	}
}

// evalAll queues appendAllScript for writes on p.
func (s *Store) evalAll(ctx context.Context, p goredis.Pipeliner, writes []store.Write) *goredis.Cmd {
	keys := make([]string, len(writes))
	args := make([]any, 0, 2*len(writes))
	for i, w := range writes {
		keys[i] = s.key(w.Stream)
		args = append(args, w.Expect)
	}
	for _, w := range writes {
		args = append(args, len(w.Records))
		for _, rec := range w.Records {
			args = append(args, rec)
		}
	}
	return appendAllScript.Eval(ctx, p, keys, args...)
}

// allResult reads appendAllScript's answer; pipeErr is the pipeline's.
func allResult(cmd *goredis.Cmd, pipeErr error) ([]int64, error) {
	vals, err := cmd.Int64Slice()
	switch {
	case err != nil && strings.HasPrefix(err.Error(), "CROSSSLOT"):
		return nil, store.ErrNotAtomic
	case err != nil:
		return nil, fmt.Errorf("redis append: %w", err)
	case pipeErr != nil:
		return nil, fmt.Errorf("redis append: %w", pipeErr)
	case len(vals) < 1:
		return nil, fmt.Errorf("redis append: script answered %v", vals)
	case vals[0] == 0:
		return vals[1:], store.ErrConflict
	}
	return vals[1:], nil
}

func (s *Store) fail(batch []*store.Pending, err error) {
	for _, r := range batch {
		r.Err = fmt.Errorf("redis: %w", err)
	}
}

// Read implements store.Store.
func (s *Store) Read(ctx context.Context, stream string, from int64) ([][]byte, error) {
	if stream == "" {
		return nil, store.ErrEmptyStream
	}
	if err := s.q.Check(); err != nil {
		return nil, err
	}
	vals, err := s.rdb.LRange(ctx, s.key(stream), max(from, 0), -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redis read %s: %w", stream, err)
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = []byte(v)
	}
	return out, nil
}

// Streams implements store.Store.
func (s *Store) Streams(ctx context.Context, prefix string) ([]string, error) {
	if err := s.q.Check(); err != nil {
		return nil, err
	}
	names, err := s.rdb.ZRangeByLex(ctx, s.indexKey(), &goredis.ZRangeBy{Min: "[" + prefix, Max: "[" + prefix + "\xff"}).Result()
	if err != nil {
		return nil, fmt.Errorf("redis streams: %w", err)
	}
	return names, nil
}

// Ping implements store.Pinger.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.q.Check(); err != nil {
		return err
	}
	return s.rdb.Ping(ctx).Err()
}

// Atomic reports whether AppendAll can write these streams together: always
// on a single server (standalone or Sentinel), on a Cluster only when
// their keys share a hash slot.
func (s *Store) Atomic(ctx context.Context, streams ...string) (bool, error) {
	if _, cluster := s.rdb.(*goredis.ClusterClient); !cluster || len(streams) < 2 {
		return true, nil
	}
	var first int64
	for i, name := range streams {
		slot, err := s.rdb.ClusterKeySlot(ctx, s.key(name)).Result()
		if err != nil {
			return false, fmt.Errorf("redis: %w", err)
		}
		if i == 0 {
			first = slot
		} else if slot != first {
			return false, nil
		}
	}
	return true, nil
}

// Client returns the underlying client, for pub/sub between nodes.
func (s *Store) Client() goredis.UniversalClient { return s.rdb }

// Close finishes queued Appends and disconnects.
func (s *Store) Close() error {
	if !s.q.Close() {
		return nil
	}
	return s.rdb.Close()
}
