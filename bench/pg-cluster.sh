# A throwaway PostgreSQL cluster for the benchmarks, sourced by throughput.sh and scale.sh:
# Debian's server programs, initdb in a folder of the caller's, one database `broadsheet`, on
# 127.0.0.1:PORT. Durability settings are left at PostgreSQL's defaults (fsync on), as SQLite's
# are at FULL: the figures compare stores as they would run. As `nobody` when run as root
# (PostgreSQL refuses root).
#
#   source bench/pg-cluster.sh; pg_start DIR PORT; …; pg_stop DIR   (DIR's parents must let
#   `nobody` through)

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "the Postgres benchmarks need PostgreSQL's server programs: apt-get install postgresql" >&2
  exit 1
fi
pg_owner=()
if [ "$(id -u)" = 0 ]; then
  pg_owner=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi

pg_start() { # DIR PORT
  local dir=$1 port=$2
  mkdir -p "$dir"
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown 65534:65534 "$dir"
  "${pg_owner[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log"
  cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
CONF
  "${pg_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start >/dev/null
  "${pg_owner[@]}" "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE broadsheet"
}

pg_stop() { # DIR
  [ -d "$1/data" ] && "${pg_owner[@]}" "$pg_bin/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
}
