#!/usr/bin/env bash
# The framework's floor (issue #8): builds bench/leptos-floor — a two-route Leptos 0.8 CSR app
# with one JSON fetch — exactly as the app is built (opt-level z, LTO, wasm-bindgen 0.2.130,
# wasm-opt -Oz from binaryen 132) and prints its wasm + JS size, brotli -q 11, beside our app's.
#
#   make build && bench/leptos-floor.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
floor=bench/leptos-floor
out=target/leptos-floor
cargo build --locked --release --target wasm32-unknown-unknown \
  --manifest-path "$floor/Cargo.toml" --target-dir target/leptos-floor-build
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" target/leptos-floor-build/wasm32-unknown-unknown/release/leptos-floor.wasm
wasm-opt -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$out/leptos-floor_bg.wasm" -o "$out/floor.wasm"
# Brotli at quality 11 through Node's zlib, as e2e/budget.spec.ts measures (the set-up installs
# no brotli command).
size() { node -e 'const z = require("zlib"); process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1]), { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length))' "$1"; }
floor_total=$(( $(size "$out/floor.wasm") + $(size "$out/leptos-floor.js") ))
app_total=$(( $(size dist/*_bg.wasm) + $(size "$(ls dist/broadsheet-*.js)") ))
echo "| build | wasm + JS, brotli -q 11 | budget |"
echo "| --- | ---: | ---: |"
echo "| bench/leptos-floor (two routes, one fetch) | $floor_total | 102400 |"
echo "| Broadsheet (dist/) | $app_total | 102400 |"
