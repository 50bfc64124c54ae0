#!/usr/bin/env bash
# A cache in front (issue #17): wrk through Varnish (our VCL, deploy/varnish/) on an article page
# and on its JSON, each beside Varnish serving a static file of the very same bytes (from nginx,
# kept by the same Varnish), in one run; and how many requests reached the origin per 10,000
# reader requests, with the origin's s-maxage at 1 s.
#
#   make build && bench/cache.sh [DURATION]
#
# Needs wrk, nginx and varnish (Debian packages); installs them when missing and allowed (root).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
origin_port=${BENCH_PORT:-18290}
static_port=$((origin_port + 1))
port=$((origin_port + 2))
for tool in wrk nginx varnishd; do
  if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get install -y "${tool/varnishd/varnish}" >/dev/null
    else
      echo "bench/cache.sh needs $tool" >&2
      exit 1
    fi
  fi
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
work=$(mktemp -d)
chmod 755 "$work"
server_pid= nginx_pid= varnish_pid=
trap '{ kill $server_pid $nginx_pid $varnish_pid; wait; } 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"

target/release/broadsheet-server --addr "127.0.0.1:$origin_port" --db "$work/bench.db" --dist dist \
  --public-url "$base" --trusted-proxy 127.0.0.1 --purge "$base/" --s-maxage 1 >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$origin_port/api/sections" >/dev/null && break; sleep 0.1; done
kill -0 "$server_pid" || { echo "the server did not start (is port $origin_port in use?)" >&2; exit 1; }

mkdir -p "$work/www/static" "$work/logs"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$static_port;
    root $work/www;
    location /static/ { add_header Cache-Control "public, s-maxage=3600"; }
    location = /static/article.json { default_type application/json; add_header Cache-Control "public, s-maxage=3600"; }
    location = /static/article.html { default_type text/html; add_header Cache-Control "public, s-maxage=3600"; }
  }
}
CONF
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -g "daemon off;" 2>"$work/logs/nginx.out" &
nginx_pid=$!

cat >"$work/site.vcl" <<VCL
vcl 4.1;
backend default {
  .host = "127.0.0.1"; .port = "$origin_port";
  .probe = { .url = "/api/sections"; .interval = 1s; .timeout = 1s; .window = 3; .threshold = 2; .initial = 2; }
}
backend static { .host = "127.0.0.1"; .port = "$static_port"; }
acl purgers { "127.0.0.1"; }
sub broadsheet_host { set req.http.host = "127.0.0.1:$port"; }
# Before the rules: their vcl_recv returns.
sub vcl_recv { if (req.url ~ "^/static/") { set req.backend_hint = static; } }
include "$PWD/deploy/varnish/broadsheet.vcl";
VCL
varnishd -F -n "$work/varnish" -a "127.0.0.1:$port" -f "$work/site.vcl" -s malloc,256m \
  -p http_gzip_support=off >"$work/logs/varnish.out" 2>&1 &
varnish_pid=$!
for _ in $(seq 100); do curl -sf "$base/api/sections" >/dev/null && break; sleep 0.1; done

slug=$(curl -sf "$base/api/articles?limit=1" | grep -o '"slug":"[^"]*"' | head -1 | cut -d'"' -f4)
curl -sf "$base/api/articles/$slug" >"$work/www/static/article.json"
curl -sf "$base/article/$slug" >"$work/www/static/article.html"
chmod -R a+rX "$work/www"
cmp <(curl -sf "$base/api/articles/$slug") <(curl -sf "$base/static/article.json")
cmp <(curl -sf "$base/article/$slug") <(curl -sf "$base/static/article.html")

backend_req() {
  varnishstat -n "$work/varnish" -1 -f MAIN.backend_req | awk '{ print $2 }'
}
run() {
  wrk -t2 -c64 -d"${duration}s" --latency "$1" | awk '
    /requests in/ { n = $1 }
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    / 50%/ { p50 = $2 }
    END { printf "%s %s %s %s\n", rps, p50, p99, n }'
}
row() { # name url
  local before after rps p50 p99 n
  before=$(backend_req)
  read -r rps p50 p99 n < <(run "$2")
  after=$(backend_req)
  printf '%s|%s|%s|%s|%s|%s\n' "$1" "$rps" "$p50" "$p99" "$n" "$((after - before))"
}
rows=$(
  row "article page, through Varnish" "$base/article/$slug"
  row "the same bytes as a static file, through Varnish" "$base/static/article.html"
  row "article JSON, through Varnish" "$base/api/articles/$slug"
  row "the same JSON as a static file, through Varnish" "$base/static/article.json"
)
echo "wrk -t2 -c64 -d${duration}s through Varnish $(varnishd -V 2>&1 | head -1 | cut -d' ' -f2 | tr -d '('), origin --s-maxage 1, $(nproc) cores"
echo
echo "| request | requests/s | p50 | p99 | requests | to the origin | per 10,000 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "$rows" | awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %.2f |\n", $1, $2, $3, $4, $5, $6, 10000 * $6 / $5 }'
echo
echo "$rows" | awk -F'|' '
  NR == 1 { page = $2 } NR == 2 { spage = $2 } NR == 3 { json = $2 } NR == 4 { sjson = $2 }
  END { printf "page / static = %.0f %%, JSON / static = %.0f %% (goal >= 90 %%)\n", 100 * page / spage, 100 * json / sjson }'
