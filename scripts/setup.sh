#!/usr/bin/env bash
# Installs whatever Broadsheet's build and tests need and is missing; skips what is present, so a
# second run takes seconds. Nothing here downloads from anywhere but the package registries
# (crates.io, npm, Debian): Trunk itself runs with --offline and finds every tool on PATH.
#
# On a new machine the slow part is compiling Trunk and wasm-bindgen-cli. The downloads that do
# not need the compiler (Debian's packages, npm) run beside it, and both tools are compiled without
# the features we never use (update checks; wasm-bindgen's TLS for downloads) and without the
# optimiser, which costs minutes and buys nothing we can measure in a build. `make run` then builds the
# app and the server side by side (`make -j2`): each has long single-threaded stretches.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

TRUNK_VERSION=0.22.1
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# A tool's build, fast to compile: no optimisation, no LTO. (Trunk and wasm-bindgen spend
# their time in cargo, wasm-opt and I/O; optimising them harder buys nothing we can measure.)
fast_install() {
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=false cargo install "$@"
}

# Debian's packages: Chromium and its driver for every browser test; PostgreSQL for the second
# store's tests (the harness starts its own throwaway cluster); Varnish with varnish-modules (xkey)
# for the tests with a real cache in front.
debian_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  [ -x /usr/sbin/varnishd ] || missing+=(varnish)
  compgen -G '/usr/lib/*/varnish/vmods/libvmod_xkey.so' >/dev/null || missing+=(varnish-modules)
  # Fonts for the scripts the demo ships (style/tokens.css names them), so screenshots and tests
  # show glyphs, not empty boxes. Korean: Nanum (Gothic and Myeongjo, 10 MB; fonts-noto-cjk would be
  # 57 MB for Chinese and Japanese we do not ship). Arabic: Noto Naskh and Noto Sans Arabic from
  # fonts-noto-core (12 MB; it also covers Hebrew and most other scripts).
  [ -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf ] || missing+=(fonts-nanum)
  [ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || missing+=(fonts-noto-core)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]}"
    as_root apt-get update -qq
    # No service starts at install time: the tests start their own, in temporary folders.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      "${missing[@]}" >/dev/null
  fi
}

# Python tools (the API fuzzer), exactly as scripts/requirements.txt pins them, in .venv.
python_packages() {
  local req_sum
  req_sum=$(sha256sum scripts/requirements.txt | cut -d' ' -f1)
  if [ "$(cat .venv/.req-sum 2>/dev/null)" != "$req_sum" ]; then
    say "installing Python packages into .venv"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements.txt
    echo "$req_sum" > .venv/.req-sum
  fi
}

# npm packages (Playwright, axe, Lighthouse, wasm-opt from binaryen), exactly as package-lock.json says.
npm_packages() {
  local lock_sum
  lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat node_modules/.lock-sum 2>/dev/null)" != "$lock_sum" ]; then
    say "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_sum" > node_modules/.lock-sum
  fi
}

# Start the downloads, then compile while they run.
mkdir -p target
debian_packages > target/setup-debian.log 2>&1 &
debian_pid=$!
npm_packages > target/setup-npm.log 2>&1 &
npm_pid=$!
python_packages > target/setup-python.log 2>&1 &
python_pid=$!

# Rust: the wasm target and the lint tools.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

# Trunk, pinned. 0.22.1 declares a newer rustc than ours but builds with it.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (a few minutes, once)"
  fast_install --locked "trunk@$TRUNK_VERSION" --ignore-rust-version --no-default-features --features rustls
fi

# wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock. Not --locked: its lock file
# names a crate version the registry no longer has.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WBG_VERSION" ]; then
  echo "setup: cannot find wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ] ||
  ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WBG_VERSION (a few minutes, once)"
  fast_install --force "wasm-bindgen-cli@$WBG_VERSION" --no-default-features
fi
if ! grep -q "^wasm_bindgen = \"$WBG_VERSION\"" Trunk.toml; then
  echo "setup: Trunk.toml [tools] wasm_bindgen must be \"$WBG_VERSION\", as in Cargo.lock" >&2
  exit 1
fi

# Collect the downloads; a failure shows its log.
for job in debian:$debian_pid npm:$npm_pid python:$python_pid; do
  if ! wait "${job#*:}"; then
    cat "target/setup-${job%%:*}.log" >&2
    echo "setup: the ${job%%:*} step failed" >&2
    exit 1
  fi
  cat "target/setup-${job%%:*}.log"
  rm -f "target/setup-${job%%:*}.log"
done

if [ "$(wasm-opt --version 2>/dev/null)" != "wasm-opt version 132 (version_132)" ]; then
  echo "setup: expected wasm-opt 132 from node_modules/.bin, got: $(command -v wasm-opt) $(wasm-opt --version 2>&1)" >&2
  exit 1
fi
