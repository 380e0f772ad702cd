package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/enginetest"
	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/marking/markingtest"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/engine/roleplay"
	"github.com/accredit/accredit/internal/clock"
	"github.com/accredit/accredit/web/webtest"
)

func TestExport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	store := webtest.BoltAt(t, path)
	eng := engine.New(engine.Config{Library: webtest.Library(t, testLib), Store: store})
	ctx := context.Background()
	id, err := eng.Join(ctx, "TEST-TWO-9P4R", enginetest.NopPeer{})
	if err != nil {
		t.Fatal(err)
	}
	eng.Release(ctx, "s1", "inv1")
	eng.Handle(ctx, id, enginetest.NopPeer{}, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q3", Options: []string{"c"}})
	eng.Handle(ctx, id, enginetest.NopPeer{}, engine.ClientMsg{Type: "submit", Seq: 2, Confirm: true})
	eng.Close()
	store.Close()

	var out, errb bytes.Buffer
	err = run(ctx, []string{"export", "--store", "bolt:" + path, "--content", testLib, "--sitting", "s1"}, &out, &errb)
	if err != nil {
		t.Fatalf("export: %v %s", err, errb.String())
	}
	if want := "person,q1,q2,q3,q4\nc2,9,9,1,9\n"; out.String() != want { // q3 right, the rest omitted
		t.Fatalf("export wrote\n%s\nwant\n%s", out.String(), want)
	}
	if err := run(ctx, []string{"export", "--store", "bolt:" + path, "--content", testLib}, &out, &errb); err == nil {
		t.Fatal("export without --sitting succeeded")
	}
}

// TestExportCircuit writes the demo circuit's scores from marks stored by
// the marking service: one single-marked station, settled.
func TestExportCircuit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	m, err := marking.LoadModel("")
	if err != nil {
		t.Fatal(err)
	}
	store := webtest.BoltAt(t, path)
	c := m.Circuits[roleplay.DemoPractitionerCircuit]
	svc := marking.New(marking.Config{Model: m, Store: store, Clock: clock.NewFake(c.Start.Add(time.Minute))})
	ctx := context.Background()
	k := roleplay.SheetKey{Circuit: c.ID, Station: "S3", Candidate: "C03", Assessor: "ASR-HELEN"}
	if err := markingtest.MarkSheet(ctx, svc, k, 2, func(cr *roleplay.Criterion) int { return cr.Min() }); err != nil {
		t.Fatal(err)
	}
	svc.Close()
	store.Close()

	for _, tc := range []struct{ shape, want string }{
		{"sheets", "candidate,station,assessor,score,global\nC03,S3,ASR-HELEN,0,2\n"},
		{"standard-setting", "candidate,station,checklist,global\nC03,S3,0,2\n"},
	} {
		var out, errb bytes.Buffer
		if err := run(ctx, []string{"export", "--store", "bolt:" + path, "--circuit", c.ID, "--shape", tc.shape}, &out, &errb); err != nil {
			t.Fatalf("export: %v %s", err, errb.String())
		}
		if out.String() != tc.want {
			t.Errorf("%s: wrote\n%s\nwant\n%s", tc.shape, out.String(), tc.want)
		}
		if !strings.Contains(errb.String(), "not settled: C01 at S1: waiting for the sheet of [ASR-LIAM ASR-NADIA]") {
			t.Errorf("%s: standard error %q", tc.shape, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"export", "--store", "bolt:" + path, "--circuit", "nope"}, &out, &errb); err == nil || !strings.Contains(err.Error(), `no circuit "nope"`) {
		t.Errorf("unknown circuit: %v", err)
	}
	if err := run(ctx, []string{"export", "--store", "bolt:" + path, "--circuit", c.ID, "--sitting", "s1"}, &out, &errb); err == nil {
		t.Error("export with both --circuit and --sitting succeeded")
	}
}

func TestMoveDemoCircuits(t *testing.T) {
	m, err := marking.LoadModel("")
	if err != nil {
		t.Fatal(err)
	}
	p, s := m.Circuits[roleplay.DemoPractitionerCircuit], m.Circuits["demo-supervisor"]
	gap := s.Start.Sub(p.Start)
	now := time.Date(2026, 11, 23, 16, 40, 30, 0, time.UTC)
	moveDemoCircuits(m, now)
	if want := time.Date(2026, 11, 23, 16, 35, 0, 0, time.UTC); !p.Start.Equal(want) || s.Start.Sub(p.Start) != gap {
		t.Errorf("practitioner circuit starts %v (want %v), supervisor %v after it (want %v)", p.Start, want, s.Start.Sub(p.Start), gap)
	}
}

const testLib = "../../engine/testdata/lib"

// runningServer serves the test content from a bolt store on httptest, as
// accredit serve would, with c1 having answered q1 right, q2 wrong and
// nothing else, and c2's attempt voided. It returns the server's URL and
// the store's path, which the server holds locked.
func runningServer(t *testing.T) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.db")
	n := webtest.NewNode(t, webtest.Options{Library: webtest.Library(t, testLib), Store: webtest.BoltAt(t, path)})
	eng := n.Engine
	ctx := context.Background()
	one, err := eng.Join(ctx, "TEST-ONE-7K2M", enginetest.NopPeer{})
	if err != nil {
		t.Fatal(err)
	}
	two, err := eng.Join(ctx, "TEST-TWO-9P4R", enginetest.NopPeer{})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Release(ctx, "s1", "inv1"); err != nil {
		t.Fatal(err)
	}
	eng.Handle(ctx, one, enginetest.NopPeer{}, engine.ClientMsg{Type: "answer", Seq: 1, Item: "q1", Options: []string{"b"}})
	eng.Handle(ctx, one, enginetest.NopPeer{}, engine.ClientMsg{Type: "answer", Seq: 2, Item: "q2", Options: []string{"c"}})
	eng.Handle(ctx, one, enginetest.NopPeer{}, engine.ClientMsg{Type: "submit", Seq: 3, Confirm: true})
	if err := eng.Void(ctx, two, "inv1"); err != nil {
		t.Fatal(err)
	}
	return n.URL(), path
}

// TestExportFromServer exports from a running server through its API, and
// refuses clearly to open its locked store.
func TestExportFromServer(t *testing.T) {
	url, path := runningServer(t)
	ctx := context.Background()
	dir := t.TempDir()
	codeFile := filepath.Join(dir, "code")
	os.WriteFile(codeFile, []byte("STAFF-PSY-5T2N\n"), 0o600)
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"export", "--server", url + "/", "--code-file", codeFile, "--sitting", "s1", "--out", out}, &stdout, &stderr); err != nil {
		t.Fatalf("export --server: %v (%s)", err, stderr.String())
	}
	want := map[string]string{
		"s1-responses.csv": "person,q1,q2,q3,q4\nc1,1,0,9,9\n",
		"s1-choices.csv":   "person,q1,q2,q3,q4\nc1,b,c,-,-\n",
		"s1-key.csv":       "item,key\nq1,b\nq2,a\nq3,c\nq4,a+d\n",
		"s1-persons.csv": "person,sitting,centre,form,employer,time_factor,status,reason\n" +
			"c1,s1,Test Centre,f1,,1,submitted,candidate\nc2,s1,Test Centre,f1,,1.25,submitted,voided\n",
	}
	for name, w := range want {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(b) != w {
			t.Errorf("%s: %v\n%s\nwant\n%s", name, err, b, w)
		}
	}
	t.Setenv(codeEnv, "STAFF-PSY-5T2N")
	stdout.Reset()
	if err := run(ctx, []string{"export", "--server", url, "--sitting", "s1", "--what", "key"}, &stdout, &stderr); err != nil || stdout.String() != want["s1-key.csv"] {
		t.Errorf("key to standard output, code from %s: %v\n%s", codeEnv, err, stdout.String())
	}

	errs := []struct {
		name string
		args []string
		want string
	}{
		{"wrong code", []string{"--server", url, "--code", "STAFF-BAD-4X7Q", "--sitting", "s1"}, "401 Unauthorized: unknown staff code"},
		{"invigilator", []string{"--server", url, "--code", "STAFF-INV-3H8W", "--sitting", "s1"}, "signed in as inv1 (invigilator): exports need a psychometrician's code"},
		{"unknown sitting", []string{"--server", url, "--sitting", "nope"}, "404 Not Found: no such sitting"},
		{"bad url", []string{"--server", "host:8080", "--sitting", "s1"}, "want http://HOST:PORT"},
		{"store in use", []string{"--store", "bolt:" + path, "--content", testLib, "--sitting", "s1"},
			"is in use by a running server: use accredit export --server URL --code-file FILE --sitting s1"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			err := run(ctx, append([]string{"export"}, tc.args...), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "timeout") {
				t.Errorf("error still says timeout: %v", err)
			}
		})
	}
}

func TestExportFlags(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte(" \n"), 0o600)
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"two exports to stdout", []string{"--sitting", "s1", "--what", "matrix,key"}, true, "more than one --what needs --out"},
		{"all to stdout", []string{"--sitting", "s1", "--what", "all"}, true, "--what all needs --out"},
		{"unknown export", []string{"--sitting", "s1", "--what", "grades", "--out", dir}, true, `--what "grades"`},
		{"code without server", []string{"--sitting", "s1", "--code", "X"}, true, "go with --server"},
		{"code and code file", []string{"--server", "http://h", "--sitting", "s1", "--code", "X", "--code-file", empty}, true, "not both"},
		{"no code", []string{"--server", "http://h", "--sitting", "s1"}, true, "needs a staff code"},
		{"empty code file", []string{"--server", "http://h", "--sitting", "s1", "--code-file", empty}, false, "is empty"},
		{"circuit with --out", []string{"--circuit", "c", "--out", dir}, true, "go with --sitting"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(codeEnv, "")
			err := run(context.Background(), append([]string{"export"}, tc.args...), &bytes.Buffer{}, &bytes.Buffer{})
			var ue usageError
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &ue) != tc.usage {
				t.Fatalf("err = %v (usage %v), want %q (usage %v)", err, errors.As(err, &ue), tc.want, tc.usage)
			}
		})
	}
}

// TestExportRoundTrip analyses the exported files with accredit analyse
// items: the choices scored against the key give the same item statistics
// as the matrix, and the omissions show as option - and as omission counts.
func TestExportRoundTrip(t *testing.T) {
	url, _ := runningServer(t)
	ctx := context.Background()
	out := t.TempDir()
	t.Setenv(codeEnv, "STAFF-PSY-5T2N")
	if err := run(ctx, []string{"export", "--server", url, "--sitting", "s1", "--out", out}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	// Two more persons, so that totals vary.
	appendLines(t, filepath.Join(out, "s1-responses.csv"), "c3,0,1,1,0\nc4,1,1,0,9\n")
	appendLines(t, filepath.Join(out, "s1-choices.csv"), "c3,a,a,c,b+c\nc4,b,a,a,-\n")
	type report struct {
		Items []struct {
			ID       string  `json:"id"`
			Facility float64 `json:"facility"`
		} `json:"items"`
		Distractors []struct {
			ID      string `json:"id"`
			Options []struct {
				Option string `json:"option"`
				Count  int    `json:"count"`
			} `json:"options"`
		} `json:"distractors"`
		Omissions []struct {
			ID      string `json:"id"`
			Omitted int    `json:"omitted"`
		} `json:"omissions"`
	}
	var fromMatrix, fromChoices report
	runJSON(t, &fromMatrix, "analyse", "items", "--format", "json", filepath.Join(out, "s1-responses.csv"))
	runJSON(t, &fromChoices, "analyse", "items", "--format", "json", "--key", filepath.Join(out, "s1-key.csv"), filepath.Join(out, "s1-choices.csv"))
	a, _ := json.Marshal(fromMatrix.Items)
	b, _ := json.Marshal(fromChoices.Items)
	if string(a) != string(b) || len(fromMatrix.Items) == 0 {
		t.Errorf("item statistics differ:\nmatrix  %s\nchoices %s", a, b)
	}
	omits := map[string]int{}
	for _, o := range fromMatrix.Omissions {
		omits[o.ID] = o.Omitted
	}
	if omits["q3"] != 1 || omits["q4"] != 2 || omits["q1"] != 0 {
		t.Errorf("omissions %+v, want q3 1, q4 2", fromMatrix.Omissions)
	}
	for _, d := range fromChoices.Distractors {
		if d.ID == "q4" && (d.Options[0].Option != "-" || d.Options[0].Count != 2) {
			t.Errorf("q4 options %+v: want - chosen twice", d.Options)
		}
	}
}

func appendLines(t *testing.T, path, lines string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(lines); err != nil {
		t.Fatal(err)
	}
}

// TestExportImpact: accredit export --impact writes the server's
// workforce-impact report, the one the impact page shows, and refuses a
// minimum under 10 and a run without --server.
func TestExportImpact(t *testing.T) {
	n, f := webtest.ResultsNode(t)
	ctx := context.Background()
	psy := results.Viewer{Role: results.RolePsychometrician, ID: "s02"}
	if _, err := f.Results.Adopt(ctx, psy, webtest.ResultsStandard("the panels' cuts")); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"export", "--impact", "--server", n.URL(), "--code", "PSY-OMAR-6J2T"}, &stdout, &stderr); err != nil {
		t.Fatalf("export --impact: %v (%s)", err, stderr.String())
	}
	page := n.Client(t, "PSY-OMAR-6J2T")
	code, want := page.Do("GET", "/api/results/impact.csv?min=10", "")
	if code != 200 || stdout.String() != want || !strings.HasPrefix(want, "section,table,") {
		t.Fatalf("export --impact wrote\n%s\nthe page's CSV (%d)\n%s", stdout.String(), code, want)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--impact", "--server", n.URL(), "--code", "PSY-OMAR-6J2T", "--min", "3"}, "never published"},
		{[]string{"--impact"}, "give --server URL"},
		{[]string{"--impact", "--sitting", "s1"}, "give one of --sitting, --circuit or --impact"},
		{[]string{"--impact", "--server", n.URL(), "--code", "INV-GRACE-4W8N"}, "403"},
	} {
		err := run(ctx, append([]string{"export"}, c.args...), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("export %v: %v, want %q", c.args, err, c.want)
		}
	}
}
