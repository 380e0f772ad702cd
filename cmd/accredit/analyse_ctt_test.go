package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/accredit/accredit/internal/csvtest"
)

// Inputs and expected values in testdata/ctt: item statistics and alpha
// from psych::alpha and psych::score.multiple.choice (psych 2.2.9, R 4.2.2)
// on psych's iqitems data; Mantel-Haenszel DIF from stats::mantelhaen.test
// (base R) on psychotools' VerbalAggression data (psychotools 0.7.2).

func runJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v: %v (%s)", args, err, errb.String())
	}
	if strings.Contains(out.String(), "NaN") {
		t.Fatalf("NaN in output")
	}
	if err := json.Unmarshal(out.Bytes(), v); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
}

func TestAnalyseItemsJSON(t *testing.T) {
	var rep struct {
		Alpha float64 `json:"alpha"`
		SEM   float64 `json:"sem"`
		Items []struct {
			ID                 string  `json:"id"`
			Facility           float64 `json:"facility"`
			PointBiserial      float64 `json:"point_biserial"`
			CorrectedItemTotal float64 `json:"corrected_item_total"`
		} `json:"items"`
	}
	runJSON(t, &rep, "analyse", "items", "--format", "json", "testdata/ctt/00_raschdat1.csv")
	// 02_raschdat1_reliability.txt: alpha=0.8416779565, SEM=2.3923707544; item I1 from
	// 02_raschdat1_item_analysis.csv: facility 0.76, pbis 0.431627345984966, r.drop 0.370872838352221.
	if !scalar.EqualWithinAbs(rep.Alpha, 0.8416779565, 1e-9) || !scalar.EqualWithinAbs(rep.SEM, 2.3923707544, 1e-9) {
		t.Errorf("alpha %v sem %v", rep.Alpha, rep.SEM)
	}
	if len(rep.Items) != 30 || rep.Items[0].ID != "I1" || rep.Items[0].Facility != 0.76 ||
		!scalar.EqualWithinAbs(rep.Items[0].PointBiserial, 0.431627345984966, 1e-12) ||
		!scalar.EqualWithinAbs(rep.Items[0].CorrectedItemTotal, 0.370872838352221, 1e-12) {
		t.Errorf("items %+v", rep.Items[:1])
	}
}

func TestAnalyseItemsKeyAndTable(t *testing.T) {
	var rep struct {
		Distractors []struct {
			ID      string `json:"id"`
			Options []struct {
				Option    string  `json:"option"`
				MeanTotal float64 `json:"mean_total"`
			} `json:"options"`
		} `json:"distractors"`
	}
	runJSON(t, &rep, "analyse", "items", "--format", "json", "--key", "testdata/ctt/iqitems_key.csv", "testdata/ctt/00_iqitems.csv")
	// 02_iqitems_distractors.csv: reason.4 option 0 mean total of choosers 3.61728395061728.
	if len(rep.Distractors) != 16 || rep.Distractors[0].Options[0].Option != "0" ||
		!scalar.EqualWithinAbs(rep.Distractors[0].Options[0].MeanTotal, 3.61728395061728, 1e-12) {
		t.Errorf("distractors %+v", rep.Distractors[:1])
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"analyse", "items", "testdata/ctt/00_raschdat1.csv"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "alpha") || !strings.Contains(out.String(), "I30") {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestAnalyseDIF(t *testing.T) {
	ref := csvtest.Read(t, "testdata/ctt/04_MH_DIF_verbal.csv")
	var rep struct {
		Items []struct {
			ID       string  `json:"id"`
			AlphaMH  float64 `json:"alpha_mh"`
			DeltaMH  float64 `json:"delta_mh"`
			ETSClass string  `json:"ets_class"`
		} `json:"items"`
	}
	dir := filepath.Join(t.TempDir(), "charts")
	runJSON(t, &rep, "analyse", "dif", "--format", "json", "--group", "focal", "--reference", "0", "--focal", "1",
		"--chart", dir, "testdata/ctt/00_verbal_resp2_gender.csv")
	if len(rep.Items) != len(ref)-1 {
		t.Fatalf("%d items", len(rep.Items))
	}
	for i, row := range ref[1:] { // item, alphaMH, deltaMH, ..., ETS at column 7
		it := rep.Items[i]
		a, _ := strconv.ParseFloat(row[1], 64)
		d, _ := strconv.ParseFloat(row[2], 64)
		if it.ID != row[0] || !scalar.EqualWithinAbsOrRel(it.AlphaMH, a, 1e-8, 1e-8) ||
			!scalar.EqualWithinAbsOrRel(it.DeltaMH, d, 1e-8, 1e-8) || it.ETSClass != row[7] {
			t.Errorf("%+v, want %v", it, row)
		}
	}
	for _, name := range []string{"dif_delta.png", "dif_delta.svg"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("chart %s: %v", name, err)
		}
	}
}

func TestAnalyseDIFCandidatesAndImpact(t *testing.T) {
	dir := t.TempDir()
	resp := filepath.Join(dir, "resp.csv")
	cand := filepath.Join(dir, "cand.csv")
	var rb, cb strings.Builder
	rb.WriteString("person,q1,q2,q3\n")
	cb.WriteString("person,age_band,outcome\n")
	for p := range 40 {
		band, q := "under_40", []int{1, p % 2, p % 3 % 2}
		if p%4 == 0 {
			band, q = "40_plus", []int{p % 8 / 4, 1 - p%2, 1}
		}
		id := "p" + strconv.Itoa(p)
		rb.WriteString(id + "," + strconv.Itoa(q[0]) + "," + strconv.Itoa(q[1]) + "," + strconv.Itoa(q[2]) + "\n")
		cb.WriteString(id + "," + band + "," + strconv.Itoa(q[0]) + "\n")
	}
	os.WriteFile(resp, []byte(rb.String()), 0o644)
	os.WriteFile(cand, []byte(cb.String()), 0o644)

	var dif struct {
		NReference int `json:"n_reference"`
		NFocal     int `json:"n_focal"`
	}
	runJSON(t, &dif, "analyse", "dif", "--format", "json", "--candidates", cand, "--group", "age_band",
		"--reference", "under_40", "--focal", "40_plus", "--mh-only", resp)
	if dif.NReference != 30 || dif.NFocal != 10 {
		t.Errorf("groups %+v", dif)
	}
	var im struct {
		Groups []struct {
			Group    string  `json:"group"`
			N        int     `json:"n"`
			PassRate float64 `json:"pass_rate"`
		} `json:"groups"`
	}
	runJSON(t, &im, "analyse", "impact", "--format", "json", "--candidates", cand, "--group", "age_band", "--pass", "outcome", resp)
	if len(im.Groups) != 2 || im.Groups[0].Group != "40_plus" || im.Groups[0].PassRate != 0.5 || im.Groups[1].PassRate != 1 {
		t.Errorf("impact %+v", im)
	}
	runJSON(t, &im, "analyse", "impact", "--format", "json", "--candidates", cand, "--group", "age_band", "--cut", "2", resp)
	if len(im.Groups) != 2 || im.Groups[0].N != 10 {
		t.Errorf("impact at cut %+v", im)
	}
}

func TestAnalyseCTTErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("a,b\n1,0\n1,x\n"), 0o644)
	checkRunErrors(t, nil, []runErrCase{
		{"no file", []string{"analyse", "items"}, true, "want one FILE"},
		{"bad format", []string{"analyse", "items", "--format", "xml", bad}, true, "unknown format"},
		{"bad cell", []string{"analyse", "items", bad}, false, `line 3, column "b"`},
		{"dif no group", []string{"analyse", "dif", bad}, true, "--group"},
		{"impact both", []string{"analyse", "impact", "--group", "g", "--pass", "p", "--cut", "3", bad}, true, "exactly one"},
		{"dif unknown group", []string{"analyse", "dif", "--group", "focal", "--reference", "0", "--focal", "9",
			"testdata/ctt/00_verbal_resp2_gender.csv"}, false, "focal group"},
	})
}

// TestAnalyseRefusesUnknownItems gives each analysis a file whose item ids
// the key or the item bank does not know, as a file written back by R's
// read.csv with its defaults would be.
func TestAnalyseRefusesUnknownItems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	known := write("known.csv", "person,q1,q2,q3\nc1,1,0,9\nc2,0,1,1\nc3,1,1,0\nc4,0,0,1\n")
	unknown := write("unknown.csv", "person,q1,Q9,q.3\nc1,1,0,9\nc2,0,1,1\nc3,1,1,0\nc4,0,0,1\n")
	banded := write("banded.csv", "person,q1,Q9,q.3,band\nc1,1,0,9,a\nc2,0,1,1,b\nc3,1,1,0,a\nc4,0,0,1,b\n")
	choices := write("choices.csv", "person,q1,q2,K.001\nc1,b,a,x\nc2,a,-,y\n")
	key := write("key.csv", "item,key\nq1,b\nq2,a\n")
	bank := "../../engine/testdata/lib"
	tests := []struct {
		name string
		args []string
		want string // substring of the error; empty: success
	}{
		{"items in the bank", []string{"items", "--bank", bank, known}, ""},
		{"items", []string{"items", "--bank", bank, unknown}, "2 of 3 item columns not in the item bank of " + bank + ": Q9, q.3"},
		{"items with a key", []string{"items", "--key", key, choices}, "1 of 3 item columns not in the key " + key + ": K.001"},
		{"rasch", []string{"rasch", "--quiet", "--bank", bank, unknown}, "not in the item bank"},
		{"twopl", []string{"twopl", "--quiet", "--bank", bank, unknown}, "not in the item bank"},
		{"dif", []string{"dif", "--bank", bank, "--group", "band", "--reference", "a", "--focal", "b", banded}, "Q9, q.3"},
		{"impact", []string{"impact", "--bank", bank, "--group", "band", "--cut", "1", banded}, "Q9, q.3"},
		{"row names written by R", []string{"items", write("rownames.csv", "\"\",\"person\",\"q1\"\n\"1\",\"c1\",1\n")}, "column 1 has no name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), append([]string{"analyse"}, tc.args...), &bytes.Buffer{}, &bytes.Buffer{})
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
