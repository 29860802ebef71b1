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

# shellcheck source=lib/ensure.sh
source "$E2E_DIR/lib/ensure.sh"
ensure_chromium
ensure_node_modules "$E2E_DIR" playwright-core axe-core
ensure_web_app

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
