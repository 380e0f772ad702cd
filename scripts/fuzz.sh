#!/usr/bin/env bash
# make fuzz: run every fuzz target (parsers of untrusted input) for a while.
#   FUZZTIME=30s make fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "== $pkg $target ($fuzztime)"
    # Short minimisation: large seed files otherwise take the whole budget.
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 1s "$pkg"
  done
done
