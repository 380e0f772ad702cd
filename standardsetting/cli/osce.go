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

func readRoleplay(fs *flag.FlagSet, args []string) (*ss.OSCE, error) {
	files, err := parse(fs, args, 1, 1)
	if err != nil {
		return nil, err
	}
	return read(files[0], ss.ReadOSCE)
}

func runBorderlineGroup(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	fs := newFlags("borderline-group", stderr)
	f := addOSCEFlags(fs)
	o, err := readRoleplay(fs, args)
	if err != nil {
		return nil, err
	}
	var st []ss.BorderlineGroupResult
	for _, s := range o.Stations {
		r, err := ss.BorderlineGroup(o.File, s, *f.borderline, *f.max)
		if err != nil {
			return nil, err
		}
		st = append(st, r)
	}
	v := struct {
		Method   string                     `json:"method"`
		Stations []ss.BorderlineGroupResult `json:"stations"`
	}{"borderline-group", st}
	return simple{v, func(w io.Writer) {
		fmt.Fprintln(w, "Borderline group\nstation\tn\tcut (mean)\tmedian\tSE\tpass rate")
		for _, r := range st {
			fmt.Fprintf(w, "%s\t%d\t%.4f\t%.2f\t%.4f\t%.1f%%\n", r.Station, r.N, r.Cut, r.Median, r.SE, 100*r.PassRate)
		}
	}}, nil
}

func runBorderlineRegression(ctx context.Context, args []string, stderr io.Writer) (report, error) {
	fs := newFlags("borderline-regression", stderr)
	f := addOSCEFlags(fs)
	o, err := readRoleplay(fs, args)
	if err != nil {
		return nil, err
	}
	var st []ss.RegressionStation
	for _, s := range o.Stations {
		r, err := ss.BorderlineRegression(o.File, s, *f.borderline, *f.max)
		if err != nil {
			return nil, err
		}
		st = append(st, r)
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
	fs := newFlags("contrasting-groups", stderr)
	f := addOSCEFlags(fs)
	o, err := readRoleplay(fs, args)
	if err != nil {
		return nil, err
	}
	var st []ss.ContrastingResult
	for _, s := range o.Stations {
		r, err := ss.ContrastingGroups(o.File, s, *f.passGrade, *f.max)
		if err != nil {
			return nil, err
		}
		st = append(st, r)
	}
	v := struct {
		Method   string                 `json:"method"`
		Stations []ss.ContrastingResult `json:"stations"`
	}{"contrasting-groups", st}
	return simple{v, func(w io.Writer) {
		fmt.Fprintln(w, "Contrasting groups\nstation\tn\tcut (p=.5)\tmin-error cut\terrors\tmidpoint\tpass rate")
		for _, r := range st {
			fmt.Fprintf(w, "%s\t%d\t%.4f\t%g\t%d\t%.4f\t%.1f%%\n", r.Station, r.N, r.Cut, r.MinErrorCut, r.Errors, r.Midpoint, 100*r.PassRate)
		}
	}}, nil
}
