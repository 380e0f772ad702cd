#!/usr/bin/env bash
# make bench: the standard load scenarios, each written to
# bench/results/<scenario>-<store>.md with the machine, the exact command,
# the figures and how they compare with the targets of docs/bench.md. The
# load generator runs on the same machine as the node it starts, over
# loopback only. Every scenario ends with the loss check; a lost answer
# fails the script.
#
#   make bench                               all scenarios, embedded store (and Redis if installed)
#   CANDIDATES=3000 make bench               a smaller start scenario
#   STORES=bolt SCENARIOS="start" make bench one store, one scenario
#   SCENARIOS=marking make bench             role-play marking alongside a sitting
#   STORES=redis SCENARIOS=faults make bench  a node killed, Redis restarted and stalled under load
set -euo pipefail
cd "$(dirname "$0")/.."
n=${CANDIDATES:-10000}
scenarios=${SCENARIOS:-"start sustained saturation marking faults"}
want_stores=${STORES:-"bolt redis"}
mkdir -p bin bench/results
go build -o bin/accredit ./cmd/accredit
go build -o bin/accredit-load ./cmd/accredit-load
# 10,000 connections need 10,000 descriptors in the server and as many in
# the load generator (which raises its own limit too, and the server it
# starts inherits it).
ulimit -n "$(ulimit -Hn)"
echo "open-file limit: $(ulimit -n)"

work=$(mktemp -d)
redis_pid=
cleanup() { if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

stores=()
for s in $want_stores; do
  case $s in
  bolt) stores+=("bolt:$work/bench.db") ;;
  redis)
    if ! command -v redis-server >/dev/null; then
      echo "redis-server not installed: Redis scenarios skipped" >&2
      continue
    fi
    port=$((20000 + RANDOM % 20000))
    # Durable like the embedded store: every write in the append-only file,
    # fsynced before the reply.
    redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save '' --appendonly yes \
      --appendfsync always --daemonize no --logfile "$work/redis.log" &
    redis_pid=$!
    for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    stores+=("redis://127.0.0.1:$port/0")
    ;;
  esac
done

# run SCENARIO TITLE ARGS...: one scenario on a fresh, empty store.
run() {
  local scenario=$1 title=$2
  shift 2
  if [ "$kind" = redis ]; then redis-cli -p "$port" flushall >/dev/null; fi
  rm -f "$work/bench.db"
  echo "== $scenario on $kind"
  ./bin/accredit-load --spawn ./bin/accredit --store "$store" --title "$title ($kind)" \
    --out "bench/results/$scenario-$kind.md" "$@"
}

for store in "${stores[@]}"; do
  kind=${store%%:*}
  for scenario in $scenarios; do
    case $scenario in
    start)
      # Everyone connected to one node and started by one release; then one
      # answer each at a candidate's pace (20 s on average), so the start
      # is measured on its own.
      run start "$n candidates on one node, synchronised start" --candidates "$n" \
        --think 20s --answers 1 --drop 0.01 --target-start-p99 3s --target-rss 40
      ;;
    sustained)
      # 500 answers/s for 60 s: 5,100 candidates answering 9.8 s apart on
      # average (exponential, mean 10 s, capped at 40 s) offer 519/s; the
      # first 5 s after the release (the start itself) are left out.
      run sustained "500 answers/s sustained for 60 s" --candidates 5100 --think 10s \
        --warmup 5s --duration 60s --drop 0.01 --target-ack-p99 50ms --target-throughput 500
      ;;
    saturation)
      # Everyone answers as soon as the last answer is acknowledged, for
      # 30 s after a 3 s warmup: the most durable answers/s the node gives.
      # 1,000 candidates keep 1,000 answers in flight, each under the
      # 20 frames/s a connection may send.
      run saturation "Saturation: maximum durable answers/s" --candidates 1000 \
        --saturate 30s --warmup 3s --drop 0 --target-throughput 15000
      ;;
    marking)
      # 200 assessors (100 double-marked stations in circuits of 10) each
      # mark the candidate at their station, a change every 3 s on average
      # (about 65 changes/s while all are marking, ten times a real
      # assessor's pace), and submit: a sheet of about 10 changes takes 30 s
      # on average, the slowest about 55 s. Meanwhile 1,000 candidates answer
      # every 10 s (about 100 answers/s) for 60 s; the first 5 s after the
      # release are left out of both latencies. About 65 s a store.
      run marking "Role-play marking: 200 assessors beside 1,000 candidates" --candidates 1000 \
        --think 10s --warmup 5s --duration 60s --drop 0.01 --assessors 200 --circuit-stations 10 \
        --mark-think 3s --mark-drop 0.02 --mark-offline 3 --target-mark-ack-p99 100ms --target-ack-p99 50ms
      ;;
    faults)
      # Three nodes on one redis-server that accredit-load starts itself
      # (it restarts and stalls it), 300 candidates answering every 2 s
      # (about 150 answers/s) for 90 s and 50 assessors marking a change
      # every 8 s; 20 s after the release the third node is killed
      # (SIGKILL), at 40 s redis-server is stopped and started again on the
      # same port and AOF directory, at 60 s it is stalled for 6 s (SIGSTOP,
      # SIGCONT). Every candidate and assessor must resume and submit, and
      # the loss check must be clean. About 2.5 minutes, on 127.0.0.1.
      if [ "$kind" != redis ]; then
        echo "== faults: Redis only, skipped on $kind"
        continue
      fi
      echo "== faults on redis"
      ./bin/accredit-load --spawn ./bin/accredit --spawn-nodes 3 --redis-server "$(command -v redis-server)" \
        --title "Faults: a node killed, Redis restarted and stalled under load (redis)" \
        --out bench/results/faults-redis.md --candidates "${FAULT_CANDIDATES:-300}" --think 2s \
        --warmup 5s --duration 90s --drop 0.01 --assessors 50 --circuit-stations 5 --mark-think 8s \
        --mark-drop 0.02 --mark-offline 3 --kill-node-at 20s --restart-redis-at 40s \
        --stall-redis-at 60s --stall-for 6s
      ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
  done
done
