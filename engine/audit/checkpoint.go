package audit

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/accredit/accredit/engine/store"
	"github.com/accredit/accredit/internal/clock"
)

// DefaultInterval is how often a Checkpointer publishes while entries arrive.
const DefaultInterval = 2 * time.Second

// GenerateKey returns a new Ed25519 signing key and its verifier (public)
// key for checkpoints, as note key strings; name is the log's origin line,
// for example "accredit.example.org/audit". The signer key is the secret
// accredit serve --audit-key reads from a file; the verifier key is
// published so anyone can check the log and its proofs.
func GenerateKey(name string) (signer, verifier string, err error) {
	return note.GenerateKey(rand.Reader, name)
}

// CheckpointerOptions tune a Checkpointer; the zero value is usable.
type CheckpointerOptions struct {
	Clock    clock.Clock   // nil means the system clock
	Interval time.Duration // 0 means DefaultInterval
	Logger   *slog.Logger  // publish failures; nil discards them
}

// Checkpointer publishes signed checkpoints of the log: every Interval, if
// entries were appended since the last checkpoint (by any node), and once
// more on Close. Each checkpoint's size is at least its predecessor's,
// and covers only entries already stored: it hashes what it reads back.
// Several nodes may each run one on a shared store; a conditional append
// keeps their checkpoints in one order.
//
// It owns one goroutine, stopped by Close. Close is safe to call from any
// goroutine, more than once.
type Checkpointer struct {
	s        store.Store
	signer   note.Signer
	clk      clock.Clock
	interval time.Duration
	log      *slog.Logger

	// Touched only by the loop goroutine, and by Close after it has ended.
	tree   tree
	synced bool  // cps and last have been read from the store
	cps    int64 // records in CheckpointStream
	last   int64 // size of the latest checkpoint

	tick   chan chan struct{} // the timer's requests; closed reply when done
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the loop has ended
	once   sync.Once
	err    error // Close's result, set under once
}

// NewCheckpointer starts a Checkpointer signing with signerKey (a note
// signer key string, from GenerateKey).
func NewCheckpointer(s store.Store, signerKey string, opts CheckpointerOptions) (*Checkpointer, error) {
	signer, err := note.NewSigner(signerKey)
	if err != nil {
		return nil, fmt.Errorf("audit signing key: %w", err)
	}
	c := &Checkpointer{
		s: s, signer: signer, clk: clock.Or(opts.Clock), interval: opts.Interval, log: opts.Logger,
		tick: make(chan chan struct{}), done: make(chan struct{}),
	}
	if c.interval <= 0 {
		c.interval = DefaultInterval
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	// The first timer is set before New returns, so a fake clock advanced
	// next finds it.
	go c.loop(c.clk.AfterFunc(c.interval, c.fire))
	return c, nil
}

func (c *Checkpointer) loop(t clock.Timer) {
	defer close(c.done)
	for {
		select {
		case <-c.ctx.Done():
			t.Stop()
			return
		case reply := <-c.tick:
			if err := c.publish(c.ctx); err != nil && c.ctx.Err() == nil {
				c.log.Warn("audit checkpoint", "err", err)
			}
			t = c.clk.AfterFunc(c.interval, c.fire)
			close(reply)
		}
	}
}

// fire is the timer's function: it asks the loop to publish and waits
// until it has, so a fake clock's Advance returns after the checkpoint.
func (c *Checkpointer) fire() {
	reply := make(chan struct{})
	select {
	case c.tick <- reply:
	case <-c.ctx.Done():
		return
	}
	select {
	case <-reply:
	case <-c.ctx.Done():
	}
}

// Close stops the timer and the goroutine, then publishes a last
// checkpoint covering every entry stored by then. If ctx ends first it
// returns ctx's error without the last checkpoint.
func (c *Checkpointer) Close(ctx context.Context) error {
	c.once.Do(func() {
		c.cancel()
		select {
		case <-c.done:
		case <-ctx.Done():
			c.err = ctx.Err()
			return
		}
		c.err = c.publish(ctx)
	})
	return c.err
}

// publish hashes the entries stored since it last looked and, if the log
// has grown past the latest checkpoint, signs and appends a new one.
func (c *Checkpointer) publish(ctx context.Context) error {
	if !c.synced {
		if err := c.syncCheckpoints(ctx); err != nil {
			return err
		}
		c.synced = true
	}
	recs, err := c.s.Read(ctx, LogStream, c.tree.n)
	if err != nil {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	c.tree.grow(len(recs))
	for _, r := range recs {
		if err := c.tree.add(tlog.RecordHash(r)); err != nil {
			return err
		}
	}
	for range store.Conflicts {
		n := c.tree.n
		if n <= c.last {
			return nil
		}
		rec, err := c.sign(n)
		if err != nil {
			return err
		}
		_, err = c.s.Append(ctx, CheckpointStream, c.cps, rec)
		if err == nil {
			c.cps, c.last = c.cps+1, n
			return nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("audit checkpoint: %w", err)
		}
		// Another node checkpointed first: continue from its checkpoint.
		if err := c.syncCheckpoints(ctx); err != nil {
			return err
		}
	}
	return fmt.Errorf("audit checkpoint: %w", store.ErrConflict)
}

// sign makes the checkpoint record for the first n entries.
func (c *Checkpointer) sign(n int64) ([]byte, error) {
	root, err := c.tree.root(n)
	if err != nil {
		return nil, err
	}
	cp := Checkpoint{Origin: c.signer.Name(), Size: n, Root: root}
	msg, err := note.Sign(&note.Note{Text: cp.String()}, c.signer)
	if err != nil {
		return nil, fmt.Errorf("audit checkpoint: %w", err)
	}
	leaves := make([]byte, 0, (n-c.last)*tlog.HashSize)
	for i := c.last; i < n; i++ {
		h := c.tree.leaf(i)
		leaves = append(leaves, h[:]...)
	}
	return json.Marshal(record{Note: string(msg), Leaves: leaves})
}

// syncCheckpoints reads the checkpoints appended since it last looked and
// takes the latest one's size. Signatures are Verify's business; here a
// checkpoint that does not parse stops publishing.
func (c *Checkpointer) syncCheckpoints(ctx context.Context) error {
	recs, err := c.s.Read(ctx, CheckpointStream, c.cps)
	if err != nil {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	if len(recs) == 0 {
		return nil
	}
	cp, err := parseRecord(recs[len(recs)-1])
	if err != nil {
		return fmt.Errorf("audit checkpoint %d: %w", c.cps+int64(len(recs))-1, err)
	}
	c.cps += int64(len(recs))
	c.last = max(c.last, cp.Size)
	return nil
}

// parseRecord reads a checkpoint record's checkpoint without checking its
// signature.
func parseRecord(b []byte) (Checkpoint, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return Checkpoint{}, fmt.Errorf("audit: malformed checkpoint record: %w", err)
	}
	text, err := noteText([]byte(r.Note))
	if err != nil {
		return Checkpoint{}, err
	}
	return ParseCheckpoint(text)
}
