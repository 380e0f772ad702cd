package roleplay

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/sheets")

// TestSheetGolden runs the marking scenarios in testdata/sheets. Each file
// is a series of blocks: a command, a line "----", the expected output, a
// blank line. Commands:
//
//	sheet CIRCUIT STATION CANDIDATE ASSESSOR [MARKER]  open a sheet
//	at HH:MM:SS                                        set the clock (day of the demo circuit)
//	BY SEQ KIND [ARG...]                               apply a change; KIND is a Kind:
//	    mark CRITERION VALUE | clear_mark CRITERION | judgement VALUE |
//	    note CRITERION|- TEXT... | submit | moderate_mark CRITERION VALUE REASON... |
//	    moderate_judgement VALUE REASON...
//	state                                              print the sheet
//	restore                                            rebuild the sheet from its log and compare
//
// Run with -update to rewrite the expected outputs.
func TestSheetGolden(t *testing.T) {
	m := loadDemo(t)
	files, _ := filepath.Glob("testdata/sheets/*.txt")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runGolden(t, m, file) })
	}
}

func runGolden(t *testing.T, m *Model, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r := &goldenRun{m: m, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	var out strings.Builder
	for _, b := range strings.Split(strings.TrimSpace(string(data)), "\n\n") {
		cmd, want, ok := strings.Cut(b, "\n----\n")
		if !ok {
			cmd, want, _ = strings.Cut(b, "\n----")
		}
		got := r.run(strings.TrimSpace(cmd))
		if !*update && strings.TrimSpace(want) != got {
			t.Errorf("%s: %s\n got: %s\nwant: %s", file, cmd, got, strings.TrimSpace(want))
		}
		fmt.Fprintf(&out, "%s\n----\n%s\n\n", strings.TrimSpace(cmd), got)
	}
	if *update {
		if err := os.WriteFile(file, []byte(strings.TrimSuffix(out.String(), "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type goldenRun struct {
	m      *Model
	now    time.Time
	sheet  *Sheet
	marker Marker
}

func (r *goldenRun) run(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) == 0 || strings.HasPrefix(cmd, "#") {
		return "ok"
	}
	switch f[0] {
	case "sheet":
		r.marker = Primary
		if len(f) == 6 {
			r.marker = Marker(f[5])
		}
		s, err := NewSheet(r.m, SheetKey{f[1], f[2], f[3], f[4]}, r.marker)
		if err != nil {
			return "error: " + err.Error()
		}
		r.sheet = s
		return fmt.Sprintf("ok slot=%d", s.Slot())
	case "at":
		t, err := time.Parse("15:04:05", f[1])
		if err != nil {
			return "error: " + err.Error()
		}
		r.now = time.Date(2026, 3, 2, t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
		return "ok"
	case "state":
		return formatState(r.sheet)
	case "restore":
		s, err := Restore(r.m, r.sheet.Key(), r.marker, r.sheet.Log())
		if err != nil {
			return "error: " + err.Error()
		}
		if a, b := formatState(s), formatState(r.sheet); a != b {
			return "restored sheet differs:\n" + a
		}
		return "ok identical"
	}
	return r.apply(f)
}

func (r *goldenRun) apply(f []string) string {
	if len(f) < 3 {
		return "error: want BY SEQ KIND"
	}
	seq, _ := strconv.ParseUint(f[1], 10, 64)
	c := Change{By: f[0], Seq: seq, Kind: Kind(f[2])}
	args := f[3:]
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	rest := func(i int) string {
		if i < len(args) {
			return strings.Join(args[i:], " ")
		}
		return ""
	}
	switch c.Kind {
	case SetMark, ModerateMark:
		c.Criterion = arg(0)
		c.Value, _ = strconv.Atoi(arg(1))
		c.Reason = rest(2)
	case ClearMark:
		c.Criterion = arg(0)
	case SetJudgement, ModerateJudgement:
		c.Value, _ = strconv.Atoi(arg(0))
		c.Reason = rest(1)
	case SetNote:
		c.Criterion = strings.TrimPrefix(arg(0), "-")
		c.Text = rest(1)
	}
	res, err := r.sheet.Apply(c, r.now)
	switch {
	case err != nil:
		return fmt.Sprintf("error: %v (%s) ack=%d", err, sentinelName(err), res.Acked)
	case res.Applied:
		return fmt.Sprintf("applied ack=%d", res.Acked)
	default:
		return fmt.Sprintf("ignored ack=%d", res.Acked)
	}
}

func sentinelName(err error) string {
	for _, s := range []struct {
		name string
		err  error
	}{
		{"ErrMarkOutOfScale", ErrMarkOutOfScale}, {"ErrUnknownCriterion", ErrUnknownCriterion},
		{"ErrNotAtStation", ErrNotAtStation}, {"ErrAlreadySubmitted", ErrAlreadySubmitted},
		{"ErrLocked", ErrLocked}, {"ErrNotSubmitted", ErrNotSubmitted},
		{"ErrIncompleteSheet", ErrIncompleteSheet}, {"ErrNoReason", ErrNoReason},
		{"ErrNotPermitted", ErrNotPermitted}, {"ErrSequence", ErrSequence}, {"ErrBadChange", ErrBadChange},
	} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return "unclassified"
}

func formatState(s *Sheet) string {
	st := s.State()
	var b strings.Builder
	b.WriteString("marks:")
	for _, cr := range s.Rubric().Criteria() {
		v, ok := st.Marks[cr.ID]
		if !ok {
			fmt.Fprintf(&b, " %s=-", cr.ID)
			continue
		}
		fmt.Fprintf(&b, " %s=%d", cr.ID, v)
	}
	b.WriteString("\njudgement: ")
	if st.Judgement == nil {
		b.WriteString("-")
	} else {
		fmt.Fprintf(&b, "%d", *st.Judgement)
	}
	keys := make([]string, 0, len(st.Notes))
	for k := range st.Notes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "\nnote %q: %s", k, st.Notes[k])
	}
	if st.Submitted {
		fmt.Fprintf(&b, "\nsubmitted at %s", st.SubmittedAt.Format("15:04:05"))
		fmt.Fprintf(&b, "\noriginal judgement: %d", *st.OriginalJudgement)
	}
	for _, mo := range st.Moderations {
		what := "judgement"
		if mo.Criterion != "" {
			what = mo.Criterion
		}
		fmt.Fprintf(&b, "\nmoderated %s at %s by %s: original %d, was %d, now %d (%s)",
			what, mo.At.Format("15:04:05"), mo.By, mo.Original, mo.Previous, mo.Value, mo.Reason)
	}
	return b.String()
}
