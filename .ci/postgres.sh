#!/usr/bin/env bash
# Sourced by .ci/run: starts a throwaway PostgreSQL cluster for the storage tests and exports its URL as
# TUNESHARP_TEST_POSTGRES. Installs Debian's postgresql when no server binaries are found (CI runs as root on
# Debian 12). The cluster lives in a temporary folder, listens only on a Unix socket there (no TCP port to
# collide with), runs as the postgres user, and is stopped and deleted when the calling shell exits.

pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
  else
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
  fi
}

PG_BIN="$(pg_bin_dir)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "postgres: installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  PG_BIN="$(pg_bin_dir)"
fi

PG_TMP="$(mktemp -d /tmp/tunesharp-pg.XXXXXX)"
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_TMP" postgres
  chown postgres "$PG_TMP"
  as_pg() { su postgres -s /bin/sh -c "$*"; }
else
  as_pg() { sh -c "$*"; }
fi

stop_postgres() {
  as_pg "'$PG_BIN/pg_ctl' -D '$PG_TMP/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
trap stop_postgres EXIT

as_pg "'$PG_BIN/initdb' -D '$PG_TMP/data' -A trust -U postgres --no-sync" >/dev/null
as_pg "'$PG_BIN/pg_ctl' -D '$PG_TMP/data' -l '$PG_TMP/log' -w -o \"-k '$PG_TMP' -c listen_addresses='' -c max_connections=200 -c fsync=off\" start" >/dev/null
export TUNESHARP_TEST_POSTGRES="postgresql://postgres@localhost/postgres?host=$PG_TMP"
echo "postgres: throwaway cluster at $PG_TMP ($("$PG_BIN/postgres" --version))" >&2
