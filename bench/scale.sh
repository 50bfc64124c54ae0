#!/usr/bin/env bash
# The scale benchmark (issue #16): a newsroom's archive — 100,000 articles, 10,000,000 views over
# the last 7 days, 100,000 comments (20,000 on one article) — made by src/bin/broadsheet-scale.rs
# and imported with the server's own `import` (timed), then every page and API read measured
# with wrk (2 threads, 64 connections, DURATION seconds each) against the release server on that
# database and, in the same run, on the demo database. The origin alone: no cache in front.
#
#   make bench-scale            (or: make build && bench/scale.sh [DURATION])
#
# The archive is made once and kept in target/scale/ (delete it to make it again). Needs wrk
# (Debian's package; installed when missing and allowed).
#
# Stores (issue #18): SQLite, then PostgreSQL (a throwaway cluster, bench/pg-cluster.sh) with
# each SQLite database copied in by `broadsheet-server migrate` (timed); BENCH_STORES=sqlite or
# =postgres runs one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=${BENCH_PORT:-18290}
work=target/scale
mkdir -p "$work"
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y wrk >/dev/null
  else
    echo "bench/scale.sh needs wrk (apt-get install wrk)" >&2
    exit 1
  fi
fi
server=target/release/broadsheet-server
scale=target/release/broadsheet-scale

# The archive, once.
if [ ! -f "$work/scale.db" ]; then
  rm -f "$work"/scale.db*
  echo "making 100,000 articles…"
  "$scale" articles --count 100000 --out "$work/articles.json"
  echo "importing them ($(du -h "$work/articles.json" | cut -f1) of JSON)…"
  # In files of 2,500 articles: one import file may be 16 MiB at most (import/document.rs).
  rm -rf "$work/parts" && mkdir -p "$work/parts"
  python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); [json.dump(a[i:i+2500], open(f"{sys.argv[2]}/{i:06d}.json","w")) for i in range(0,len(a),2500)]' \
    "$work/articles.json" "$work/parts"
  start=$(date +%s%N)
  for part in "$work"/parts/*.json; do
    "$server" --db "$work/scale.db" --no-demo import "$part" >/dev/null
  done
  ms=$((($(date +%s%N) - start) / 1000000))
  echo "import of 100,000 articles: $((ms / 1000)).$((ms % 1000 / 100)) s" | tee "$work/import-time.txt"
  echo "adding a week of views and comments…"
  "$scale" activity --db "$work/scale.db"
fi
rm -rf "$work/demo.db"*

stores=${BENCH_STORES:-sqlite postgres}
pg_dir=
pid=
trap 'kill $pid 2>/dev/null || true; [ -n "$pg_dir" ] && { pg_stop "$pg_dir"; rm -rf "$pg_dir"; }' EXIT

start_server() { # DB
  "$server" --addr "127.0.0.1:$port" --db "$1" --dist dist >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/api/sections" >/dev/null && return; sleep 0.1; done
  echo "the server did not start" >&2
  cat "$work/server.log" >&2
  exit 1
}

# wrk over URLS (one path a line: each connection takes them in turn), printing "rps p50 p99".
# With PAUSE (ms), each connection waits after every answer before it asks again, a random
# time from 0 to twice PAUSE (the same pause for all would keep the 64 in step, arriving as one
# burst): a load of at most 64,000 / PAUSE requests a second, not as many as the server answers.
measure() { # NAME PATHS-FILE [SECONDS] [PAUSE]
  cat >"$work/paths.lua" <<LUA
local paths, i = {}, 0
for line in io.lines("$2") do paths[#paths + 1] = line end
-- Each of wrk's threads starts at its own place in the list (with many addresses, the threads
-- do not ask for the same one at the same time).
local threads = 0
setup = function(thread) thread:set("id", threads); threads = threads + 1 end
init = function() i = math.floor((id or 0) * #paths / 2) end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
  if [ -n "${4:-}" ]; then
    echo "delay = function() return math.random(0, 2 * $4) end" >>"$work/paths.lua"
  fi
  wrk -t2 -c64 -d"${3:-$duration}s" --latency -s "$work/paths.lua" "http://127.0.0.1:$port" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%s %s %s %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }'
}

declare -A RESULT
kinds="article home section modules front json comments deep search_common search_rare search_korean search_page2 search_varied search_paced tag author tagjson authorjson feed sectionfeed tagfeed sitemap sitemappart news"
run_all() { # LABEL DB [SQLITE-FILE, for the probe, when DB is a PostgreSQL copy of it]
  local label=$1 db=$2
  eval "$("$scale" probe --db "${3:-$db}")"
  start_server "$db"
  local p="$work/p"
  IFS=, read -r -a popular <<<"$POPULAR"
  printf '/article/%s\n' "${popular[@]}" >"$p.article"
  echo / >"$p.home"
  echo "/section/$SECTION" >"$p.section"
  printf '/api/modules?article=%s\n' "${popular[@]}" >"$p.modules"
  echo /api/front >"$p.front"
  printf '/api/articles/%s\n' "${popular[@]}" >"$p.json"
  echo "/api/articles/$HOT/comments" >"$p.comments"
  echo "/api/articles/$HOT/comments?cursor=$DEEP_CURSOR" >"$p.deep"
  echo /feed.xml >"$p.feed"
  echo "/section/$SECTION/atom.xml" >"$p.sectionfeed"
  echo "$TAG/feed.json" >"$p.tagfeed"
  echo /sitemap.xml >"$p.sitemap"
  echo /sitemaps/articles-1.xml >"$p.sitemappart"
  echo /sitemaps/news.xml >"$p.news"
  # One article sitemap built from nothing (the server keeps it ready for a second).
  sleep 1.1
  RESULT[$label.sitemapcold]=$(curl -s -o "$work/sitemap.xml" -w '%{time_total} s' "http://127.0.0.1:$port/sitemaps/articles-1.xml")
  RESULT[$label.sitemapcold]+=", $(grep -o '<url>' "$work/sitemap.xml" | wc -l) URLs, $(($(stat -c %s "$work/sitemap.xml") / 1024)) KiB"
  IFS=, read -r -a tags <<<"$TAGS"
  IFS=, read -r -a authors <<<"$AUTHORS"
  printf '/tag/%s\n' "${tags[@]}" >"$p.tag"
  printf '/author/%s\n' "${authors[@]}" >"$p.author"
  printf '/api/tags/%s?limit=12\n' "${tags[@]}" >"$p.tagjson"
  printf '/api/authors/%s?limit=12\n' "${authors[@]}" >"$p.authorjson"
  # Search (issue #19): a word in nearly every story, a word in twenty, a Korean word found
  # inside longer ones (서울 in 서울에서), and the common word's second page.
  echo "/api/search?q=council" >"$p.search_common"
  echo "/api/search?q=lighthouse" >"$p.search_rare"
  echo "/api/search?q=%EC%84%9C%EC%9A%B8" >"$p.search_korean"
  local next
  next=$(curl -sf "http://127.0.0.1:$port/api/search?q=council" |
    python3 -c 'import json,sys; c=json.load(sys.stdin).get("next_cursor"); print("&cursor="+c if c else "")')
  echo "/api/search?q=council$next" >"$p.search_page2"
  # 10,000 different searches, two words each, from the newest 500 headlines: each is asked
  # again only every two seconds or more (at 5,000 a second), so the server's one-second
  # copies do not answer and the index does the work.
  local cursor=
  for page in $(seq 10); do
    curl -sf "http://127.0.0.1:$port/api/articles?limit=50${cursor:+&cursor=$cursor}" >"$work/latest-$page.json"
    cursor=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("next_cursor") or "")' "$work/latest-$page.json")
    [ -n "$cursor" ] || break
  done
  python3 - "$work" >"$p.search_varied" <<'PY'
import glob, json, random, re, sys, urllib.parse
words = sorted({w.lower() for f in glob.glob(sys.argv[1] + "/latest-*.json")
                for a in json.load(open(f))["items"] for w in re.findall(r"\w{3,}", a["headline"])})
rng, queries = random.Random(19), set()
while len(queries) < min(10000, len(words) * (len(words) - 1) // 2):
    queries.add(" ".join(rng.sample(words, 2)))
for q in sorted(queries, key=lambda _: rng.random()):
    print("/api/search?q=" + urllib.parse.quote(q))
PY
  rm -f "$work"/latest-*.json
  # The same searches at a pace: 64 readers, each searching again 0-400 ms after an answer
  # (200 ms on average: at most 320 a second). A week of 10,000,000 views is 17 a second, a breaking-news peak
  # perhaps ten times that: this is every view of such a peak, twice over, a search no cache
  # has seen. The row above asks as fast as answers come, which measures capacity.
  cp "$p.search_varied" "$p.search_paced"
  for kind in $kinds; do
    local pause=
    [ "$kind" = search_paced ] && pause=200
    # Warm up on the same addresses (steady state is measured: the first reads of an article
    # compute its modules, kept for a minute), then measure.
    measure "$kind" "$p.$kind" 3 $pause >/dev/null
    RESULT[$label.$kind]=$(measure "$kind" "$p.$kind" "$duration" $pause)
  done
  RESULT[$label.rss]=$(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$pid/status")
  RESULT[$label.size]="$ARTICLES articles, $WEEK_VIEWS views this week, $COMMENTS comments"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

# The demo database: made by the server on its first start.
"$server" --db "$work/demo.db" --addr "127.0.0.1:$port" --dist dist >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/sections" >/dev/null && break; sleep 0.1; done
kill "$pid"
wait "$pid" 2>/dev/null || true

labels=()
if [[ " $stores " == *" sqlite "* ]]; then
  run_all demo "$work/demo.db"
  run_all scale "$work/scale.db"
  labels+=(sqlite:demo:scale)
fi
if [[ " $stores " == *" postgres "* ]]; then
  source bench/pg-cluster.sh
  pg_dir=$(mktemp -d)
  pg_port=$((port + 1))
  pg_start "$pg_dir" "$pg_port"
  rm -f "$work/migrate-time.txt"
  "${pg_owner[@]}" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE demo"
  for name in demo scale; do
    start=$(date +%s%N)
    "$server" migrate --from "$work/$name.db" --to "postgres://postgres@127.0.0.1:$pg_port/${name/scale/broadsheet}" >"$work/migrate-$name.txt"
    ms=$((($(date +%s%N) - start) / 1000000))
    echo "migrate of the $name database to PostgreSQL: $((ms / 1000)).$((ms % 1000 / 100)) s" | tee -a "$work/migrate-time.txt"
  done
  run_all pg-demo "postgres://postgres@127.0.0.1:$pg_port/demo" "$work/demo.db"
  run_all pg-scale "postgres://postgres@127.0.0.1:$pg_port/broadsheet" "$work/scale.db"
  labels+=(postgres:pg-demo:pg-scale)
fi

for entry in "${labels[@]}"; do
IFS=: read -r store demo scale_label <<<"$entry"
echo
echo "$store: wrk -t2 -c64 -d${duration}s --latency, $(nproc) cores; demo: ${RESULT[$demo.size]}; scale: ${RESULT[$scale_label.size]}"
if [ "$store" = sqlite ]; then
  echo "$(cat "$work/import-time.txt" 2>/dev/null || echo 'import: (made earlier)')"
else
  cat "$work/migrate-time.txt"
fi
echo
echo "| request | demo req/s | demo p50 | demo p99 | scale req/s | scale p50 | scale p99 | scale / demo |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A names=([article]='article page `/article/{slug}`' [home]='home `/`' [section]='section front `/section/{slug}`'
  [modules]='`/api/modules?article=`' [front]='`/api/front`' [json]='article JSON `/api/articles/{slug}`'
  [comments]='comments, page 1' [deep]='comments, a deep page' [feed]='home feed `/feed.xml`'
  [sectionfeed]='section feed `/section/{slug}/atom.xml`' [tagfeed]='tag feed `/tag/{tag}/feed.json` (the biggest tag)'
  [sitemap]='sitemap index `/sitemap.xml`' [sitemappart]='article sitemap `/sitemaps/articles-1.xml`'
  [news]='news sitemap `/sitemaps/news.xml`'
  [tag]='tag page `/tag/{tag}` (20 busiest tags)' [author]='author page `/author/{slug}` (20 busiest)'
  [tagjson]='`/api/tags/{tag}?limit=12`' [authorjson]='`/api/authors/{slug}?limit=12`'
  [search_common]='search, a common word' [search_rare]='search, a rare word'
  [search_korean]='search, Korean (서울)' [search_page2]='search, a common word, page 2'
  [search_varied]='search, 10,000 different pairs of words'
  [search_paced]='search, the same 10,000, 64 readers each pausing 0–400 ms (≤ 320/s)')
for kind in $kinds; do
  read -r d_rps d_p50 d_p99 d_bad <<<"${RESULT[$demo.$kind]}"
  read -r s_rps s_p50 s_p99 s_bad <<<"${RESULT[$scale_label.$kind]}"
  ratio=$(awk -v s="$s_rps" -v d="$d_rps" 'BEGIN { printf "%.2f", s / d }')
  bad=
  [ "$d_bad$s_bad" != 00 ] && bad=" (non-2xx: $d_bad / $s_bad)"
  echo "| ${names[$kind]}$bad | $d_rps | $d_p50 | $d_p99 | $s_rps | $s_p50 | $s_p99 | $ratio |"
done
echo
echo "server peak memory (VmHWM; PostgreSQL's own processes not counted): demo ${RESULT[$demo.rss]}, scale ${RESULT[$scale_label.rss]}"
echo "one article sitemap built cold (curl): demo ${RESULT[$demo.sitemapcold]}; scale ${RESULT[$scale_label.sitemapcold]}"
done
