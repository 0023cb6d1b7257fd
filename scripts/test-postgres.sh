#!/usr/bin/env bash
# scripts/test-postgres.sh [COMMAND ARGS...]
#
# Runs COMMAND with a throwaway PostgreSQL server on 127.0.0.1 and MPAY_TEST_PG_URL pointing at it,
# then stops the server and deletes its files. Without COMMAND it runs the store tests:
#   npx vitest run test/provider/store
# Used by .ci/run around the test command, and by developers:
#   bash scripts/test-postgres.sh                       # the store tests, SQLite and PostgreSQL
#   bash scripts/test-postgres.sh npx vitest run test/provider/store.test.ts
#   bash scripts/test-postgres.sh bash                  # a shell with the server up ($MPAY_TEST_PG_URL)
#
# PostgreSQL comes from Debian's packages (installed with apt-get when missing and we are root).
# The cluster is made with initdb in a temporary folder (trust authentication, loopback only, its
# own Unix socket folder), so it touches no system cluster and needs no password. Environment:
#   MPAY_TEST_PG_PORT   TCP port (default: the first free one from 55432)
#   MPAY_TEST_PG_KEEP=1 keep the data folder after stopping (its path is printed)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "test-postgres: $*" >&2; }

pg_bin_dir() {
  local dir
  # The newest installed server version's binaries (Debian keeps them out of PATH).
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if ! bin="$(pg_bin_dir)"; then
  if [ "$(id -u)" != 0 ]; then say "PostgreSQL is not installed; run as root, or: apt-get install -y postgresql"; exit 1; fi
  say "installing Debian's postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bin="$(pg_bin_dir)" || { say "postgresql installed but no server binaries under /usr/lib/postgresql"; exit 1; }
fi

# initdb and postgres refuse to run as root: run them as the postgres user the package created.
run_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || { say "running as root but there is no postgres user"; exit 1; }
  run_pg=(runuser -u postgres --)
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port="${MPAY_TEST_PG_PORT:-}"
if [ -z "$port" ]; then
  port=55432
  while port_in_use "$port"; do port=$((port + 1)); done
elif port_in_use "$port"; then
  say "port $port (MPAY_TEST_PG_PORT) is already in use"; exit 1
fi

data="$(mktemp -d /tmp/mpay-test-pg.XXXXXX)"
chmod 700 "$data"
[ "$(id -u)" = 0 ] && chown postgres: "$data"

stop() {
  local code=$?
  "${run_pg[@]}" "$bin/pg_ctl" -D "$data/cluster" -m immediate stop >/dev/null 2>&1 || true
  if [ "${MPAY_TEST_PG_KEEP:-}" = 1 ]; then say "kept $data"; else rm -rf "$data"; fi
  exit "$code"
}
trap stop EXIT
trap 'exit 130' INT TERM

started=$(date +%s%N)
"${run_pg[@]}" "$bin/initdb" -D "$data/cluster" -U postgres --auth=trust --no-sync --encoding=UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 || {
  cat "$data/initdb.log" >&2; say "initdb failed"; exit 1; }
# Loopback only, a private socket folder, and enough connections for two provider processes with pools.
"${run_pg[@]}" "$bin/pg_ctl" -D "$data/cluster" -l "$data/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c max_connections=200" start >/dev/null || {
  cat "$data/server.log" >&2; say "the server did not start"; exit 1; }
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))

export MPAY_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') up on 127.0.0.1:$port in ${elapsed_ms} ms; MPAY_TEST_PG_URL=$MPAY_TEST_PG_URL"

if [ $# -eq 0 ]; then set -- npx vitest run test/provider/store; fi
"$@"
