#!/usr/bin/env bash
# Installs what is missing, builds, starts zbbd on a fresh embedded SQLite database and runs the
# demo scenario through zbbctl against it: a dozen budget lines of four departments taken
# through every step of zero-based review. Then stops zbbd cleanly (SIGTERM).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
build_dir="${ZBB_BUILD_DIR:-build}"
mkdir -p var
rm -f var/zbb.db var/zbb.db-wal var/zbb.db-shm

# The demo shows a whole fiscal year in a minute: zbbd's clock starts on 20 January 2028, after
# fiscal year 2027 and before its final accounts close (31 January), so the checkpoints (the
# dual-monitoring one as of 30 June), spending and the self-evaluation (from 15 January) are
# open. Its own rounds are off: the scenario runs the 30 June round itself, after
# the payments. Then zbbd is stopped and started again on the same database with its clock on
# 1 February 2028, once the final accounts have closed, for the lines to be closed.
source scripts/demo/zbbd.sh
zbbd_pid=""
start_zbbd() {  # start_zbbd CLOCK-START → zbbd_pid, address
  start_zbbd_on zbbd var/zbb.db "$1"
  echo "zbbd serves on $address, its clock from $1 (log: var/zbbd.log, database: var/zbb.db)"
  echo "its console: $console (sign in with a token of scripts/demo/tokens.json)"
}
rm -f var/zbbd.log
trap 'kill -TERM "$zbbd_pid" 2>/dev/null || true' EXIT

start_zbbd 2028-01-20T09:00:00Z
bash scripts/demo/scenario.sh "$build_dir/adapters/cli/zbbctl" "$address"
# What an operator's Prometheus reads after the year (a supervisor's token): var/metrics.txt.
curl -sS -H "Authorization: Bearer demo-token-supervisor-lin" "${console}metrics" >var/metrics.txt
echo
echo "== A scrape of /metrics (var/metrics.txt), cut: commits, lines by state, stuck lines"
grep -E '^zbb_(commit_group_batches_(count|sum)|commit_seconds_(count|sum)|lines\{|stuck_lines\{|lines_escalated)' \
  var/metrics.txt
stop_zbbd "$zbbd_pid"
echo
start_zbbd 2028-02-01T09:00:00Z
bash scripts/demo/after_final_accounts.sh "$build_dir/adapters/cli/zbbctl" "$address"
stop_zbbd "$zbbd_pid"
trap - EXIT
echo
echo "zbbd stopped cleanly; every event is in var/zbb.db."
echo "To browse the demo county in the console, serve it again and open http://127.0.0.1:8080/"
echo "(the supervisor's token is demo-token-supervisor-lin):"
echo "  $build_dir/adapters/grpc/zbbd --database var/zbb.db --tokens scripts/demo/tokens.json \\"
echo "    --http-listen 127.0.0.1:8080 --clock-start 2028-02-01T09:00:00Z \\"
echo "    --scheduler-seconds 0 --escalation-seconds 0"
