#!/usr/bin/env bash
# make test: install what is missing, start a throwaway redis-server on a free
# port, run the whole suite with the race detector, stop the server.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
chromium_bin=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium_bin" ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    chromium_bin=$(command -v chromium || command -v chromium-browser || true)
  else
    echo "missing: ${need[*]} (run as root to install them with apt-get)" >&2
    exit 1
  fi
fi

free_port() {
  local p
  for _ in $(seq 1 200); do
    # Below the kernel's ephemeral range (32768+), so no outgoing connection
    # takes the port between this check and the server's bind.
    p=$(( 23000 + RANDOM % 7000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_redis PORT DIR [ARGS...]: a throwaway redis-server that fsyncs every write.
start_redis() {
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' \
    --appendonly yes --appendfsync always --daemonize no --logfile "$dir/redis.log" "$@" &
  pids+=($!)
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server on port $port did not start:" >&2
  cat "$dir/redis.log" >&2
  return 1
}

port=$(free_port)
start_redis "$port" "$work/standalone"

# A Sentinel watching the standalone server, for the Sentinel client path.
sentinel_port=$(free_port)
mkdir -p "$work/sentinel"
cat >"$work/sentinel/sentinel.conf" <<CONF
port $sentinel_port
bind 127.0.0.1
dir $work/sentinel
sentinel monitor accredit 127.0.0.1 $port 1
CONF
redis-server "$work/sentinel/sentinel.conf" --sentinel --logfile "$work/sentinel/sentinel.log" &
pids+=($!)
sentinel_ok=
for _ in $(seq 1 100); do
  if redis-cli -p "$sentinel_port" sentinel get-master-addr-by-name accredit 2>/dev/null | grep -q "$port"; then
    sentinel_ok=1; break
  fi
  sleep 0.1
done
if [ -z "$sentinel_ok" ]; then
  echo "redis sentinel on port $sentinel_port did not start:" >&2
  cat "$work/sentinel/sentinel.log" >&2 || true
  exit 1
fi

# free_cluster_port prints a free port whose cluster bus port (port + 10000)
# is free too, both below the ephemeral range.
free_cluster_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 2700 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/$((p + 10000))) 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  return 1
}

# A three-master Redis Cluster, so the hash-tagged key layout is proven.
cluster=()
for i in 1 2 3; do
  p=$(free_cluster_port)
  while [ "$p" = "$port" ] || [ "$p" = "$sentinel_port" ] || [[ " ${cluster[*]} " == *" $p "* ]]; do p=$(free_cluster_port); done
  # The cluster bus listens on port + 10000; keep it inside the valid range.
  start_redis "$p" "$work/cluster$i" --cluster-enabled yes --cluster-config-file "$work/cluster$i/nodes.conf"
  cluster+=("$p")
done
redis-cli --cluster create "127.0.0.1:${cluster[0]}" "127.0.0.1:${cluster[1]}" "127.0.0.1:${cluster[2]}" \
  --cluster-replicas 0 --cluster-yes >"$work/cluster-create.log" 2>&1 || { cat "$work/cluster-create.log" >&2; exit 1; }
cluster_ok=
for _ in $(seq 1 100); do
  if redis-cli -p "${cluster[0]}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
    cluster_ok=1; break
  fi
  sleep 0.1
done
[ -n "$cluster_ok" ] || { echo "redis cluster did not reach cluster_state:ok" >&2; exit 1; }

export ACCREDIT_TEST_REDIS="redis://127.0.0.1:$port/0"
export ACCREDIT_TEST_REDIS_CLUSTER="redis://127.0.0.1:${cluster[0]},127.0.0.1:${cluster[1]},127.0.0.1:${cluster[2]}?cluster=1"
export ACCREDIT_TEST_REDIS_SENTINEL="redis://127.0.0.1:$sentinel_port/0?master=accredit"
export ACCREDIT_REQUIRE_REDIS=1
export ACCREDIT_CHROMIUM="$chromium_bin"
export ACCREDIT_REQUIRE_BROWSER=1
echo "redis-server on 127.0.0.1:$port, sentinel on $sentinel_port, cluster on ${cluster[*]}, chromium at $chromium_bin"

go vet ./...
go test -race -timeout 12m ./...
