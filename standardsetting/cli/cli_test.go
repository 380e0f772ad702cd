package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	ss "github.com/accredit/accredit/standardsetting"
)

// td is the package's reference data (standardsetting/testdata/README.md),
// made in R 4.2.2 with eRm 1.0.2; expected values are from its
// 05_results.txt, line named at each check.
func td(name string) string { return filepath.Join("..", "testdata", name) }

func runJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	if err := Run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v: %v (stderr %s)", args, err, errb.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("%v: output is not JSON: %v\n%s", args, err, out.String())
	}
	return m
}

// field follows a dotted path through decoded JSON; integers index arrays.
func field(t *testing.T, v any, path string) any {
	t.Helper()
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				t.Fatalf("no field %q in path %s", k, path)
			}
		case []any:
			i := int(k[0] - '0')
			if i >= len(x) {
				t.Fatalf("index %s out of range in %s", k, path)
			}
			v = x[i]
		default:
			t.Fatalf("path %s: %q is not an object or array", path, k)
		}
	}
	return v
}

func num(t *testing.T, m map[string]any, path string, want float64) {
	t.Helper()
	got, ok := field(t, m, path).(float64)
	if !ok || !scalar.EqualWithinAbsOrRel(got, want, 1e-6, 1e-6) {
		t.Errorf("%s = %v, want %.10f", path, field(t, m, path), want)
	}
}

func TestAngoffCommand(t *testing.T) {
	dir := t.TempDir()
	m := runJSON(t, "angoff", "--scores", td("scores.csv"), "--responses", td("responses.csv"), "--k", "-1",
		"--chart", dir, td("angoff_panelA.csv"), td("angoff_panelB.csv"))
	num(t, m, "panels.0.cut", 11.9587500000) // [Angoff panelA]
	num(t, m, "panels.0.se", 0.4537322901)
	num(t, m, "panels.1.cut", 11.3371428571) // [Angoff panelB]
	num(t, m, "panels.1.se", 0.1765234948)
	num(t, m, "reconciled.cut", 11.4188596355) // [Two panels] inverse_variance_weighted
	num(t, m, "reconciled.se", 0.1645118958)
	num(t, m, "agreement.z", 1.2767653835)
	num(t, m, "agreement.q", 1.6301298446)
	num(t, m, "measurement.sem", 2.3923707544) // [SEM]
	num(t, m, "operational.cut", 10)           // [Impact] cut-1 SEM
	num(t, m, "operational.pass_rate", 0.75)
	if got := field(t, m, "panels.0.panel"); got != "angoff_panelA" {
		t.Errorf("panel name %v", got)
	}
	for _, f := range []string{"impact.png", "impact.svg", "judges.png", "judges.svg"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Size() < 2000 {
			t.Errorf("chart %s: %v", f, err)
		}
	}
	dl := runJSON(t, "angoff", "--rule", "dersimonian-laird", td("angoff_panelA.csv"), td("angoff_panelB.csv"))
	num(t, dl, "reconciled.cut", 11.5074135785) // [Two panels] random_effects
	num(t, dl, "reconciled.se", 0.2772172038)
}

// Hand-computed: round 1 judge cuts 1.6 and 1.3 (mean 1.45); round 2
// 1.5 and 1.6 (mean 1.55, the panel's cut); panel B 1.4 and 1.8.
func TestAngoffRounds(t *testing.T) {
	dir := t.TempDir()
	r1, r2, b := filepath.Join(dir, "A_round1.csv"), filepath.Join(dir, "A_round2.csv"), filepath.Join(dir, "B.csv")
	writeFile(t, r1, ",i1,i2,i3\nA1,0.9,0.2,0.5\nA2,0.6,0.4,0.3\n")
	writeFile(t, r2, ",i1,i2,i3\nA1,0.5,0.5,0.5\nA2,0.6,0.4,0.6\n")
	writeFile(t, b, ",i1,i2,i3\nB1,0.5,0.4,0.5\nB2,0.6,0.6,0.6\n")
	m := runJSON(t, "angoff", r1+","+r2, b)
	num(t, m, "panels.0.rounds.0.cut", 1.45)
	num(t, m, "panels.0.rounds.1.cut", 1.55)
	num(t, m, "panels.0.cut", 1.55)
	num(t, m, "panels.0.se", 0.05)
	num(t, m, "panels.1.cut", 1.6)
	num(t, m, "panels.1.se", 0.2)

	// A round over other items is rejected, naming the file.
	r3 := filepath.Join(dir, "A_round3.csv")
	writeFile(t, r3, ",i1,i2,i4\nA1,0.5,0.5,0.5\nA2,0.6,0.4,0.6\n")
	err := Run(context.Background(), []string{"angoff", r1 + "," + r3, b}, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, ss.ErrMismatch) || !strings.Contains(err.Error(), "A_round3.csv") || !strings.Contains(err.Error(), "i4") {
		t.Errorf("rounds with different items: %v", err)
	}
}

func TestBorderlineRegressionCommand(t *testing.T) {
	m := runJSON(t, "borderline-regression", td("osce.csv"))
	// [Station 1..3] BRM cut, SE(fit), R2; [OSCE exam].
	for i, w := range []struct{ cut, se, r2 float64 }{
		{9.7176565410, 0.2625629233, 0.5857844738},
		{9.5795927551, 0.2148154090, 0.7364871399},
		{9.6506054280, 0.2585484444, 0.6255593012},
	} {
		p := "stations." + string(rune('0'+i))
		if got := field(t, m, p+".station"); got != string(rune('1'+i)) {
			t.Errorf("%s.station = %v", p, got)
		}
		num(t, m, p+".cut", w.cut)
		num(t, m, p+".se", w.se)
		num(t, m, p+".r2", w.r2)
	}
	num(t, m, "exam.cut", 28.9478547240)
	num(t, m, "exam.se", 0.4265351647)
	num(t, m, "exam.pass_rate", 0.78)
}

func TestOtherMethodCommands(t *testing.T) {
	tests := []struct {
		args  []string
		path  string
		want  float64
		where string // line of 05_results.txt
	}{
		{[]string{"ebel", "--grid", td("ebel_grid.csv"), td("ebel_items.csv")}, "cut", 18.55, "[Ebel]"},
		{[]string{"ebel", "--grid", td("ebel_grid.csv"), "--responses", td("responses.csv"), td("ebel_items.csv")}, "cut", 18.55, "[Ebel]"},
		{[]string{"nedelsky", td("nedelsky_remaining_options.csv")}, "cut", 15.5888888889, "[Nedelsky]"},
		{[]string{"nedelsky", td("nedelsky_remaining_options.csv")}, "se", 0.5991300277, "[Nedelsky]"},
		{[]string{"hofstee", "--scores", td("scores.csv"), "--max", "30", td("hofstee_case1.csv")}, "cut_pct", 39.2087042532, "[Hofstee case1-interior]"},
		{[]string{"hofstee", "--scores", td("scores.csv"), "--max", "30", td("hofstee_case1.csv")}, "cut_discrete", 12, "[Hofstee case1-interior]"},
		{[]string{"hofstee", "--scores", td("scores.csv"), "--max", "30", td("hofstee_case2.csv")}, "cut", 13, "[Hofstee case2-boundary]"},
		{[]string{"beuk", "--scores", td("scores.csv"), "--max", "30", td("beuk.csv")}, "cut_pct", 44.2851175085, "[Beuk]"},
		{[]string{"cohen", "--max", "30", td("scores.csv")}, "by_quantile_type.0.cut", 16.83, "[Cohen] type 7"},
		{[]string{"cohen", "--max", "30", td("scores.csv")}, "by_quantile_type.1.cut", 17.37, "[Cohen] type 6"},
		{[]string{"bookmark", "--judges", td("bookmark_judges.csv"), td("bookmark_oib.csv")}, "tcc_at_theta", 17.4618914246, "[Bookmark]"},
		{[]string{"bookmark", "--judges", td("bookmark_judges.csv"), td("bookmark_oib.csv")}, "cut", 18, "[Bookmark]"},
		{[]string{"borderline-group", td("osce.csv")}, "stations.1.cut", 8.9583333333, "[Station 2] BG"},
		{[]string{"contrasting-groups", td("osce.csv")}, "stations.0.cut", 10.0934068170, "[Contrasting groups st1]"},
	}
	for _, tc := range tests {
		t.Run(tc.args[0]+" "+tc.path, func(t *testing.T) {
			m := runJSON(t, tc.args...)
			if m["method"] != tc.args[0] {
				t.Errorf("method %v", m["method"])
			}
			num(t, m, tc.path, tc.want)
		})
		var out bytes.Buffer
		if err := Run(context.Background(), append(tc.args, "--format", "table"), &out, &bytes.Buffer{}); err != nil || out.Len() < 40 {
			t.Errorf("%v as table: %v\n%s", tc.args, err, out.String())
		}
	}
}

func TestDecideCommand(t *testing.T) {
	dir := t.TempDir()
	rules, scores := filepath.Join(dir, "rules.json"), filepath.Join(dir, "scores.csv")
	writeFile(t, rules, `{"standard":"practitioner","elements":[{"element":"knowledge","cut":12},
		{"element":"practice","rule":"n-of-m","min_stations":2,"stations":[{"station":"1","cut":10},{"station":"2","cut":10},{"station":"3","cut":10}]}]}`)
	writeFile(t, scores, "candidate,element,score\nc1,knowledge,15\nc1,1,11\nc1,2,9\nc1,3,10\nc2,knowledge,11\nc2,1,12\nc2,2,12\nc2,3,3\n")
	m := runJSON(t, "decide", "--rules", rules, scores)
	if field(t, m, "decisions.0.outcome") != "met" || field(t, m, "decisions.1.outcome") != "partially_met" ||
		field(t, m, "decisions.1.resit.0") != "knowledge" {
		t.Errorf("decisions: %v", m["decisions"])
	}
	out := &bytes.Buffer{}
	if err := Run(context.Background(), []string{"decide", "--format", "table", "--rules", rules, scores}, out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"partially_met", "knowledge"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	for _, banned := range []string{"grade", "rank", "percentile"} {
		if strings.Contains(strings.ToLower(out.String()), banned) {
			t.Errorf("decision table mentions %q", banned)
		}
	}
}

func TestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "panelB.csv")
	writeFile(t, bad, ",i1,i2\nB1,0.4,0.5\nB2,1.3,0.2\n")
	nobl := filepath.Join(dir, "roleplay.csv")
	writeFile(t, nobl, "candidate,station,checklist,global\n1,S1,4,1\n2,S1,12,3\n3,S1,15,5\n")
	tests := []struct {
		name     string
		args     []string
		want     error
		contains []string
	}{
		{"no method", nil, ErrUsage, nil},
		{"unknown method", []string{"grade"}, ErrUsage, []string{"grade"}},
		{"bad format", []string{"angoff", "--format", "xml", bad}, ErrUsage, nil},
		{"bad flag", []string{"angoff", "--nope", bad}, ErrUsage, nil},
		{"no files", []string{"angoff"}, ErrUsage, nil},
		{"hofstee without max", []string{"hofstee", "--scores", td("scores.csv"), td("hofstee_case1.csv")}, ErrUsage, nil},
		{"rating above one", []string{"angoff", td("angoff_panelA.csv"), bad}, ss.ErrRange, []string{"panelB.csv", "row 3", "i1"}},
		{"no borderline", []string{"borderline-group", nobl}, ss.ErrNoBorderline, []string{"roleplay.csv", "S1"}},
		{"scores without score column", []string{"angoff", "--scores", td("osce.csv"), td("angoff_panelA.csv")}, ss.ErrFormat, []string{"osce.csv", "score"}},
		{"score above max", []string{"cohen", "--max", "20", td("scores.csv")}, ss.ErrRange, []string{"scores.csv", "row"}},
		{"k without reliability", []string{"angoff", "--k", "-1", td("angoff_panelA.csv"), td("angoff_panelB.csv")}, ss.ErrConfig, nil},
		{"missing file", []string{"nedelsky", filepath.Join(dir, "absent.csv")}, os.ErrNotExist, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Run(context.Background(), tc.args, &bytes.Buffer{}, &bytes.Buffer{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			for _, c := range tc.contains {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("error %q does not name %q", err, c)
				}
			}
		})
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
