#!/usr/bin/env bash
# Importing a feed (issue #15): a made-up RSS 2.0 feed of ITEMS items (default 500), each with a
# `content:encoded` body of the shape news sites send (paragraphs with bold, italic and links, a
# heading, a quote with its cite, a list, a figure with a caption, a script and an iframe to drop)
# and a lead `media:content`, written by the Python below (one seed, the same feed every time) and
# imported by the release server's own `import` into a fresh database: the first import creates
# every article, the second updates them all. Each is run RUNS times (default 5); the median
# wall-clock time is printed.
#
#   cargo build --release -p broadsheet-server && bench/import.sh [ITEMS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-500}
runs=${2:-5}
server=${BROADSHEET_SERVER:-target/release/broadsheet-server}
work=target/bench-import
rm -rf "$work"
mkdir -p "$work"

python3 - "$items" > "$work/feed.xml" <<'PY'
import random, sys
from xml.sax.saxutils import escape
random.seed(15)
n = int(sys.argv[1])
words = ("harbour council budget storm rail vote school river market energy court "
         "museum festival hospital bridge election water housing climate police").split()
def sentence(k):
    return " ".join(random.choice(words) for _ in range(k)).capitalize() + "."
print('<?xml version="1.0" encoding="UTF-8"?>')
print('<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">')
print('<channel><title>Bench Gazette</title><link>https://bench.example/</link><description>b</description>')
for i in range(n):
    paras = "".join(
        f"<p>{sentence(12)} <b>{sentence(3)}</b> <a href=\"https://bench.example/{i}/{j}\">{sentence(4)}</a> "
        f"<em>{sentence(5)}</em> {sentence(20)}</p>" for j in range(8))
    body = (paras + f"<h2>{sentence(4)}</h2><blockquote><p>{sentence(15)}</p><cite>{sentence(2)}</cite></blockquote>"
            f"<ul><li>{sentence(6)}</li><li>{sentence(6)}</li><li>{sentence(6)}</li></ul>"
            f"<figure><img src=\"https://img.bench.example/{i}.jpg\" alt=\"{sentence(4)}\" width=\"1200\" height=\"800\">"
            f"<figcaption>{sentence(8)}</figcaption></figure><script>track({i})</script>"
            f"<iframe src=\"https://video.example/{i}\"></iframe>" + paras)
    day = 1 + i % 28
    print(f"<item><guid>https://bench.example/story/{i}</guid><title>{escape(sentence(8))}</title>"
          f"<link>https://bench.example/2026/12/story-{i}-{'-'.join(random.sample(words, 4))}</link>"
          f"<description>{escape(sentence(25))}</description>"
          f"<content:encoded><![CDATA[{body}]]></content:encoded>"
          f"<dc:creator>{sentence(2)[:-1]}</dc:creator><category>World</category><category>{random.choice(words)}</category>"
          f"<pubDate>Tue, {day:02d} Dec 2026 {i % 24:02d}:00:00 +0100</pubDate>"
          f"<media:content url=\"https://img.bench.example/lead-{i}.jpg\" type=\"image/jpeg\" width=\"1600\" height=\"900\"/></item>")
print("</channel></rss>")
PY
echo "feed: $items items, $(wc -c < "$work/feed.xml") bytes"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" > "$work/out.txt"
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
first=() again=()
for _ in $(seq "$runs"); do
  rm -f "$work"/bench.db*
  first+=("$(time_ms "$server" --db "$work/bench.db" import "$work/feed.xml")")
  head -1 "$work/out.txt" | grep -q "^$items imported, 0 updated, 0 skipped" || { cat "$work/out.txt"; exit 1; }
  again+=("$(time_ms "$server" --db "$work/bench.db" import "$work/feed.xml")")
  head -1 "$work/out.txt" | grep -q "^0 imported, $items updated, 0 skipped" || { cat "$work/out.txt"; exit 1; }
done
echo "first import ($items created): median $(printf '%s\n' "${first[@]}" | median) ms of ${first[*]}"
echo "second import ($items updated): median $(printf '%s\n' "${again[@]}" | median) ms of ${again[*]}"
tail -1 "$work/out.txt"
