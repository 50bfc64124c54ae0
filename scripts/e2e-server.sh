#!/bin/sh
# The server the end-to-end tests talk to: the release binary, the release build of the app, and a
# brand-new database (seeded with the demo articles on start) in target/e2e/.
set -eu
port=${1:-18080}
cd "$(dirname "$0")/.."
rm -rf target/e2e
mkdir -p target/e2e
# Many tests post from one address: the per-client limit is tested natively and with injected 429s.
exec target/release/broadsheet-server --addr "127.0.0.1:$port" --db target/e2e/e2e.db --dist dist \
  --comments-per-minute 100000
