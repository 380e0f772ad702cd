package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	ss "github.com/accredit/accredit/standardsetting"
)

// osceFlags are the flags every station method shares.
type osceFlags struct {
	borderline, passGrade, max *float64
}

func addOSCEFlags(fs *flag.FlagSet) osceFlags {
	return osceFlags{
		borderline: fs.Float64("borderline", 2, "global grade meaning borderline"),
		passGrade:  fs.Float64("pass-grade", 3, "lowest global grade judged competent (contrasting groups)"),
		max:        fs.Float64("max", 0, "maximum checklist score per station, for percent cuts (0: not reported)"),
	}
}

// eachStation reads the role-play file the arguments name, with the
// station methods' flags, and applies method to each of its stations.
func eachStation[R any](name string, args []string, stderr io.Writer, method func(o *ss.OSCE, s *ss.Station, f osceFlags) (R, error)) (*ss.OSCE, osceFlags, []R, error) {
	fs := newFlags(name, stderr)
	f := addOSCEFlags(fs)
	files, err := parse(fs, args, 1, 1)
	if err != nil {
		return nil, f, nil, err
	}
	o, err := read(files[0], ss.ReadOSCE)
	if err != nil {
		return nil, f, nil, err
	}
	var out []R
	for _, s := range o.Stations {
		r, err := method(o, s, f)
		if err != nil {
			return nil, f, nil, err
		}
		out = append(out, r)
	}
	return o, f, out, nil
}

func runBorderlineGroup(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	_, _, st, err := eachStation("borderline-group", args, stderr, func(o *ss.OSCE, s *ss.Station, f osceFlags) (ss.BorderlineGroupResult, error) {
		return ss.BorderlineGroup(o.File, s, *f.borderline, *f.max)
	})
	if err != nil {
		return nil, err
	}
	return stationsReport("borderline-group", "Borderline group\nstation\tn\tcut (mean)\tmedian\tSE\tpass rate", st, func(w io.Writer, r ss.BorderlineGroupResult) {
		fmt.Fprintf(w, "%s\t%d\t%.4f\t%.2f\t%.4f\t%.1f%%\n", r.Station, r.N, r.Cut, r.Median, r.SE, 100*r.PassRate)
	}), nil
}

func runBorderlineRegression(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	o, f, st, err := eachStation("borderline-regression", args, stderr, func(o *ss.OSCE, s *ss.Station, f osceFlags) (ss.RegressionStation, error) {
		return ss.BorderlineRegression(o.File, s, *f.borderline, *f.max)
	})
	if err != nil {
		return nil, err
	}
	exam := ss.CombineStations(o, st, *f.max)
	v := struct {
		Method   string                 `json:"method"`
		Stations []ss.RegressionStation `json:"stations"`
		Exam     ss.ExamRegression      `json:"exam"`
	}{"borderline-regression", st, exam}
	return simple{v, func(w io.Writer) {
		fmt.Fprintln(w, "Borderline regression\nstation\tn\tcut\tSE\tR2\tslope\tpass rate")
		for _, r := range st {
			fmt.Fprintf(w, "%s\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.1f%%\n", r.Station, r.N, r.Cut, r.SE, r.R2, r.Slope, 100*r.PassRate)
			if r.Warning != "" {
				fmt.Fprintf(w, "\twarning: %s\n", r.Warning)
			}
		}
		fmt.Fprintf(w, "exam (sum)\t%d\t%.4f\t%.4f\t\t\t%.1f%%\n", exam.N, exam.Cut, exam.SE, 100*exam.PassRate)
	}}, nil
}

func runContrasting(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	_, _, st, err := eachStation("contrasting-groups", args, stderr, func(o *ss.OSCE, s *ss.Station, f osceFlags) (ss.ContrastingResult, error) {
		return ss.ContrastingGroups(o.File, s, *f.passGrade, *f.max)
	})
	if err != nil {
		return nil, err
	}
	return stationsReport("contrasting-groups", "Contrasting groups\nstation\tn\tcut (p=.5)\tmin-error cut\terrors\tmidpoint\tpass rate", st, func(w io.Writer, r ss.ContrastingResult) {
		fmt.Fprintf(w, "%s\t%d\t%.4f\t%g\t%d\t%.4f\t%.1f%%\n", r.Station, r.N, r.Cut, r.MinErrorCut, r.Errors, r.Midpoint, 100*r.PassRate)
	}), nil
}

// stationsReport is the report of the station method named method: in JSON
// the method and its result at each station, in a table the heading and a
// row per station.
func stationsReport[R any](method, heading string, st []R, row func(w io.Writer, r R)) report {
	v := struct {
		Method   string `json:"method"`
		Stations []R    `json:"stations"`
	}{method, st}
	return simple{v, func(w io.Writer) {
		fmt.Fprintln(w, heading)
		for _, r := range st {
			row(w, r)
		}
	}}
}
