#!/usr/bin/env bash
# zbbd on PostgreSQL under load: unary PushEvent and item-by-item PushEvents of 1,000 with 1, 2
# and 3 zbbd sharing one PostgreSQL database (zbb-bench's clients spread over them, round
# robin), beside the same two scenarios on one zbbd over SQLite, the gRPC echo floor (a process
# of its own) and two raw PostgreSQL insert floors (pgbench: one event-sized row per
# transaction, and 1,000 per transaction), all in the same run, ZBB_LOAD_RUNS times (3).
# Records throughput, p99 and the CPU time per event of the zbbd processes and of PostgreSQL
# (the server's processes, from /proc), and ends with the medians and the targets:
#   one zbbd on PostgreSQL ≥ 50 % of one zbbd on SQLite (unary); three zbbd ≥ one (unary, batch).
#
#   bash bench/load/postgresql.sh
#   ZBB_LOAD_RUNS=5 ZBB_LOAD_SECONDS=10 ZBB_BUILD_DIR=build-load bash bench/load/postgresql.sh
#
# ZBB_LOAD_CLIENTS (16), ZBB_LOAD_SECONDS (measured seconds per scenario, 10). The PostgreSQL
# server is a throw-away one (scripts/postgres-server.sh, files in var/bench/postgresql,
# removed at the end); each scenario runs on a schema of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs="${ZBB_LOAD_RUNS:-3}"
clients="${ZBB_LOAD_CLIENTS:-16}"
seconds="${ZBB_LOAD_SECONDS:-10}"
dir="var/bench/postgresql-load"
pg_dir="$PWD/var/bench/postgresql"

build_dir="${ZBB_BUILD_DIR:-build}"
bash scripts/install-deps.sh
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${ZBB_BUILD_TYPE:-RelWithDebInfo}"
fi
cmake -S . -B "$build_dir" -DZBB_BUILD_BENCH=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target zbbd zbb-bench
zbbd="$build_dir/adapters/grpc/zbbd"
bench="$build_dir/bench/load/zbb-bench"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

mkdir -p "$dir"
rm -f "$dir"/run-*.jsonl "$dir"/run-*.txt
source bench/load/tokens.sh
tokens="$dir/tokens.json"
write_tokens "$tokens"

bash scripts/postgres-server.sh stop "$pg_dir" 2>/dev/null || true
database="$(bash scripts/postgres-server.sh start "$pg_dir")"
pids=()
echo_pid=""
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  [ -n "$echo_pid" ] && kill "$echo_pid" 2>/dev/null || true
  bash scripts/postgres-server.sh stop "$pg_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port="$(cat "$pg_dir/port")"
psql_do() { "$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U zbb -d zbb -v ON_ERROR_STOP=1 "$@"; }

# CPU time (clock ticks, user + system) of a process, 0 once it is gone; with `children`, that of
# its children it has reaped too (a PostgreSQL backend's, once its connection has ended).
ticks_of() {
  awk -v reaped="${2:-}" '{ print $14 + $15 + (reaped == "children" ? $16 + $17 : 0) }' \
    "/proc/$1/stat" 2>/dev/null || echo 0
}
# The PostgreSQL server's processes: the postmaster (with the backends it has reaped) and its
# children (a backend per connection, the writer, the WAL writer, the checkpointer …).
pg_pids() { echo "$(postmaster)" $(pgrep -P "$(postmaster)"); }
postmaster() { head -n 1 "$pg_dir/data/postmaster.pid"; }
declare -A before
snapshot() {  # snapshot PID... : remembers each one's ticks
  before=()
  for pid in "$@"; do before[$pid]=$(ticks_of "$pid" "$([ "$pid" = "$(postmaster)" ] && echo children)"); done
}
spent_seconds() {  # spent_seconds PID... : CPU seconds since the snapshot (whole life if newer)
  local total=0
  for pid in "$@"; do
    total=$((total + $(ticks_of "$pid" "$([ "$pid" = "$(postmaster)" ] && echo children)") - ${before[$pid]:-0}))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

# start_servers N DATABASE: N zbbd on DATABASE → pids, addresses ("A,B,C")
start_servers() {
  local n="$1" db="$2" list=()
  pids=()
  for i in $(seq "$n"); do
    "$zbbd" --database "$db" --tokens "$tokens" --policy workflows/zero_based_review.textproto \
      --listen 127.0.0.1:0 --clock-start 2028-01-20T09:00:00Z --escalation-seconds 0 \
      --scheduler-seconds 0 >"$dir/zbbd-$i.out" 2>"$dir/zbbd-$i.log" &
    pids+=($!)
    for _ in $(seq 2000); do
      grep -q "listening on" "$dir/zbbd-$i.out" && break
      kill -0 "${pids[-1]}" 2>/dev/null || { cat "$dir/zbbd-$i.log" >&2; exit 2; }
      sleep 0.005
    done
    list+=("$(sed -n 's/.*listening on //p' "$dir/zbbd-$i.out")")
  done
  addresses="$(IFS=,; echo "${list[*]}")"
}
stop_servers() {
  for pid in "${pids[@]}"; do kill -TERM "$pid"; done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  pids=()
}

# run_zbbd NAME SCENARIO SERVERS DATABASE [zbb-bench args]: one measured scenario; its JSON line
# with the CPU seconds of zbbd and of PostgreSQL added.
run_zbbd() {
  local name="$1" scenario="$2" n="$3" db="$4"
  shift 4
  start_servers "$n" "$db"
  local server_pids=("${pids[@]}") pg
  pg="$(pg_pids)"
  snapshot "${server_pids[@]}" $pg
  local line
  line="$("$bench" run "$scenario" --clients "$clients" --seconds "$seconds" --json \
    --address "$addresses" --tokens "$tokens" "$@" | grep '^{' | tail -n 1)"
  local zbbd_s pg_s
  zbbd_s="$(spent_seconds "${server_pids[@]}")"
  pg_s="$(spent_seconds $(pg_pids))"
  stop_servers
  echo "$line" | jq -c --arg name "$name" --argjson servers "$n" --argjson zbbd "$zbbd_s" \
    --argjson pg "$pg_s" '. + {scenario: $name, servers: $servers, zbbd_cpu_s: $zbbd,
      postgresql_cpu_s: $pg}'
}
fresh_schema() {  # called as $(fresh_schema): a name no earlier call took
  local schema="bench_$(date +%s%N)"
  psql_do -c "CREATE SCHEMA $schema"
  echo "$database?options=-csearch_path%3D$schema"
}

# The insert floors: rows like the event log's, into a table of their own.
cat >"$dir/floor-one.sql" <<'SQL'
INSERT INTO floor_events (line_id, line_sequence, type, payload, actor, at_ms, request_id, hash)
VALUES ('YQ-2027-JT-' || (random() * 1000)::int, 1, 'record_spending', '\x0a0b0c0d'::bytea,
        'bench.treasury', 1800000000000, md5(random()::text), md5(random()::text));
SQL
cat >"$dir/floor-batch.sql" <<'SQL'
INSERT INTO floor_events (line_id, line_sequence, type, payload, actor, at_ms, request_id, hash)
SELECT 'YQ-2027-JT-' || (i % 1000), i, 'record_spending', '\x0a0b0c0d'::bytea,
       'bench.treasury', 1800000000000, md5(random()::text), md5(i::text)
FROM generate_series(1, 1000) AS i;
SQL
run_floor() {  # run_floor NAME SCRIPT ROWS-PER-TRANSACTION
  psql_do -c "DROP TABLE IF EXISTS floor_events" -c "CREATE TABLE floor_events (
    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, line_id text NOT NULL,
    line_sequence bigint NOT NULL, type text NOT NULL, payload bytea NOT NULL, actor text NOT NULL,
    at_ms bigint NOT NULL, request_id text NOT NULL, hash text NOT NULL)"
  local pg
  pg="$(pg_pids)"
  snapshot $pg
  local out
  out="$("$pg_bin/pgbench" -n -h 127.0.0.1 -p "$port" -U zbb -c "$clients" -j 2 -T "$seconds" \
    -r -f "$2" zbb 2>&1)"
  local pg_s tps p_latency
  pg_s="$(spent_seconds $(pg_pids))"
  tps="$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
  p_latency="$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')"
  jq -nc --arg name "$1" --argjson tps "$tps" --argjson rows "$3" --argjson pg "$pg_s" \
    --argjson seconds "$seconds" --argjson latency "$p_latency" \
    '{scenario: $name, servers: 0, calls_per_s: $tps, units_per_s: ($tps * $rows),
      units: ($tps * $rows * $seconds), avg_ms: $latency, zbbd_cpu_s: 0, postgresql_cpu_s: $pg}'
}

echo "machine: $(nproc) cores; commit $(git rev-parse --short HEAD); $runs runs, $clients clients," \
  "$seconds s per scenario; PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}')" \
  "(synchronous_commit on, fsync on)"
for run in $(seq "$runs"); do
  out="$dir/run-$run.jsonl"
  echo
  echo "######## run $run of $runs"
  "$bench" serve-echo >"$dir/echo.out" &
  echo_pid=$!
  for _ in $(seq 2000); do
    grep -q "listening on" "$dir/echo.out" && break
    sleep 0.005
  done
  "$bench" run echo --clients "$clients" --seconds "$seconds" --json \
    --echo-address "$(sed -n 's/.*listening on //p' "$dir/echo.out")" | grep '^{' |
    jq -c '. + {servers: 0}' >>"$out"
  kill -TERM "$echo_pid"
  wait "$echo_pid" || true
  echo_pid=""
  run_floor postgresql-insert "$dir/floor-one.sql" 1 >>"$out"
  run_floor postgresql-insert-1000 "$dir/floor-batch.sql" 1000 >>"$out"
  rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
  run_zbbd unary-sqlite unary 1 "$dir/run.db" >>"$out"
  rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
  # A call of 1,000 items waits behind the other clients' calls: a deadline long enough that
  # throughput is measured, not timeouts.
  run_zbbd batch-sqlite batch 1 "$dir/run.db" --deadline-ms 120000 >>"$out"
  rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
  for n in 1 2 3; do
    run_zbbd "unary-postgresql-$n" unary "$n" "$(fresh_schema)" >>"$out"
    run_zbbd "batch-postgresql-$n" batch "$n" "$(fresh_schema)" --deadline-ms 120000 >>"$out"
  done
  jq -r '[.scenario, (.units_per_s // .calls_per_s | floor), (.p99_ms // .avg_ms // "-"),
          .zbbd_cpu_s, .postgresql_cpu_s, (.failures // 0)] | @tsv' "$out" |
    column -t -N "scenario,events/s,p99 ms (floors: mean),zbbd cpu s,postgresql cpu s,failures"
done

echo
echo "######## medians over $runs runs"
jq -s -r '
  group_by(.scenario) | map({
    scenario: .[0].scenario,
    rate: (map(.units_per_s // .calls_per_s) | sort | .[length / 2 | floor]),
    p99: (map(.p99_ms // .avg_ms // 0) | sort | .[length / 2 | floor]),
    zbbd_us: (map(if (.units // 0) > 0 then (.zbbd_cpu_s // 0) * 1e6 / .units else 0 end) | sort | .[length / 2 | floor]),
    pg_us: (map(if (.units // 0) > 0 then (.postgresql_cpu_s // 0) * 1e6 / .units else 0 end) | sort | .[length / 2 | floor])
  }) | .[] | [.scenario, (.rate | floor), (.p99 * 100 | round / 100), (.zbbd_us | round),
               (.pg_us | round)] | @tsv' "$dir"/run-*.jsonl |
  column -t -N "scenario,events/s,p99 ms (floors: mean),zbbd CPU µs/event,PostgreSQL CPU µs/event" |
  tee "$dir/report.txt"
median() { jq -s "map(select(.scenario == \"$1\") | (.units_per_s // .calls_per_s)) | sort | .[length / 2 | floor]" "$dir"/run-*.jsonl; }
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }
{
  echo
  echo "one zbbd on PostgreSQL / one on SQLite, unary: $(ratio unary-postgresql-1 unary-sqlite) (target ≥ 50 %)"
  echo "three zbbd / one, on PostgreSQL, unary: $(ratio unary-postgresql-3 unary-postgresql-1) (target ≥ 100 %)"
  echo "three zbbd / one, on PostgreSQL, batch: $(ratio batch-postgresql-3 batch-postgresql-1) (target ≥ 100 %)"
  echo "one zbbd on PostgreSQL / the insert floor, unary: $(ratio unary-postgresql-1 postgresql-insert)"
  echo "one zbbd on PostgreSQL, unary / the echo floor: $(ratio unary-postgresql-1 echo-process-unary)"
} | tee -a "$dir/report.txt"
