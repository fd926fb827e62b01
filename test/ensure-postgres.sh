#!/bin/sh
# Starts a throwaway PostgreSQL cluster for the API tests on the PostgreSQL back end and prints its
# URL. Loopback only, trust authentication, no fsync: test data, never production. The cluster
# lives in LUNGANG_PG_DIR (default /tmp/lungang-pg) on port LUNGANG_PG_PORT (default 55432) and is
# reused while it runs. PostgreSQL itself comes from Debian (test/ensure-system-tools.sh installs
# it as root); postgres refuses to run as root, so as root the cluster belongs to the postgres user.
set -eu

dir=${LUNGANG_PG_DIR:-/tmp/lungang-pg}
port=${LUNGANG_PG_PORT:-55432}
url="postgres://lungang@127.0.0.1:$port/postgres"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "ensure-postgres: PostgreSQL is not installed (apt-get install postgresql, or run test/ensure-system-tools.sh as root)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

if [ -f "$dir/data/PG_VERSION" ] && as_owner "'$bin/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
  echo "$url"
  exit 0
fi

mkdir -p "$dir"
[ "$(id -u)" = "0" ] && chown postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  # C collation: names sort by code point, as in SQLite.
  as_owner "'$bin/initdb' -D '$dir/data' -U lungang --auth=trust --no-locale -E UTF8" >/dev/null
fi
as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w start -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300\"" >/dev/null
echo "$url"
