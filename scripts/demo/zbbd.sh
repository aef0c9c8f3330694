# Starting and stopping the demo's zbbd; sourced by scripts/run.sh and scripts/run-postgres.sh,
# which set build_dir.

# start_zbbd_on NAME DATABASE CLOCK-START → zbbd_pid, address, console. The server's standard
# output goes to var/NAME.out, its log to var/NAME.log.
start_zbbd_on() {
  local name="$1" database="$2" clock="$3"
  rm -f "var/$name.out"
  "$build_dir/adapters/grpc/zbbd" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
    --database "$database" --policy workflows/zero_based_review.textproto \
    --tokens scripts/demo/tokens.json --clock-start "$clock" --scheduler-seconds 0 \
    >"var/$name.out" 2>>"var/$name.log" &
  zbbd_pid=$!
  # zbbd prints "zbbd listening on HOST:PORT" once it serves.
  for _ in $(seq 100); do
    grep -q "listening on" "var/$name.out" && break
    kill -0 "$zbbd_pid" 2>/dev/null || { cat "var/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  address="$(sed -n 's/.*listening on //p' "var/$name.out")"
  console="$(sed -n 's/.*console on //p' "var/$name.out")"
}

# stop_zbbd PID: SIGTERM, and wait until it has finished its calls and exited.
stop_zbbd() {
  kill -TERM "$1"
  wait "$1"
}
