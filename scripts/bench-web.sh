#!/usr/bin/env bash
# `make bench`'s web app figures (docs/benchmarks.md, "Web app: loading and
# Lighthouse"): the size of each chunk, each role's first screen in headless
# Chromium, and Lighthouse on four pages. Prints figures and verdicts; fails
# only when something cannot run (no browser, no build), never on a figure.
#
#   bash scripts/bench-web.sh                 # all three parts
#   bash scripts/bench-web.sh --only chunks   # or first-screen, lighthouse
#
# Idempotent, like e2e/run.sh: installs only what is missing (Debian's
# Chromium; e2e/bench's node_modules — lighthouse and playwright-core, its own
# package so that make test never installs Lighthouse — with npm ci when
# missing or when its lock changed), builds the web app when
# frontend/dist is missing, and the server as the e2e tests run it (debug;
# E2E_MEZHA_BINARY=target/release/mezha measures with another one).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$ROOT/e2e/bench"

log() { printf 'bench-web: %s\n' "$*" >&2; }
die() { printf 'bench-web: error: %s\n' "$*" >&2; exit 1; }

# shellcheck source=../e2e/lib/ensure.sh
source "$ROOT/e2e/lib/ensure.sh"
ensure_chromium
# e2e/bench's own package (Lighthouse), and e2e's (its lib/ needs axe-core).
ensure_node_modules "$BENCH_DIR" lighthouse playwright-core
ensure_node_modules "$ROOT/e2e" playwright-core axe-core
ensure_web_app

# --- the server binary, as e2e/run.sh builds it (debug; lib/server.js runs
# target/debug/mezha; cargo is a no-op when it is up to date). The figures are
# the web app's: its assets are served precompressed or gzipped once at start.
if [[ -z "${E2E_MEZHA_BINARY:-}" ]]; then
  log "cargo build -p mezha-server --bin mezha --locked"
  (cd "$ROOT" && cargo build -q -p mezha-server --bin mezha --locked)
  target_dir="${CARGO_TARGET_DIR:-target}"
  [[ $target_dir == /* ]] || target_dir="$ROOT/$target_dir"
  export E2E_MEZHA_BINARY="$target_dir/debug/mezha"
fi
[[ -x "$E2E_MEZHA_BINARY" ]] || die "server binary $E2E_MEZHA_BINARY is missing"

exec node "$BENCH_DIR/web.js" "$@"
