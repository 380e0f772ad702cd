package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Reference values: eRm::RM (eRm 1.0.2, conditional maximum likelihood) on
// eRm's raschdat1 (scoring/rasch/testdata), and the marginal maximum
// likelihood 2PL of Bock and Aitkin (1981) on the LSAT-6 data of Bock and
// Lieberman (1970), fitted in base R with Gauss-Hermite quadrature
// (scoring/irt/testdata).
func TestAnalyseRaschJSON(t *testing.T) {
	var out, errb bytes.Buffer
	dir := t.TempDir()
	args := []string{"analyse", "rasch", "--format", "json", "--chart", dir, "../../scoring/rasch/testdata/00_raschdat1.csv"}
	if err := run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	var res struct {
		Items []struct {
			ID         string  `json:"id"`
			Difficulty float64 `json:"difficulty"`
			SE         float64 `json:"se"`
		} `json:"items"`
		ConditionalLogLik float64 `json:"conditional_loglik"`
		Persons           []struct {
			Theta *float64 `json:"theta"`
		} `json:"persons"`
		RawScores []json.RawMessage `json:"raw_scores"`
		LRTest    struct {
			LR float64 `json:"lr"`
			DF int     `json:"df"`
		} `json:"lr_test"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	// eRm: I1 difficulty -1.56526974359381, se 0.249041697873392; I14 2.11611695502566.
	if len(res.Items) != 30 || res.Items[0].ID != "I1" ||
		!scalar.EqualWithinAbs(res.Items[0].Difficulty, -1.56526974359381, 1e-3) ||
		!scalar.EqualWithinAbs(res.Items[0].SE, 0.249041697873392, 1e-3) ||
		!scalar.EqualWithinAbs(res.Items[13].Difficulty, 2.11611695502566, 1e-3) {
		t.Errorf("items %+v", res.Items[:1])
	}
	if !scalar.EqualWithinAbs(res.ConditionalLogLik, -1434.481812, 1e-6) {
		t.Errorf("conditional_loglik %v", res.ConditionalLogLik)
	}
	if len(res.Persons) != 100 || len(res.RawScores) != 31 || res.LRTest.DF != 29 || !scalar.EqualWithinAbs(res.LRTest.LR, 32.54154162, 1e-4) {
		t.Errorf("persons %d raw scores %d LR %+v", len(res.Persons), len(res.RawScores), res.LRTest)
	}
	if !strings.Contains(errb.String(), "calibrating items") {
		t.Errorf("no progress on stderr: %q", errb.String())
	}
	for _, name := range []string{"wright_map.png", "wright_map.svg", "information.png", "icc_I1.svg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestAnalyseTwoPLJSON(t *testing.T) {
	for _, c := range []struct {
		model string
		a1    float64
		b1    float64
		ll    float64
	}{
		{"2pl", 0.8257, -3.3588, -2466.653377}, // 07_lsat6_mml.txt
		{"1pl", 0.7551, -3.6153, -2466.9376},
	} {
		var out, errb bytes.Buffer
		args := []string{"analyse", "twopl", "--format", "json", "--model", c.model, "--quiet", "../../scoring/irt/testdata/00_lsat6.csv"}
		if err := run(context.Background(), args, &out, &errb); err != nil {
			t.Fatal(err)
		}
		var res struct {
			Items []struct {
				ID string  `json:"id"`
				A  float64 `json:"a"`
				B  float64 `json:"b"`
			} `json:"items"`
			LogLik float64 `json:"marginal_loglik"`
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 5 || !scalar.EqualWithinAbs(res.Items[0].A, c.a1, 1e-3) || !scalar.EqualWithinAbs(res.Items[0].B, c.b1, 1e-3) ||
			!scalar.EqualWithinAbs(res.LogLik, c.ll, 1e-4) {
			t.Errorf("%s: %+v loglik %v", c.model, res.Items, res.LogLik)
		}
		if errb.Len() != 0 {
			t.Errorf("--quiet printed %q", errb.String())
		}
	}
}

func TestAnalyseIRTBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("i1,i2\n1,0\n1,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	allRight := filepath.Join(dir, "right.csv")
	if err := os.WriteFile(allRight, []byte("i1,i2\n1,1\n1,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"analyse", "rasch", bad}, "bad.csv"},
		{[]string{"analyse", "twopl", bad}, "bad.csv"},
		{[]string{"analyse", "rasch", allRight}, "right.csv"},
		{[]string{"analyse", "rasch", "--format", "xml", bad}, "format"},
		{[]string{"analyse", "twopl", "--model", "3pl", bad}, "model"},
		{[]string{"analyse", "rasch"}, "FILE"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), c.args, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want it to mention %q", c.args, err, c.want)
		}
	}
}
