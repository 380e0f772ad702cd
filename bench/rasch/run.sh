#!/usr/bin/env bash
# Benchmark: `accredit analyse rasch` against R (psychotools, eRm) on the same
# seeded simulated files, 100 items x 10,000 and 50,000 persons.
# Usage: bench/rasch/run.sh [WORKDIR]   (from the repository root; R optional)
# Set ERM=1 to time eRm::RM too (slow).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cd "$root"
go build -o "$work/accredit" ./cmd/accredit
go build -o "$work/gen" ./bench/rasch/gen

now() { date +%s.%N; }
for n in 10000 50000; do
  file="$work/rasch_100x$n.csv"
  [ -f "$file" ] || "$work/gen" -persons "$n" -items 100 -seed 1 -out "$file"
  echo "== 100 items x $n persons ($file)"
  best=""
  for run in 1 2 3; do
    t0=$(now)
    "$work/accredit" analyse rasch --format json --quiet "$file" > "$work/out_$n.json"
    t1=$(now)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  printf 'accredit analyse rasch (whole command: read CSV, CML with SEs, fit, persons, LR test, JSON): best of 3 %.3f s\n' "$best"
  if command -v Rscript >/dev/null 2>&1 && Rscript -e 'quit(status = !requireNamespace("psychotools", quietly = TRUE))' >/dev/null 2>&1; then
    erm=""
    [ "${ERM:-0}" = 1 ] && erm=erm
    Rscript "$root/bench/rasch/fit.R" "$file" $erm | while read -r name secs; do
      printf '%s: %.3f s (fitting only)  ratio R/accredit = %.1fx\n' "$name" "$secs" "$(echo "$secs / $best" | bc -l)"
    done
  else
    echo "R with psychotools not installed: apt-get install -y r-base-core r-cran-psychotools r-cran-erm"
  fi
done
