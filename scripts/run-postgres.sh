#!/usr/bin/env bash
# The demo of scripts/run.sh on PostgreSQL: installs what is missing, builds, starts a local
# throw-away PostgreSQL server (its files in var/postgresql, on 127.0.0.1), three zbbd on its
# database, and runs the demo scenario through zbbctl spreading its calls over the three
# (round robin). Then checks the audit trail on each server, stops them and the database server.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
build_dir="${ZBB_BUILD_DIR:-build}"
zbbctl="$build_dir/adapters/cli/zbbctl"
mkdir -p var
source scripts/demo/zbbd.sh

# A new database server each run; stopped (and its files removed) however the demo ends.
bash scripts/postgres-server.sh stop "$PWD/var/postgresql" 2>/dev/null || true
database="$(bash scripts/postgres-server.sh start "$PWD/var/postgresql")"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; bash scripts/postgres-server.sh stop "$PWD/var/postgresql"' EXIT
echo "PostgreSQL serves $database (files in var/postgresql)"

# start_three CLOCK-START → pids, servers ("ADDRESS,ADDRESS,ADDRESS", zbbctl's round robin)
start_three() {
  local addresses=()
  for n in 1 2 3; do
    start_zbbd_on "zbbd-$n" "$database" "$1"
    pids+=("$zbbd_pid")
    addresses+=("$address")
    echo "zbbd $n serves on $address, its clock from $1 (log: var/zbbd-$n.log)"
  done
  servers="$(IFS=,; echo "${addresses[*]}")"
}
rm -f var/zbbd-1.log var/zbbd-2.log var/zbbd-3.log

# The clocks of scripts/run.sh: the year in one minute, then after its final accounts.
start_three 2028-01-20T09:00:00Z
bash scripts/demo/scenario.sh "$zbbctl" "$servers"
stop_all
echo
start_three 2028-02-01T09:00:00Z
bash scripts/demo/after_final_accounts.sh "$zbbctl" "$servers"
echo
echo "== Every server verifies the whole audit trail on the shared database"
for address in ${servers//,/ }; do
  ZBB_TOKEN=demo-token-supervisor-lin "$zbbctl" --server "$address" verify | tail -n 1
done
stop_all
echo
echo "the three zbbd stopped cleanly; the PostgreSQL server is stopped and var/postgresql removed."
