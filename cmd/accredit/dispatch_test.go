package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestDispatch: every level of the command answers help on stdout with
// success, and nothing or an unknown name with its usage on stderr and a
// usage error (exit 2) that names it.
func TestDispatch(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		err        string // "" for success
		out, usage string // what stdout and stderr hold
	}{
		{args: []string{"--help"}, out: "commands:"},
		{args: []string{"help"}, out: "commands:"},
		{args: nil, err: "no command given", usage: "commands:"},
		{args: []string{"grade"}, err: `unknown command "grade"`, usage: "commands:"},
		{args: []string{"analyse", "--help"}, out: "agreement"},
		{args: []string{"analyse", "-h"}, out: "agreement"},
		{args: []string{"analyse"}, err: "analyse: no analysis given", usage: "agreement"},
		{args: []string{"analyze", "median"}, err: `analyse: unknown analysis "median"`, usage: "agreement"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, &out, &errb)
		var u usageError
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.args, err)
		case tc.err != "" && (!errors.As(err, &u) || u.msg != tc.err):
			t.Errorf("%q: error %v, want usage error %q", tc.args, err, tc.err)
		case !strings.Contains(out.String(), tc.out) || !strings.Contains(errb.String(), tc.usage):
			t.Errorf("%q: stdout %.60q, stderr %.60q", tc.args, out.String(), errb.String())
		}
	}
}

// runErrCase is a command line that must fail: with a usage error (exit 2)
// or not, and with want in the message.
type runErrCase struct {
	name  string
	args  []string
	usage bool
	want  string
}

// checkRunErrors runs each case's arguments after cmd.
func checkRunErrors(t *testing.T, cmd []string, tests []runErrCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), append(cmd[:len(cmd):len(cmd)], tc.args...), &bytes.Buffer{}, &bytes.Buffer{})
			var ue usageError
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &ue) != tc.usage {
				t.Fatalf("err = %v (usage %v), want %q (usage %v)", err, errors.As(err, &ue), tc.want, tc.usage)
			}
		})
	}
}
