package marking

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store"
)

// readCounter counts the reads of a sheet's stream.
type readCounter struct {
	store.Store
	stream string
	reads  atomic.Int64
}

func (c *readCounter) Read(ctx context.Context, stream string, from int64) ([][]byte, error) {
	if stream == c.stream {
		c.reads.Add(1)
	}
	return c.Store.Read(ctx, stream, from)
}

// TestOneNodeReadsSheetOnce: on one node a sheet is read from the store
// when it is first needed, and never again for its changes and views.
func TestOneNodeReadsSheetOnce(t *testing.T) {
	r := newRig(t)
	k := key("S1", "C01", liam)
	rc := &readCounter{Store: r.store, stream: StreamName(k)}
	r.svc.Close()
	r.svc = New(Config{Model: r.model, Store: rc, Clock: r.clock, WS: WSConfig{Rate: 1000, Burst: 1000}, Identify: testIdentify})
	r.complete(k, 1, 3, 2)
	if _, err := r.svc.Sheet(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Log(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	r.must(k, roleplay.Change{By: liam, Seq: 1, Kind: roleplay.SetMark, Criterion: criteria(t, r.model, k)[0], Value: 2})
	if n := rc.reads.Load(); n != 1 {
		t.Errorf("%s read %d times, want once", StreamName(k), n)
	}
}
