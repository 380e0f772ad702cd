package results

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/store/storetest"
)

// TestUpdateStoresItsRecord: on each backend, an act whose Recorder is
// the audit log on its store stores its record and its entry in one
// write; when that write fails neither is stored and the error wraps
// ErrNotRecorded; where the store cannot write both together the entry is
// appended first; a refusal records nothing.
func TestUpdateStoresItsRecord(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			ent := &audit.Entry{Actor: audit.Actor{Kind: audit.ActorStaff, ID: "admin1", Role: "administrator"},
				Action: audit.ResultsRelease, Target: audit.Target{Kind: audit.TargetWindow, ID: "w1"}}
			decide := func(prev []Release) (*Release, *audit.Entry, error) {
				if len(prev) > 0 {
					return nil, nil, refuse("release", []Reason{reason(CodeReleased, "released")})
				}
				return &Release{Window: "w1", People: 1}, ent, nil
			}
			stored := func() (int, []audit.Action) {
				rels, err := readAll[Release](ctx, st, prefixReleases+"w1")
				if err != nil {
					t.Fatal(err)
				}
				es, err := audit.Read(ctx, st, 0)
				if err != nil {
					t.Fatal(err)
				}
				var acts []audit.Action
				for _, e := range es {
					acts = append(acts, e.Entry.Action)
				}
				return len(rels), acts
			}
			fs := storetest.FailingAll{Store: st}
			_, err := update(ctx, fs, prefixReleases+"w1", programme.LogRecorder(audit.New(fs, nil)), decide)
			if !errors.Is(err, audit.ErrNotRecorded) || !errors.Is(err, storetest.ErrWriteFailed) {
				t.Fatalf("update with a failing write: %v", err)
			}
			if n, acts := stored(); n != 0 || len(acts) != 0 {
				t.Fatalf("a failed write stored %d releases and entries %v", n, acts)
			}
			na := storetest.NotAtomic{Store: st}
			if _, err := update(ctx, na, prefixReleases+"w1", programme.LogRecorder(audit.New(na, nil)), decide); err != nil {
				t.Fatal(err)
			}
			if n, acts := stored(); n != 1 || !slices.Equal(acts, []audit.Action{audit.ResultsRelease}) {
				t.Fatalf("record first: %d releases, entries %v", n, acts)
			}
			if _, err := update(ctx, st, prefixReleases+"w1", programme.LogRecorder(audit.New(st, nil)), decide); !slices.Equal(codes(err), []Code{CodeReleased}) {
				t.Fatalf("second release: %v", err)
			}
			if n, acts := stored(); n != 1 || len(acts) != 1 {
				t.Fatalf("a refusal stored or recorded: %d releases, entries %v", n, acts)
			}
			// One write: a second window's release and its entry together.
			ent.Target.ID = "w2"
			two := func(prev []Release) (*Release, *audit.Entry, error) { return &Release{Window: "w2"}, ent, nil }
			if _, err := update(ctx, st, prefixReleases+"w2", programme.LogRecorder(audit.New(st, nil)), two); err != nil {
				t.Fatal(err)
			}
			if es, _ := audit.Read(ctx, st, 0); len(es) != 2 || es[1].Entry.Target.ID != "w2" {
				t.Fatalf("entries %+v, want the second release's last", es)
			}
		})
	}
}
