#!/usr/bin/env bash
# The load benchmark in one command: builds zbbd and zbb-bench, then, ZBB_LOAD_RUNS times (5),
# runs every scenario with ZBB_LOAD_CLIENTS clients (16), each against a zbbd of its own on a
# fresh SQLite file under var/bench/load/, with the two floors (gRPC echo, raw SQLite inserts)
# measured in the same run; records zbbd's peak resident memory per scenario; then, if the
# million-line database of bench/supervision.sh exists, times zbbd's start-up on it (reads
# only). Ends with the medians over the runs, the ratios to the floors and the targets.
#
#   bash bench/load/run.sh                               # builds build/ (scripts' defaults)
#   ZBB_BUILD_DIR=build-load bash bench/load/run.sh      # reuses that build directory
#
# ZBB_LOAD_RUNS (5), ZBB_LOAD_CLIENTS (16), ZBB_LOAD_SECONDS (measured seconds per scenario,
# 10), ZBB_LOAD_RATE (paced calls per second, 1000), ZBB_LOAD_SCENARIOS (default: unary echo
# echo-process paced batch batch-atomic lifecycle lifecycle-batch sqlite), ZBB_LOAD_BIG_DB
# (var/bench/supervision-1000000.db),
# ZBB_LOAD_BIG_RUNS (zbbd starts on it, 3). Exit status: 0, or 2 when something could not run.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs="${ZBB_LOAD_RUNS:-5}"
clients="${ZBB_LOAD_CLIENTS:-16}"
seconds="${ZBB_LOAD_SECONDS:-10}"
rate="${ZBB_LOAD_RATE:-1000}"
scenarios="${ZBB_LOAD_SCENARIOS:-unary echo echo-process paced batch batch-atomic lifecycle lifecycle-batch sqlite}"
big_db="${ZBB_LOAD_BIG_DB:-var/bench/supervision-1000000.db}"
big_runs="${ZBB_LOAD_BIG_RUNS:-3}"
dir="var/bench/load"

build_dir="${ZBB_BUILD_DIR:-build}"
bash scripts/install-deps.sh
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${ZBB_BUILD_TYPE:-RelWithDebInfo}"
fi
# The test command may have left the benchmarks out of this build directory.
cmake -S . -B "$build_dir" -DZBB_BUILD_BENCH=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target zbbd zbb-bench
zbbd="$build_dir/adapters/grpc/zbbd"
bench="$build_dir/bench/load/zbb-bench"

mkdir -p "$dir"
rm -f "$dir"/run-*.jsonl "$dir"/run-*.txt

# Principals for every step (tokens.sh); the file lives as long as the benchmark's databases.
source bench/load/tokens.sh
tokens="$dir/tokens.json"
write_tokens "$tokens"

zbbd_pid=""
stop_zbbd() {
  if [ -n "$zbbd_pid" ]; then
    kill -TERM "$zbbd_pid" 2>/dev/null || true
    wait "$zbbd_pid" 2>/dev/null || true
    zbbd_pid=""
  fi
}
probe_pid=""
echo_pid=""
cleanup() {
  [ -n "$probe_pid" ] && kill "$probe_pid" 2>/dev/null || true
  [ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null || true
  stop_zbbd
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
status_kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$zbbd_pid/status"; }
mb() { echo $(($1 * 1024 / 1000000)); } # KiB → MB (10^6 bytes), the unit of the target

# Starts zbbd on $1 with the rest of the arguments added; waits for "listening" (60 s at most)
# and sets $address and $listening_ms (from exec to the line).
start_zbbd() {
  local database="$1"
  shift
  local started
  started=$(now_ms)
  "$zbbd" --database "$database" --tokens "$tokens" --policy workflows/zero_based_review.textproto \
    --escalation-seconds 0 --scheduler-seconds 0 "$@" >"$dir/zbbd.out" 2>"$dir/zbbd.log" &
  zbbd_pid=$!
  for _ in $(seq 12000); do
    grep -q "listening on" "$dir/zbbd.out" && break
    if ! kill -0 "$zbbd_pid" 2>/dev/null; then
      cat "$dir/zbbd.log" >&2
      exit 2
    fi
    sleep 0.005
  done
  grep -q "listening on" "$dir/zbbd.out" || {
    echo "zbbd did not start within 60 s" >&2
    exit 2
  }
  listening_ms=$(($(now_ms) - started))
  address="$(sed -n 's/.*listening on //p' "$dir/zbbd.out")"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;" \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- . ':!bench' 2>/dev/null || echo ' with uncommitted changes outside bench/');" \
  "$runs runs, $clients clients, $seconds s per scenario"

for run in $(seq "$runs"); do
  out="$dir/run-$run.jsonl"
  memory="{\"scenario\": \"zbbd-memory\""
  for scenario in $scenarios; do
    echo
    echo "######## run $run of $runs: $scenario (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    args=(--clients "$clients" --seconds "$seconds" --rate "$rate" --json)
    case "$scenario" in
      echo | sqlite)
        "$bench" run "$scenario" "${args[@]}" --sqlite-file "$dir/floor.db" | tee -a "$dir/run-$run.txt"
        rm -f "$dir/floor.db" "$dir/floor.db-wal" "$dir/floor.db-shm"
        ;;
      echo-process)
        # The same echo server in a process of its own, as zbbd is: in one process with the
        # 16 clients it answers markedly fewer calls (see README).
        "$bench" serve-echo >"$dir/echo.out" &
        echo_pid=$!
        for _ in $(seq 2000); do
          grep -q "listening on" "$dir/echo.out" && break
          sleep 0.005
        done
        "$bench" run echo "${args[@]}" --echo-address "$(sed -n 's/.*listening on //p' "$dir/echo.out")" |
          tee -a "$dir/run-$run.txt"
        kill -TERM "$echo_pid"
        wait "$echo_pid" || true
        echo_pid=""
        ;;
      *)
        # A fresh database and a zbbd of its own per scenario, so no scenario runs on what an
        # earlier one left. The clock starts on 20 January 2028: the bench lines are of fiscal
        # year 2027, whose Q2 checkpoint (as of 30 June) and self-evaluation (from 15 January of
        # the year after) are then both open, and whose spending is recorded until 31 January. The checkpoint scheduler is off: within a year past a checkpoint date it
        # would run the round over every executing bench line in the middle of the load (and
        # judge the unary lines, which spend 1 fen at a time, red — refusing their spending).
        # Escalation is off: no line falls due within a run, and the timer would only add its
        # rounds to the load (on the million-line database below it would write escalations).
        database="$dir/run.db"
        rm -f "$database" "$database-wal" "$database-shm"
        start_zbbd "$database" --listen 127.0.0.1:0 --clock-start 2028-01-20T09:00:00Z
        name="$scenario"
        extra=()
        case "$scenario" in
          batch-atomic) name=batch extra=(--atomic) ;;
          # Every step of the round's lines as PushEvents, item by item: the bulk way a
          # province's systems take lines through (100 lines a round, 16 clients).
          lifecycle-batch) name=lifecycle extra=(--lifecycle-sending batch --lifecycle-lines 100) ;;
        esac
        "$bench" run "$name" "${extra[@]}" "${args[@]}" --address "$address" --tokens "$tokens" |
          tee -a "$dir/run-$run.txt"
        hwm=$(status_kib VmHWM)
        rss=$(status_kib VmRSS)
        echo "zbbd resident memory: peak $(mb "$hwm") MB, now $(mb "$rss") MB;" \
          "$(grep -c '' "$dir/zbbd.log") log lines, $(grep -c ' error ' "$dir/zbbd.log" || true) errors" |
          tee -a "$dir/run-$run.txt"
        memory+=", \"${scenario}_vmhwm_mb\": $(mb "$hwm")"
        stop_zbbd
        ;;
    esac
  done
  grep '^{' "$dir/run-$run.txt" >"$out" || true
  echo "$memory}" >>"$out"
done
rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"

if [ -f "$big_db" ] && [ "$big_runs" -gt 0 ]; then
  echo
  echo "######## zbbd on $big_db ($(du -h --apparent-size "$big_db" | cut -f1)), reads only"
  for run in $(seq "$big_runs"); do
    # A port chosen here, so the probe can knock before zbbd says where it listens.
    port=""
    for _ in $(seq 100); do
      candidate=$((20000 + RANDOM % 20000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
      fi
    done
    [ -n "$port" ] || {
      echo "no free port found" >&2
      exit 2
    }
    cached="$(command -v fincore >/dev/null && fincore -n -o RES "$big_db" | tr -d ' ' || echo '?')"
    started_ns=$(date +%s%N)
    "$bench" probe --address "127.0.0.1:$port" --tokens "$tokens" --started-ns "$started_ns" \
      --json >"$dir/probe.txt" &
    probe_pid=$!
    # The data's as-of instant (bench/supervision.sh); nothing runs that could write.
    start_zbbd "$big_db" --listen "127.0.0.1:$port" --clock-start 2027-09-01T09:00:00Z
    wait "$probe_pid" || {
      probe_pid=""
      cat "$dir/probe.txt" "$dir/zbbd.log" >&2
      exit 2
    }
    probe_pid=""
    cat "$dir/probe.txt"
    hwm=$(status_kib VmHWM)
    rss=$(status_kib VmRSS)
    echo "zbbd: listening after $listening_ms ms; resident memory after the queries: peak" \
      "$(mb "$hwm") MB, now $(mb "$rss") MB (page cache held $cached of the file)"
    stop_zbbd
    grep '^{' "$dir/probe.txt" >>"$dir/run-$run.jsonl"
    echo "{\"scenario\": \"zbbd-1m\", \"listening_ms\": $listening_ms," \
      "\"vmhwm_mb\": $(mb "$hwm"), \"vmrss_mb\": $(mb "$rss")}" >>"$dir/run-$run.jsonl"
  done
elif [ "$big_runs" -gt 0 ]; then
  echo
  echo "######## $big_db not found: start-up on a million lines not measured" \
    "(bash bench/supervision.sh generates it)"
else
  echo
  echo "######## start-up on a million lines not measured (ZBB_LOAD_BIG_RUNS=0)"
fi

echo
"$bench" report "$dir"/run-*.jsonl | tee "$dir/report.txt"
