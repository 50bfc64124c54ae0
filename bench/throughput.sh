#!/usr/bin/env bash
# API throughput (issue #8): the article endpoint of the real server, on a fresh demo database,
# beside nginx serving the very same JSON bytes from disk, in one run on this machine; wrk with
# 2 threads and 64 connections for DURATION seconds each (default 15). The server runs on
# SQLite, on PostgreSQL (issue #18: a throwaway cluster, bench/pg-cluster.sh), and as two
# servers on that PostgreSQL database, loaded at once by two wrk of 1 thread and 32 connections
# each (the rates are added, the worse p99 is given).
#
#   make build && bench/throughput.sh [DURATION]
#
# Needs wrk, nginx and postgresql (Debian packages); installs wrk and nginx when missing and
# allowed (root).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
port=${BENCH_PORT:-18190}
nginx_port=$((port + 1))
for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get install -y "$tool" >/dev/null
    else
      echo "bench/throughput.sh needs $tool (apt-get install $tool)" >&2
      exit 1
    fi
  fi
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
work=$(mktemp -d)
chmod 755 "$work"
source bench/pg-cluster.sh
server_pid= nginx_pid= pg_a_pid= pg_b_pid=
trap 'kill $server_pid $nginx_pid $pg_a_pid $pg_b_pid 2>/dev/null || true; pg_stop "$work/pg"; rm -rf "$work"' EXIT
pg_port=$((port + 2))
pg_a=$((port + 3))
pg_b=$((port + 4))

target/release/broadsheet-server --addr "127.0.0.1:$port" --db "$work/bench.db" --dist dist >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/sections" >/dev/null && break; sleep 0.1; done
# Not someone else's server on that port: ours must be the one that answered.
kill -0 "$server_pid" || { echo "the server did not start (is port $port in use?)" >&2; exit 1; }
slug=$(curl -sf "http://127.0.0.1:$port/api/articles?limit=1" | grep -o '"slug":"[^"]*"' | head -1 | cut -d'"' -f4)
url="http://127.0.0.1:$port/api/articles/$slug"
# The same server on PostgreSQL, twice: the first start makes the demo database.
pg_start "$work/pg" "$pg_port"
pg_url="postgres://postgres@127.0.0.1:$pg_port/broadsheet"
start_on_postgres() { # PORT
  target/release/broadsheet-server --addr "127.0.0.1:$1" --db "$pg_url" --dist dist >/dev/null 2>&1 &
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/api/sections" >/dev/null && break; sleep 0.1; done
}
start_on_postgres "$pg_a"
pg_a_pid=$!
start_on_postgres "$pg_b"
pg_b_pid=$!
kill -0 "$pg_a_pid" && kill -0 "$pg_b_pid" || { echo "the servers on PostgreSQL did not start" >&2; exit 1; }
for p in "$pg_a" "$pg_b"; do
  cmp <(curl -sf "$url") <(curl -sf "http://127.0.0.1:$p/api/articles/$slug") || {
    echo "the server on PostgreSQL answers other bytes" >&2
    exit 1
  }
done

mkdir -p "$work/www" "$work/logs"
curl -sf "$url" >"$work/www/article.json"
# nginx's workers run as an unprivileged user: they must be able to read the file.
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/article.json"

cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location = /article.json { default_type application/json; }
  }
}
CONF
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -g "daemon off;" 2>"$work/logs/nginx.out" &
nginx_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nginx_port/article.json" >/dev/null && break; sleep 0.1; done
cmp <(curl -sf "$url") <(curl -sf "http://127.0.0.1:$nginx_port/article.json") || {
  cat "$work/logs/"* >&2
  exit 1
}

run() {
  wrk -t2 -c64 -d"${duration}s" --latency "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    / 50%/ { p50 = $2 }
    END { printf "%s %s %s\n", rps, p50, p99 }'
}
read -r api_rps api_p50 api_p99 < <(run "$url")
read -r pg_rps pg_p50 pg_p99 < <(run "http://127.0.0.1:$pg_a/api/articles/$slug")
# Two servers at once: one wrk each, half the connections each.
run_half() {
  wrk -t1 -c32 -d"${duration}s" --latency "$1" | tee "$2.out" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    END { printf "%s %s\n", rps, p99 }' >"$2"
}
run_half "http://127.0.0.1:$pg_a/api/articles/$slug" "$work/two-a" &
two_pid=$!
run_half "http://127.0.0.1:$pg_b/api/articles/$slug" "$work/two-b"
wait "$two_pid"
# What went wrong, if anything (wrk counts errors and non-2xx answers apart).
grep -hE "errors|Non-2xx" "$work/two-a.out" "$work/two-b.out" >&2 || true
read -r two_a_rps two_a_p99 <"$work/two-a"
read -r two_b_rps two_b_p99 <"$work/two-b"
two_rps=$(awk -v a="$two_a_rps" -v b="$two_b_rps" 'BEGIN { printf "%.2f", a + b }')
read -r ngx_rps ngx_p50 ngx_p99 < <(run "http://127.0.0.1:$nginx_port/article.json")
bytes=$(wc -c <"$work/www/article.json")
echo "wrk -t2 -c64 -d${duration}s, article $slug ($bytes bytes of JSON), $(nproc) cores"
echo
echo "| server | requests/s | p50 | p99 |"
echo "| --- | ---: | ---: | ---: |"
echo "| broadsheet-server /api/articles/{slug} (SQLite) | $api_rps | $api_p50 | $api_p99 |"
echo "| the same on PostgreSQL, one server | $pg_rps | $pg_p50 | $pg_p99 |"
echo "| the same on PostgreSQL, two servers (two wrk at once) | $two_rps | - | $two_a_p99 / $two_b_p99 |"
echo "| nginx, the same bytes from disk | $ngx_rps | $ngx_p50 | $ngx_p99 |"
echo
awk -v a="$api_rps" -v n="$ngx_rps" 'BEGIN { printf "broadsheet / nginx = %.0f %% (goal >= 60 %%); p99 goal <= 10 ms\n", 100 * a / n }'
