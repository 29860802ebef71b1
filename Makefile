# Mezha — the entry points for developers and CI (GNU make).
# `make` or `make help` lists the targets. CI runs `.ci/run`, which runs `make test`.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Steps share one target directory and 2 cores: never run them side by side.
.NOTPARALLEL:
MAKEFLAGS += --no-print-directory

# rustup's cargo first, ahead of Debian's /usr/bin/cargo (that one is for the
# frontend's wasm build, see `frontend` at the end).
CARGO_BIN_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
ifneq ($(wildcard $(CARGO_BIN_DIR)),)
ifeq ($(findstring :$(CARGO_BIN_DIR):,:$(PATH):),)
export PATH := $(CARGO_BIN_DIR):$(PATH)
endif
endif

CARGO ?= cargo
# Cargo.lock is committed; --locked keeps every step on exactly those versions.
LOCKED := $(if $(wildcard Cargo.lock),--locked,)
# One target directory for every step (fmt, clippy, nextest, doctests, run) so that
# dependencies build once; honour CARGO_TARGET_DIR when the caller sets it.
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

# Where the tests find PostgreSQL and Redis (override from the environment).
export MEZHA_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export MEZHA_TEST_REDIS_URL ?= redis://127.0.0.1:6379

# Defaults for running the server locally (`run`, `migrate`, `bench`); any of them
# can be overridden from the environment or the command line.
run migrate bench: export MEZHA_DEV_OUTBOX ?= 1
run migrate bench: export MEZHA_ADDR ?= 127.0.0.1:8080
run migrate bench: export MEZHA_DATA_DIR ?= ./data

.PHONY: help run test ocr fmt lint fmt-check clippy clippy-frontend nextest e2e doctest openapi migrate contract-and-frontend \
        bench clean-data tools services frontend fuzz

help: ## List the targets
	@echo "Mezha — make targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN {FS = ":.*## "} {printf "  %-12s %s\n", $$1, $$2}'

# ------------------------------------------------------------------ run

# The registry stand-in (docs/registry-gateway.md) runs beside the API so that
# deals can be sent and registered; set MEZHA_REGISTRY_GATEWAY_URL to use
# another gateway (then no stand-in is started).
REGISTRY_ADDR ?= 127.0.0.1:8088
run: export MEZHA_REGISTRY_CALLBACK_SECRET ?= development-callback-secret

run: frontend ocr ## Build the web app, the server and the registry stand-in (release); serve at $MEZHA_ADDR
	$(CARGO) build --release $(LOCKED) -p mezha-server --bin mezha -p mezha-registry --bin mezha-registry
	mkdir -p "$$MEZHA_DATA_DIR"
	if [[ -z "$${MEZHA_REGISTRY_GATEWAY_URL:-}" ]]; then \
	  $(TARGET_DIR)/release/mezha-registry --listen $(REGISTRY_ADDR) \
	    --callback-secret "$$MEZHA_REGISTRY_CALLBACK_SECRET" & \
	  reg=$$!; trap 'kill $$reg 2>/dev/null || true' EXIT; \
	  export MEZHA_REGISTRY_GATEWAY_URL=http://$(REGISTRY_ADDR); \
	fi; \
	$(TARGET_DIR)/release/mezha serve

migrate: ## Apply database migrations (mezha migrate)
	$(CARGO) run $(LOCKED) -p mezha-server --bin mezha -- migrate

# `make bench` first measures the web app (scripts/bench-web.sh: sizes, each
# role's first screen in Chromium, Lighthouse — e2e/bench's own npm package,
# installed there once; `make test` never installs it). It drives the order
# search with oha (crates.io), installed here once when missing (a few
# minutes); `make test` never needs it. Without it the benchmark falls back to
# its built-in load generator and says so.
# BENCH_ARGS passes options to `mezha bench` (see `mezha bench --help`),
# e.g. `make bench BENCH_ARGS="--only search --seconds 10"`.
OHA_VERSION ?= 1.16.0
BENCH_ARGS ?=
# One request log line per search request would flood the terminal.
bench: export MEZHA_LOG_LEVEL ?= warn

bench: frontend services ocr ## Web app's weight (per chunk, each role's first screen) and Lighthouse; login costs; order search under load vs raw SQL; signature validation vs openssl; passport recognition rate (docs/benchmarks.md)
	bash scripts/bench-web.sh
	@command -v oha >/dev/null 2>&1 || { \
	  echo "bench: installing oha $(OHA_VERSION) from crates.io (once; takes a few minutes)"; \
	  (cd / && env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR \
	    $(CARGO) install oha --locked --version $(OHA_VERSION)) \
	  || echo "bench: installing oha failed; the built-in load generator will be used"; }
	$(CARGO) run --release $(LOCKED) -p mezha-server --bin mezha -- bench $(BENCH_ARGS)
	$(CARGO) run --release $(LOCKED) -p mezha-signatures --example bench
	$(CARGO) run --release $(LOCKED) -p mezha-testkit --example ocr_bench

# `make fuzz` fuzzes the signature validator (backend/signatures/fuzz, its own
# cargo workspace) with cargo-fuzz on the nightly toolchain for FUZZ_SECONDS,
# seeded with the committed signature vectors. Installs cargo-fuzz once when
# missing. Crashes land in backend/signatures/fuzz/artifacts/.
FUZZ_SECONDS ?= 60
fuzz: ## Fuzz the signature validator for $FUZZ_SECONDS s (cargo-fuzz, nightly)
	@command -v cargo-fuzz >/dev/null 2>&1 || { \
	  echo "fuzz: installing cargo-fuzz from crates.io (once)"; \
	  (cd / && env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR $(CARGO) install cargo-fuzz --locked); }
	@mkdir -p backend/signatures/fuzz/corpus/validate
	@for f in backend/signatures/tests/vectors/*/*.der; do \
	  d=$${f%/*}; cp "$$f" "backend/signatures/fuzz/corpus/validate/$${d##*/}-$${f##*/}"; done
	cd backend/signatures && env -u CARGO_TARGET_DIR $(CARGO) +nightly fuzz run validate -- \
	  -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=8192

clean-data: ## Delete local run data (./data)
	rm -rf ./data

# ----------------------------------------------------------------- test

# Each step of `make test` says when it starts (seconds since the run began),
# so a slow CI run's log tells which step took the time.
MAKE_STARTED := $(shell date +%s)
STAMP = @echo "make: $@ starts at +$$(( $$(date +%s) - $(MAKE_STARTED) )) s"

# `frontend` builds frontend/dist for the browser tests (e2e).
test: tools services fmt-check clippy clippy-frontend doctest nextest contract-and-frontend e2e ## Everything CI runs: fmt, clippy, tests, the contract test, browser tests, doctests
	@echo "make test: all checks passed"

lint: fmt-check clippy clippy-frontend ## rustfmt check + clippy -D warnings (backend and web app)

fmt: ## Format all Rust code (backend workspace and frontend)
	$(CARGO) fmt --all
	$(CARGO) fmt --manifest-path frontend/Cargo.toml --all

fmt-check: tools
	$(STAMP)
	$(CARGO) fmt --all --check
	$(CARGO) fmt --manifest-path frontend/Cargo.toml --all --check

clippy: tools
	$(STAMP)
	$(CARGO) clippy --workspace --all-targets $(LOCKED) -- -D warnings

# The web app's own lints (frontend/Cargo.toml [lints]) and clippy's, checked
# with a host build of the crate: rustup's toolchain has clippy, Debian's wasm
# toolchain has none, and the code is the same for both targets. Its own
# target directory (frontend/target/<host>), apart from the wasm build's.
HOST_TRIPLE := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
clippy-frontend: tools
	$(STAMP)
	cd frontend && $(CARGO) clippy $(if $(wildcard frontend/Cargo.lock),--locked,) \
	  --target $(HOST_TRIPLE) -- -D warnings

# The HTTP tests spend most of their time waiting on PostgreSQL, Redis and the S3
# server: twice as many tests as cores keeps the CPU busy (291 s against 401 s
# for the whole suite here, 2 cores).
NEXTEST_THREADS ?= $(shell echo $$(( $$(nproc) * 2 )))
nextest: tools services ocr ## Run the workspace tests with cargo-nextest
	$(STAMP)
	$(CARGO) nextest run --workspace $(LOCKED) --no-fail-fast --test-threads $(NEXTEST_THREADS)

# Browser end-to-end tests: the real server + the built app in Debian's Chromium
# (playwright-core, node:test). Installs Chromium and e2e/node_modules when
# missing; builds frontend/dist if absent. Screenshots: e2e/artifacts/.
e2e: ## Browser end-to-end tests (e2e/run.sh; screenshots in e2e/artifacts/)
	$(STAMP)
	bash e2e/run.sh

# The contract test: Schemathesis (PyPI, pinned, installed into
# e2e/contract/venv) against the OpenAPI document the server serves, anonymous,
# as a customer and as an engineer, --checks all, seeded; no failure allowed.
# Runs the server binary nextest built (target/debug/mezha).
contract: ## Schemathesis against the served OpenAPI document (e2e/contract)
	$(STAMP)
	$(CARGO) build $(LOCKED) -p mezha-server
	bash e2e/contract/run.sh

# `make test` overlaps the contract passes (Python against one server) with the
# web app's build (rustc on frontend/target, its own target directory): each
# leaves most of a core idle, and together they save minutes of CI. The build's
# output is kept in a file and printed after it ends; either failing fails.
contract-and-frontend:
	$(STAMP)
	$(CARGO) build $(LOCKED) -p mezha-server
	@log="$$(mktemp)"; \
	bash scripts/build-frontend.sh >"$$log" 2>&1 & build=$$!; \
	status=0; bash e2e/contract/run.sh || status=$$?; \
	built=0; wait $$build || built=$$?; \
	echo "== make: the web app's build (scripts/build-frontend.sh), beside the contract passes:"; \
	cat "$$log"; rm -f "$$log"; \
	if ((built)); then echo "make: the web app's build failed"; exit 1; fi; \
	exit $$status

doctest: ## Run the doctests (nextest does not run them)
	$(STAMP)
	$(CARGO) test --workspace --doc $(LOCKED)

openapi: tools ## Regenerate openapi/openapi.json from the routes
	MEZHA_TEST_UPDATE_OPENAPI=1 $(CARGO) nextest run $(LOCKED) -p mezha-server -E 'test(openapi)'

tools: ## Install missing tools (cargo-nextest, rustfmt, clippy)
	@bash scripts/ensure-tools.sh

services: ## Make PostgreSQL, Redis and the tests' S3 server reachable (installs/starts them if needed)
	@bash scripts/ensure-services.sh
	@bash scripts/ensure-s3.sh

ocr: ## Make passport recognition work: Tesseract with Russian data, the DejaVu font (installs them if needed)
	@bash scripts/ensure-ocr.sh

# ------------------------------------------------------------- frontend
# The Leptos app in frontend/ is its own cargo workspace (the root one excludes it)
# with its own target directory, frontend/target; the backend's cargo never builds
# it. scripts/build-frontend.sh installs what is missing through
# scripts/ensure-wasm-toolchain.sh (rustup's wasm32 target if installed, else
# Debian's rustc-web with -Zbuild-std; the wasm-bindgen CLI of the version in
# frontend/Cargo.lock; wasm-opt from npm), builds, and writes frontend/dist/:
# index.html and content-hashed files in dist/assets/. A rebuild with nothing
# changed takes seconds.
frontend: ## Build the Leptos web app into frontend/dist (wasm, hashed assets)
	$(STAMP)
	bash scripts/build-frontend.sh
