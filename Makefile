# Mezha — the entry points for developers and CI (GNU make).
# `make` or `make help` lists the targets. CI runs `.ci/run`, which runs `make test`.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Steps share one target directory and 2 cores: never run them side by side.
.NOTPARALLEL:
MAKEFLAGS += --no-print-directory

# rustup's cargo first, ahead of Debian's /usr/bin/cargo (that one is for the
# frontend's wasm build, see the FRONTEND notes at the end).
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

.PHONY: help run test fmt lint fmt-check clippy nextest doctest openapi migrate \
        bench clean-data tools services frontend

help: ## List the targets
	@echo "Mezha — make targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN {FS = ":.*## "} {printf "  %-12s %s\n", $$1, $$2}'

# ------------------------------------------------------------------ run

run: ## Build the server (release) and serve at $MEZHA_ADDR
	$(CARGO) build --release $(LOCKED) -p mezha-server --bin mezha
	mkdir -p "$$MEZHA_DATA_DIR"
	$(TARGET_DIR)/release/mezha serve

migrate: ## Apply database migrations (mezha migrate)
	$(CARGO) run $(LOCKED) -p mezha-server --bin mezha -- migrate

bench: ## Run the built-in benchmark and print its figures (mezha bench)
	$(CARGO) run --release $(LOCKED) -p mezha-server --bin mezha -- bench

clean-data: ## Delete local run data (./data)
	rm -rf ./data

# ----------------------------------------------------------------- test

# FRONTEND: once frontend/ builds, add `frontend` to the prerequisites of `test`.
test: tools services fmt-check clippy nextest doctest ## Everything CI runs: fmt, clippy, tests, doctests
	@echo "make test: all checks passed"

lint: fmt-check clippy ## rustfmt check + clippy -D warnings

fmt: ## Format all Rust code
	$(CARGO) fmt --all

fmt-check: tools
	$(CARGO) fmt --all --check

clippy: tools
	$(CARGO) clippy --workspace --all-targets $(LOCKED) -- -D warnings

nextest: tools services ## Run the workspace tests with cargo-nextest
	$(CARGO) nextest run --workspace $(LOCKED) --no-fail-fast

doctest: ## Run the doctests (nextest does not run them)
	$(CARGO) test --workspace --doc $(LOCKED)

openapi: tools ## Regenerate openapi/openapi.json from the routes
	MEZHA_TEST_UPDATE_OPENAPI=1 $(CARGO) nextest run $(LOCKED) -p mezha-server -E 'test(openapi)'

tools: ## Install missing tools (cargo-nextest, rustfmt, clippy)
	@bash scripts/ensure-tools.sh

services: ## Make PostgreSQL and Redis reachable (installs/starts them if needed)
	@bash scripts/ensure-services.sh

# ------------------------------------------------------------- frontend
# FRONTEND (placeholder — not built yet). The Leptos app in frontend/ is excluded
# from the workspace and builds with its own toolchain and target directory
# (frontend/target), as described in the machines' TOOLCHAIN notes: wasm32-unknown-unknown via
# rustup if installed, else Debian's rustc-web with -Zbuild-std; then
# wasm-bindgen (same version as in Cargo.lock), optional wasm-opt, dist/.
# When it lands: a scripts/build-frontend.sh called from here, a frontend step in
# .ci/run's `make test` (see the note in `test`), and `run` serving frontend/dist.
frontend: ## (placeholder) Build the Leptos frontend — not wired up yet
	@echo "frontend: not built yet (placeholder; see the FRONTEND notes in the Makefile)"
