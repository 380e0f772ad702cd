#!/usr/bin/env bash
# make bench: the standard load scenarios on the embedded store and on Redis,
# each written to bench/results/<scenario>-<store>.md with the machine, the
# command and the figures against the targets. The load generator runs on
# the same machine as the node.
#   CANDIDATES=10000 make bench     (the default)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${CANDIDATES:-10000}
mkdir -p bin bench/results
go build -o bin/accredit ./cmd/accredit
go build -o bin/accredit-load ./cmd/accredit-load
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d)
redis_pid=
cleanup() { [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

stores=("bolt:$work/bench.db")
if command -v redis-server >/dev/null; then
  port=$(( 20000 + RANDOM % 20000 ))
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save '' --appendonly yes \
    --appendfsync always --daemonize no --logfile "$work/redis.log" &
  redis_pid=$!
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  stores+=("redis://127.0.0.1:$port/0")
fi

for store in "${stores[@]}"; do
  kind=${store%%:*}
  [ "$kind" = rediss ] && kind=redis
  run() { # scenario title args...
    local scenario=$1 title=$2; shift 2
    redis-cli -p "${port:-0}" flushall >/dev/null 2>&1 || true
    rm -f "$work/bench.db"
    ./bin/accredit-load --spawn ./bin/accredit --store "$store" --title "$title ($kind)" \
      --out "bench/results/$scenario-$kind.md" "$@"
  }
  # Everyone connected to one node, started together, answering at a
  # candidate's pace (20 s apart on average), one answer each.
  run start "$n candidates on one node, synchronised start" --candidates "$n" \
    --think 20s --answers 1 --drop 0.01 --target-start-p99 3s --target-rss 40
  # About 500 answers/s sustained: 5,200 candidates answering 10 s apart on average.
  run sustained "500 answers/s sustained" --candidates 5200 --think 10s --answers 8 \
    --drop 0.01 --target-ack-p99 50ms --target-throughput 500
  # Saturation: everyone answers as fast as acknowledgements come back.
  run saturation "Saturation: maximum durable answers/s" --candidates 1000 --saturate 30s \
    --drop 0 --target-throughput 15000
done
