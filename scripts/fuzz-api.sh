#!/usr/bin/env bash
# Fuzzes an API against Broadsheet's contract, /api/openapi.json, with Schemathesis (pinned in
# scripts/requirements.txt, installed in .venv by scripts/setup.sh): every operation, every
# default check (no 5xx, statuses, content types, headers and bodies as documented, bad input
# refused, good input accepted), a fixed seed and a bounded number of cases.
#
#   scripts/fuzz-api.sh                      a fresh server of ours: a new SQLite database with
#                                            the demo articles, on a free port; stopped after
#   scripts/fuzz-api.sh https://news.example your own API at that base URL (it posts comments
#                                            and views: use a staging copy), against the same
#                                            document, read from a server of ours started for it
#
# Anything after the URL goes to `schemathesis run` (e.g. --exclude-path /oembed).
# Environment: BROADSHEET_SERVER (default target/release/broadsheet-server),
# BROADSHEET_FUZZ_SLUG (an article the API has; default one of the demo's),
# FUZZ_SEED (default 1), FUZZ_EXAMPLES (cases per operation and phase; default 150).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

server=${BROADSHEET_SERVER:-target/release/broadsheet-server}
st=$root/.venv/bin/schemathesis
[ -x "$server" ] || { echo "fuzz-api: no $server (make server builds it)" >&2; exit 2; }
[ -x "$st" ] || { echo "fuzz-api: no $st (scripts/setup.sh installs it)" >&2; exit 2; }

target=
if [ $# -gt 0 ] && [[ $1 != -* ]]; then
	target=${1%/}
	shift
fi

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ours=http://127.0.0.1:$port
# The fuzzer posts far more comments than a reader: the per-address limit (a documented 429)
# would answer most of them, so it is raised here to reach the code behind it. The API needs no
# built app: a page shell is enough (without one, pages answer 503).
mkdir "$tmp/dist"
echo '<!doctype html><title>Broadsheet</title><body></body>' >"$tmp/dist/index.html"
"$server" --addr "127.0.0.1:$port" --db "$tmp/broadsheet.db" --dist "$tmp/dist" \
	--public-url "$ours" --comments-per-minute 100000 serve >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	curl -fsS -o /dev/null "$ours/api/sections" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
	sleep 0.1
done

export BROADSHEET_FUZZ_BASE=${target:-$ours}
export BROADSHEET_FUZZ_SLUG=${BROADSHEET_FUZZ_SLUG:-night-trains-return-to-the-mountain-line}
# Run from the temporary folder, so nothing the fuzzer keeps lands in the work tree.
cd "$tmp"
"$st" --config-file "$root/scripts/schemathesis.toml" \
	run "$ours/api/openapi.json" --url "$BROADSHEET_FUZZ_BASE" --seed "${FUZZ_SEED:-1}" --max-examples "${FUZZ_EXAMPLES:-150}" --no-color "$@"
