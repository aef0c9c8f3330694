# What the shell tests share (sourced): zbbd started on free loopback ports with its HTTP side
# on, over a database in the test's directory, with the demo's policy and tokens; stopped with
# SIGTERM. The sourcing script sets source_dir, build_dir and work.

zbbd_pid=""

# start_zbbd EXTRA-FLAGS… → zbbd_pid, grpc_address, console_url; appends zbbd's log to
# $work/zbbd.log.
start_zbbd() {
  "$build_dir/adapters/grpc/zbbd" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
    --database "$work/zbb.db" --policy "$source_dir/workflows/zero_based_review.textproto" \
    --tokens "$source_dir/scripts/demo/tokens.json" --scheduler-seconds 0 "$@" \
    >"$work/zbbd.out" 2>>"$work/zbbd.log" &
  zbbd_pid=$!
  for _ in $(seq 100); do
    grep -q "listening on" "$work/zbbd.out" && break
    kill -0 "$zbbd_pid" 2>/dev/null || { cat "$work/zbbd.log" >&2; exit 1; }
    sleep 0.1
  done
  grpc_address="$(sed -n 's/.*listening on //p' "$work/zbbd.out")"
  console_url="$(sed -n 's/.*console on //p' "$work/zbbd.out")"
}

stop_zbbd() {
  kill -TERM "$zbbd_pid"
  wait "$zbbd_pid"
}
