package marking

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/engine/store/bolt"
	"github.com/accredit/accredit/internal/clock"
)

// Demo circuit fixtures (engine/roleplay/demo/circuits/practitioner-demo.json):
// S1 is double-marked by ASR-LIAM and ASR-NADIA, S3 single-marked by
// ASR-HELEN; C01 is at S1 in slot 1; slots are 30 minutes from 09:00.
const (
	circuitID = roleplay.DemoPractitionerCircuit
	liam      = "ASR-LIAM"
	nadia     = "ASR-NADIA"
	petra     = "ASR-PETRA"
	helen     = "ASR-HELEN"
	iris      = "LEAD-IRIS"
)

var circuitStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type rig struct {
	t     *testing.T
	path  string
	model *roleplay.Model
	store *bolt.Store
	clock *clock.Fake
	svc   *Service
}

func demoModel(t *testing.T) *roleplay.Model {
	t.Helper()
	m, err := roleplay.Load(roleplay.Demo())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// newRig opens a service over a fresh bolt store, its clock five minutes
// into slot 1.
func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, path: filepath.Join(t.TempDir(), "m.db"), model: demoModel(t),
		clock: clock.NewFake(circuitStart.Add(5 * time.Minute))}
	r.open()
	t.Cleanup(r.close)
	return r
}

func (r *rig) open() {
	r.t.Helper()
	st, err := bolt.Open(r.path, bolt.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	r.store = st
	r.svc = New(Config{Model: r.model, Store: st, Clock: r.clock, WS: WSConfig{Rate: 1000, Burst: 1000}, Identify: testIdentify})
}

// testIdentify stands in for the staff records: an assessor's sign-in
// code is their ID followed by "-PIN", matched whatever the case; a hello
// without a code is identified by the "who" cookie, as a staff session
// would be.
func testIdentify(r *http.Request, code string) (string, error) {
	if code == "" {
		if id, ok := testWho(r); ok {
			return id, nil
		}
		return "", errors.New("sign in first")
	}
	if id, ok := strings.CutSuffix(strings.ToUpper(code), "-PIN"); ok {
		return id, nil
	}
	return "", errors.New("no assessor has that code")
}

// testWho is the signed-in assessor of a request: the "who" cookie.
func testWho(r *http.Request) (string, bool) {
	c, err := r.Cookie("who")
	if err != nil {
		return "", false
	}
	return c.Value, true
}

// assign makes assessor the third marker of a flagged station.
func (r *rig) assign(station, candidate, assessor string) {
	r.t.Helper()
	if _, err := r.svc.Assign(context.Background(), circuitID, iris, Assignment{Station: station, Candidate: candidate, Assessor: assessor}); err != nil {
		r.t.Fatalf("assign %s to %s/%s: %v", assessor, station, candidate, err)
	}
}

func (r *rig) close() {
	if r.svc != nil {
		r.svc.Close()
		r.store.Close()
		r.svc = nil
	}
}

// restart closes the store and opens it again under a new service.
func (r *rig) restart() {
	r.close()
	r.open()
}

func key(station, candidate, assessor string) roleplay.SheetKey {
	return roleplay.SheetKey{Circuit: circuitID, Station: station, Candidate: candidate, Assessor: assessor}
}

func (r *rig) records(k roleplay.SheetKey) int {
	r.t.Helper()
	recs, err := r.store.Read(context.Background(), StreamName(k), 0)
	if err != nil {
		r.t.Fatal(err)
	}
	return len(recs)
}

// must applies a change that must be stored.
func (r *rig) must(k roleplay.SheetKey, c roleplay.Change) Outcome {
	r.t.Helper()
	out, err := r.svc.Apply(context.Background(), k, c)
	if err != nil {
		r.t.Fatalf("%s seq %d %s: %v", StreamName(k), c.Seq, c.Kind, err)
	}
	return out
}

// complete marks every criterion of k's rubric with marks[i] (the last
// value repeats), gives the judgement and submits. It returns the next
// sequence number.
func (r *rig) complete(k roleplay.SheetKey, seq uint64, judgement int, marks ...int) uint64 {
	r.t.Helper()
	rb, _ := r.model.RubricOf(r.model.Circuits[k.Circuit], k.Station)
	for i, cr := range rb.Criteria() {
		v := marks[min(i, len(marks)-1)]
		r.must(k, roleplay.Change{By: k.Assessor, Seq: seq, Kind: roleplay.SetMark, Criterion: cr.ID, Value: v})
		seq++
	}
	r.must(k, roleplay.Change{By: k.Assessor, Seq: seq, Kind: roleplay.SetJudgement, Value: judgement})
	r.must(k, roleplay.Change{By: k.Assessor, Seq: seq + 1, Kind: roleplay.Submit})
	return seq + 2
}

var _ clock.Clock = (*clock.Fake)(nil)
