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

# rustup's cargo first (as the Makefile does).
CARGO_BIN_DIR="${CARGO_HOME:-$HOME/.cargo}/bin"
if [[ -d "$CARGO_BIN_DIR" && ":$PATH:" != *":$CARGO_BIN_DIR:"* ]]; then
  export PATH="$CARGO_BIN_DIR:$PATH"
fi

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"
  fi
}

# --- Chromium (Debian's; neither Playwright nor Lighthouse downloads one here)
CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  [[ "$CHROMIUM" == /usr/bin/chromium ]] || die "E2E_CHROMIUM=$CHROMIUM is not an executable"
  log "installing chromium (apt-get)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [[ -x "$CHROMIUM" ]] || die "chromium did not install"
fi

# --- node and node_modules (npm ci when missing or when the lock changed)
command -v node >/dev/null || die "node is missing (apt-get install -y nodejs npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
(( node_major >= 20 )) || die "node >= 20 is needed, found $(node --version)"

lock_sum=$(sha256sum "$BENCH_DIR/package-lock.json" | cut -d' ' -f1)
stamp="$BENCH_DIR/node_modules/.package-lock.sha256"
if [[ ! -d "$BENCH_DIR/node_modules/lighthouse" || ! -d "$BENCH_DIR/node_modules/playwright-core" \
      || ! -f $stamp || "$(cat "$stamp")" != "$lock_sum" ]]; then
  log "npm ci in e2e/bench"
  (cd "$BENCH_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$stamp"
fi

# --- the web app (`make bench` builds it before; a standalone run may not have)
if [[ ! -f "$ROOT/frontend/dist/index.html" ]]; then
  log "frontend/dist/index.html is missing: make frontend"
  make -C "$ROOT" frontend
  [[ -f "$ROOT/frontend/dist/index.html" ]] || die "make frontend did not produce frontend/dist/index.html"
fi

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
