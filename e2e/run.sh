#!/usr/bin/env bash
# Browser end-to-end tests of Mezha (see e2e/README.md). Idempotent: installs
# only what is missing (Debian's Chromium, node_modules), builds the web app
# and the server binary when needed, then runs the tests with node's own test
# runner. Exits non-zero on any failure, including a browser that cannot start.
#
#   bash e2e/run.sh                      # every test
#   bash e2e/run.sh tests/sms-login.test.js   # some of them (paths relative to e2e/)
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E_DIR/.." && pwd)"
cd "$E2E_DIR"

log() { printf 'e2e: %s\n' "$*" >&2; }
die() { printf 'e2e: error: %s\n' "$*" >&2; exit 1; }

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

# --- Chromium (Debian's; Playwright cannot download browsers here)
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
(( node_major >= 20 )) || die "node >= 20 is needed (node:test), found $(node --version)"
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.package-lock.sha256
if [[ ! -d node_modules/playwright-core || ! -f $stamp || "$(cat "$stamp")" != "$lock_sum" ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

# --- the web app (make test builds it before; a standalone run may not have)
if [[ ! -f "$ROOT/frontend/dist/index.html" ]]; then
  log "frontend/dist/index.html is missing: make frontend"
  make -C "$ROOT" frontend
  [[ -f "$ROOT/frontend/dist/index.html" ]] || die "make frontend did not produce frontend/dist/index.html"
fi

# --- the server binary (cargo is a no-op when it is up to date)
log "cargo build -p mezha-server -p mezha-registry --locked"
(cd "$ROOT" && cargo build -q -p mezha-server --bin mezha -p mezha-registry --bin mezha-registry --locked)

# --- run
rm -rf artifacts test-results
mkdir -p artifacts
if (( $# )); then tests=("$@"); else tests=(tests/); fi
log "running ${tests[*]} (screenshots in e2e/artifacts/)"
start=$(date +%s)
status=0
# Test files run one after another (each starts its own server and browser);
# a hung test is cut off rather than holding CI.
node --test --test-concurrency=1 --test-timeout=120000 --test-reporter=spec "${tests[@]}" || status=$?
log "finished in $(( $(date +%s) - start )) s (exit $status)"
exit "$status"
