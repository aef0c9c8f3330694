#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests and the PostgreSQL demo: its data in DIR, on
# 127.0.0.1 only, with trust authentication for the one superuser `zbb`.
#
#   postgres-server.sh start DIR   initdb (when DIR holds no cluster) and start; prints the URL
#                                  and writes it to DIR/url
#   postgres-server.sh url DIR     the URL of the server started in DIR
#   postgres-server.sh restart DIR restart it (fast shutdown: every connection is cut)
#   postgres-server.sh stop DIR    stop it (fast shutdown) and remove DIR
#
# PostgreSQL refuses to run as root: as root (CI), the server runs as Debian's `postgres` user,
# which the postgresql package creates. The port is the first free one from 55432 up.
set -euo pipefail

command="${1:?usage: postgres-server.sh start|url|restart|stop DIR}"
dir="${2:?usage: postgres-server.sh start|url|restart|stop DIR}"

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
    port=55432
    while port_in_use "$port"; do port=$((port + 1)); done
    echo "$port" >"$dir/port"
    # fsync and synchronous_commit stay on: the tests check what a commit promises.
    as_owner "$bin_dir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" \
      -o "-c max_connections=200 -c shared_buffers=64MB" start >/dev/null || {
      cat "$dir/server.log" >&2
      exit 1
    }
    "$bin_dir/psql" -q -h 127.0.0.1 -p "$port" -U zbb -d postgres \
      -c "CREATE DATABASE zbb" >/dev/null 2>&1 || true
    url_of "$dir" | tee "$dir/url"
    ;;
  url)
    url_of "$dir"
    ;;
  restart)
    # Every connection is cut, as in a failover; the server comes back on the same port.
    as_owner "$bin_dir/pg_ctl" -D "$dir/data" -m fast -w restart >/dev/null
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
