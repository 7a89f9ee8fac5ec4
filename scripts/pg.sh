# A private PostgreSQL 15 cluster under /tmp, for scripts/test.sh and scripts/bench.sh.
# Source it, then `pg_start [server options]`: sets PG_PORT and stops the cluster (and
# removes it) on exit, also when the caller fails. `pg_restart [server options]` restarts
# it with other settings (the benchmark loads with fsync off, then measures with it on).
PG_BIN=/usr/lib/postgresql/15/bin

pg_install_if_missing() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL 15 ontbreekt; installeren: apt-get install -y postgresql-15" >&2
    if [ "$(id -u)" = "0" ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
    else
      exit 1
    fi
  fi
}

_pg_cleanup() {
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}

_pg_ctl_start() {
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDIR $*" -w start >/dev/null
}

pg_start() {
  pg_install_if_missing
  # Under /tmp, not the clone: the postgres user must be able to reach it.
  PGDIR="$(mktemp -d /tmp/ketenregie-pg.XXXXXX)"
  PG_AS=()
  if [ "$(id -u)" = "0" ]; then
    chown postgres:postgres "$PGDIR"
    PG_AS=(runuser -u postgres --)
  fi
  chmod 700 "$PGDIR"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  trap _pg_cleanup EXIT
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  _pg_ctl_start "$@"
}

pg_restart() {
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null
  _pg_ctl_start "$@"
}
