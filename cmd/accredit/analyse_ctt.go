package main

import (
	"context"
	"errors"
	"io"
)

func runAnalyseItems(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not available in this build")
}

func runAnalyseDIF(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not available in this build")
}

func runAnalyseImpact(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not available in this build")
}
