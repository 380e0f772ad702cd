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
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

work=$(mktemp -d)
redis_pid=
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=$(free_port)
redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save '' \
  --appendonly yes --appendfsync always --daemonize no --logfile "$work/redis.log" &
redis_pid=$!
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$port" ping >/dev/null

export ACCREDIT_TEST_REDIS="redis://127.0.0.1:$port/0"
export ACCREDIT_CHROMIUM="$chromium_bin"
export ACCREDIT_REQUIRE_BROWSER=1
echo "redis-server on 127.0.0.1:$port, chromium at $chromium_bin"

go vet ./...
go test -race -timeout 12m ./...
