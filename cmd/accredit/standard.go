package main

import (
	"context"
	"errors"
	"io"

	"github.com/accredit/accredit/standardsetting/cli"
)

// runStandard runs `accredit standard METHOD ...`; calling errors exit with 2.
func runStandard(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := cli.Run(ctx, args, stdout, stderr)
	if err != nil && errors.Is(err, cli.ErrUsage) {
		return usageError{err.Error()}
	}
	return err
}
