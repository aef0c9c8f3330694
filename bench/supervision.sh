#!/usr/bin/env bash
# The supervision benchmark in one command: builds, generates the million-line database once
# (var/bench/, reused while it is complete), starts zbbd on it, times FindStuck and Summarize
# through gRPC with zbb-supervision-bench, stops zbbd; reports zbbd's start-up time on the big
# database and the database's size. Exit status: the benchmark's (0 pass, 1 a target or a plan
# failed, 2 it could not run).
#
#   bash bench/supervision.sh                              # builds build/ with scripts/build.sh
#   ZBB_BUILD_DIR=build-bench bash bench/supervision.sh    # builds only the bench's targets there
#
# ZBB_BENCH_LINES (1000000), ZBB_BENCH_RUNS (timed calls per query, 50), ZBB_BENCH_REPEAT
# (zbbd starts and benchmark runs, 1), ZBB_BENCH_DEPARTMENT (default: the most stuck one),
# ZBB_BENCH_VERIFY_ALL=1 (also VerifyAudit every line, once, after the first run: minutes),
# ZBB_BENCH_COLD=1 (drop the database file from the page cache before each zbbd start).
set -euo pipefail
cd "$(dirname "$0")/.."

lines="${ZBB_BENCH_LINES:-1000000}"
runs="${ZBB_BENCH_RUNS:-50}"
repeat="${ZBB_BENCH_REPEAT:-1}"
department="${ZBB_BENCH_DEPARTMENT:-}"
verify_all="${ZBB_BENCH_VERIFY_ALL:-0}"
cold="${ZBB_BENCH_COLD:-0}"
as_of="2027-09-01T09:00:00Z"
dir="var/bench"
database="$dir/supervision-$lines.db"

if [ -n "${ZBB_BUILD_DIR:-}" ] && [ -f "$ZBB_BUILD_DIR/CMakeCache.txt" ]; then
  build_dir="$ZBB_BUILD_DIR"
  # The test command may have left the benchmarks out of this build directory.
  cmake -S . -B "$build_dir" -DZBB_BUILD_BENCH=ON >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" \
    --target zbbd zbb-make-supervision-db zbb-supervision-bench
else
  bash scripts/build.sh
  build_dir="${ZBB_BUILD_DIR:-build}"
fi
zbbd="$build_dir/adapters/grpc/zbbd"
make_db="$build_dir/bench/zbb-make-supervision-db"
bench="$build_dir/bench/zbb-supervision-bench"

mkdir -p "$dir"
if "$make_db" --check --lines "$lines" --database "$database" --as-of "$as_of"; then
  echo "reusing $database"
else
  rm -f "$database" "$database-wal" "$database-shm"
  "$make_db" --lines "$lines" --database "$database" --as-of "$as_of" |
    tee "$dir/generate-$lines.log"
fi
echo "database: $database, $(du -h --apparent-size "$database" | cut -f1)" \
  "($(stat -c %s "$database") bytes)"

# A supervisor known only by the digest of a token made up for this run.
token="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
digest="$(printf %s "$token" | sha256sum | cut -d' ' -f1)"
printf '{"principals": [{"name": "bench.supervisor", "roles": ["supervisor"], %s}]}\n' \
  "\"token_sha256\": \"$digest\"" >"$dir/tokens.json"

zbbd_pid=""
stop_zbbd() {
  if [ -n "$zbbd_pid" ]; then
    kill -TERM "$zbbd_pid" 2>/dev/null || true
    wait "$zbbd_pid" 2>/dev/null || true
    zbbd_pid=""
  fi
}
trap stop_zbbd EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

status=0
for run in $(seq "$repeat"); do
  echo
  echo "== zbbd start and benchmark $run of $repeat"
  # zbbd's clock starts at the instant the data describes. Its SLA escalation timer stays on
  # (the default, as in production): its first round, at start-up, must find nothing to
  # escalate on the generated database, and lines falling due while the benchmark runs are
  # escalated as they would be. The Q2 checkpoint scheduler is off: the database holds no
  # report of this year's round, so zbbd would try to run it for all executing lines at once.
  if [ "$cold" = 1 ]; then
    # Only this file's pages leave the cache (posix_fadvise DONTNEED), nobody else's.
    dd if="$database" iflag=nocache count=0 status=none
    echo "database file dropped from the page cache"
  fi
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
  if command -v fincore >/dev/null; then
    echo "page cache holds $(fincore -n -o RES "$database" | tr -d ' ') of the database file"
  fi
  started=$(now_ms)
  "$zbbd" --listen 127.0.0.1:0 --database "$database" --tokens "$dir/tokens.json" \
    --policy workflows/zero_based_review.textproto --clock-start "$as_of" \
    --scheduler-seconds 0 >"$dir/zbbd.out" 2>"$dir/zbbd.log" &
  zbbd_pid=$!
  for _ in $(seq 6000); do
    grep -q "listening on" "$dir/zbbd.out" && break
    kill -0 "$zbbd_pid" 2>/dev/null || {
      cat "$dir/zbbd.log" >&2
      exit 2
    }
    sleep 0.005
  done
  grep -q "listening on" "$dir/zbbd.out" || {
    echo "zbbd did not start within 30 s" >&2
    exit 2
  }
  ready=$(now_ms)
  address="$(sed -n 's/.*listening on //p' "$dir/zbbd.out")"
  echo "zbbd listening on $address after $((ready - started)) ms on $database"

  verify=()
  [ "$verify_all" = 1 ] && [ "$run" = 1 ] && verify=(--verify-all)
  "$bench" --address "$address" --token "$token" --database "$database" --runs "$runs" \
    ${department:+--department "$department"} "${verify[@]}" || status=$?

  echo "zbbd resident memory after the benchmark: $(($(ps -o rss= -p "$zbbd_pid") / 1024)) MiB"
  stopping=$(now_ms)
  stop_zbbd
  escalations="$(grep -c 'lines escalated' "$dir/zbbd.log" || true)"
  errors="$(grep -c ' error ' "$dir/zbbd.log" || true)"
  echo "zbbd stopped in $(($(now_ms) - stopping)) ms; escalation rounds that escalated lines:" \
    "$escalations, errors logged: $errors"
done
exit "$status"
