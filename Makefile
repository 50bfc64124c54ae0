# Broadsheet. The quick start is two commands: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# Cargo's incremental caches pay off when one crate is rebuilt again and again by hand; `make` builds
# each target once, and the caches only took disk (a CI machine's filled up during `make test`).
export CARGO_INCREMENTAL := 0

ADDR ?= 127.0.0.1:8080
DB ?= data/broadsheet.db
# The site's language, a BCP 47 tag: `make run SITE_LANG=ar` (not LANG, the shell's own locale).
SITE_LANG ?= en

# What the built app depends on: when none of it changed, `make run` skips the wasm build.
APP_SOURCES := $(shell find src model/src postbuild/src style public -type f 2>/dev/null) postbuild/sw.js \
	postbuild/bootstrap.js postbuild/start.js postbuild/Cargo.toml \
	index.html Trunk.toml Cargo.toml Cargo.lock model/Cargo.toml

.PHONY: run test setup build server dev lint test-native test-wasm test-e2e test-api-fuzz bench bench-firstpaint bench-comment bench-takeover bench-throughput bench-floor bench-scale bench-cache bench-import fuzz clean

## make run: set up what is missing, build, and serve the site with demo data on http://$(ADDR)/
run: setup
	$(MAKE) -j2 build
	target/release/broadsheet-server --addr $(ADDR) --db $(DB) --dist dist --lang $(SITE_LANG)

## make test: set up what is missing, then every check and test there is. The release build
## (app and server side by side) and then the API fuzzer against it run beside the lint and the
## Rust suites, niced so that their tests keep the machine first: much of a suite's time is
## waiting on servers, browsers and databases, and the build fills it. Their output follows.
## The browser tests come last, on the machine alone.
test: setup
	@nice -n 10 $(MAKE) --no-print-directory -j2 build > target/test-build.log 2>&1 && \
	  nice -n 10 $(MAKE) --no-print-directory test-api-fuzz >> target/test-build.log 2>&1 & build=$$!; \
	status=0; $(MAKE) --no-print-directory lint test-native test-wasm || status=$$?; \
	wait $$build || { status=$$?; echo "make test: the release build or the API fuzzer failed" >&2; }; \
	cat target/test-build.log; exit $$status
	$(MAKE) --no-print-directory test-e2e

setup:
	@scripts/setup.sh

build: dist/index.html server

dist/index.html: $(APP_SOURCES)
	trunk build --release --offline

server:
	cargo build --release --locked -p broadsheet-server

lint:
	@# No HTML injection: nothing the app shows is ever parsed as markup (SECURITY.md).
	@! grep -rnE 'inner_html|innerHTML|outerHTML|insertAdjacentHTML|document\.write' src postbuild/sw.js postbuild/bootstrap.js public/embed.js
	@# Right to left: style/ uses logical properties (margin-inline-start, inset-inline-end,
	@# text-align: start…), which mirror by themselves. A line that must stay physical says why in a
	@# comment holding "physical-ok" on the same line.
	@! grep -nE '([a-z-]*\b(left|right)\b[a-z-]*\s*:|:[^;{]*\b(left|right)\b)' style/*.css | grep -v 'physical-ok'
	@# The app's layers (src/lib.rs): a module uses only those below it.
	python3 scripts/check-imports.py src
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cargo clippy --locked -p broadsheet --target wasm32-unknown-unknown --all-targets -- -D warnings

test-native:
	cargo test --locked --workspace

test-wasm:
	cargo test --locked -p broadsheet --target wasm32-unknown-unknown

test-e2e:
	playwright test

## make test-api-fuzz: Schemathesis against /api/openapi.json of the release server (README)
test-api-fuzz: server
	scripts/fuzz-api.sh

## make bench: the navigation benchmark (click → h1 painted, prefetched vs cold); see docs/figures.md
bench: setup build
	node bench/navigation.mjs

## make bench-firstpaint: Lighthouse (mobile) on an article, home and a section, each beside its strict static twin
bench-firstpaint: setup build
	node bench/firstpaint.mjs 5

## make bench-comment: how soon the comment field takes typing, Lighthouse's mobile profile applied
bench-comment: setup build
	node bench/comment-ready.mjs 5

## make bench-takeover: the take-over's long task, and the share of it that is V8 compiling the wasm
bench-takeover: setup build
	node bench/takeover.mjs 9

## make bench-throughput: the article endpoint beside nginx serving the same bytes (wrk, 64 conns)
bench-throughput: setup build
	bench/throughput.sh 15

## make bench-cache: Varnish in front: article page and JSON beside static files of the same bytes
bench-cache: setup build
	bench/cache.sh 10

## make bench-scale: every page and API read at 100,000 articles and 10M views a week, beside the demo
bench-scale: setup build
	bench/scale.sh 10

## make bench-import: import time of a 500-item RSS feed (created, then updated)
bench-import:
	cargo build --release --locked -p broadsheet-server --bin broadsheet-server
	bench/import.sh

## make bench-floor: the smallest Leptos app like ours (bench/leptos-floor) against the size budget
bench-floor: setup build
	bench/leptos-floor.sh

## make fuzz: every cargo-fuzz target (fuzz/) for FUZZ_SECONDS each, on nightly; see SECURITY.md
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := article_decode comment_decode import comment_validator
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	cargo +nightly fuzz build -O
	for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$t; seeds=; [ -d fuzz/seeds/$$t ] && seeds=fuzz/seeds/$$t; \
		cargo +nightly fuzz run -O $$t fuzz/corpus/$$t $$seeds -- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	done

## make dev: trunk serve with live reload on :8081, proxying /api to the server on :8080
dev: setup server
	target/release/broadsheet-server --addr $(ADDR) --db $(DB) --dist dist & \
	server=$$!; trap 'kill $$server' EXIT; trunk serve --offline

clean:
	cargo clean
	rm -rf dist target/e2e test-results
