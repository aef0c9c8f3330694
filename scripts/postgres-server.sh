#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests and the PostgreSQL demo: its data in DIR, on
# 127.0.0.1 only, with trust authentication for the one superuser `zbb`.
#
#   postgres-server.sh start DIR   initdb (when DIR holds no cluster) and start; prints the URL
#                                  and writes it to DIR/url
#   postgres-server.sh url DIR     the URL of the server started in DIR
#   postgres-server.sh restart DIR restart it (fast shutdown: every connection is cut)
#   postgres-server.sh stop DIR    stop it (fast shutdown) and remove DIR
#   postgres-server.sh standby DIR PRIMARY
#                                  a synchronous streaming standby of the server in PRIMARY
#                                  (pg_basebackup), started; the primary then waits for it on
#                                  every commit. Prints the two-host connection string that
#                                  reaches whichever of the two takes writes.
#   postgres-server.sh crash DIR   stop it at once, as a machine that dies (immediate shutdown)
#   postgres-server.sh promote DIR make the standby in DIR the primary
#
# PostgreSQL refuses to run as root: as root (CI), the server runs as Debian's `postgres` user,
# which the postgresql package creates. The port is the first free one from 25432 up.
set -euo pipefail

usage="usage: postgres-server.sh start|url|restart|stop|crash|promote DIR, or standby DIR PRIMARY"
command="${1:?$usage}"
dir="${2:?$usage}"

bin_dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bin_dir/initdb" ] || {
  echo "postgres-server.sh: no PostgreSQL server found under /usr/lib/postgresql" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url_of() {
  echo "postgresql://zbb@127.0.0.1:$(cat "$1/port")/zbb"
}

# Choosing a free port and binding it are one step for the servers started at once (tests run in
# parallel): held until this script ends, never passed on to the server itself.
lock_ports() {
  exec 9>>"${TMPDIR:-/tmp}/zbb-postgres-server-$(id -u).lock"
  flock 9
}

# Below Linux's ephemeral range (32768 and up), which a client's connection may hold a port of
# without listening on it: a port nobody answers on may still not be free to bind.
free_port() {  # free_port FROM
  local port="$1"
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

start_server() {  # start_server DIR PORT: 0 once it serves
  as_owner "$bin_dir/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$2 -c unix_socket_directories=$1" \
    -o "-c max_connections=200 -c shared_buffers=64MB" start >/dev/null 9>&-
}

# start_on_free_port DIR: starts the server of DIR on a free port, written to DIR/port; a port
# taken meanwhile (by something else than these scripts) is skipped.
start_on_free_port() {
  local from=25432 port
  lock_ports
  for _ in $(seq 20); do
    port="$(free_port "$from")"
    echo "$port" >"$1/port"
    rm -f "$1/server.log"
    start_server "$1" "$port" && return 0
    grep -q "could not bind" "$1/server.log" || break
    from=$((port + 1))
  done
  cat "$1/server.log" >&2
  exit 1
}

case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin_dir/initdb" -D "$dir/data" -U zbb --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
      }
    fi
    # fsync and synchronous_commit stay on: the tests check what a commit promises.
    start_on_free_port "$dir"
    port="$(cat "$dir/port")"
    "$bin_dir/psql" -q -h 127.0.0.1 -p "$port" -U zbb -d postgres \
      -c "CREATE DATABASE zbb" >/dev/null 2>&1 || true
    url_of "$dir" | tee "$dir/url"
    ;;
  url)
    url_of "$dir"
    ;;
  restart)
    # Every connection is cut, as in a failover; the server comes back on the same port.
    as_owner "$bin_dir/pg_ctl" -D "$dir/data" -m fast -w restart >/dev/null 9>&-
    ;;
  standby)
    primary="${3:?$usage}"
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    primary_port="$(cat "$primary/port")"
    # -R: the copy starts as a standby streaming from the primary (initdb's pg_hba lets
    # replication in from 127.0.0.1 with trust).
    # -c fast: a checkpoint at once, not spread over minutes.
    as_owner "$bin_dir/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U zbb -D "$dir/data" -R -c fast \
      -X stream >"$dir/basebackup.log" 2>&1 || {
      cat "$dir/basebackup.log" >&2
      exit 1
    }
    start_on_free_port "$dir"
    port="$(cat "$dir/port")"
    # Every commit on the primary now waits until the standby has it.
    "$bin_dir/psql" -q -h 127.0.0.1 -p "$primary_port" -U zbb -d postgres \
      -c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "SELECT pg_reload_conf()" >/dev/null
    echo "host=127.0.0.1,127.0.0.1 port=$primary_port,$port user=zbb dbname=zbb target_session_attrs=read-write"
    ;;
  crash)
    as_owner "$bin_dir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
  promote)
    as_owner "$bin_dir/pg_ctl" -D "$dir/data" -w promote >/dev/null 9>&-
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin_dir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "postgres-server.sh: unknown command $command" >&2
    exit 2
    ;;
esac
