# Sourced by e2e/run.sh and scripts/bench-web.sh (both need a browser, node
# packages and a built web app): installs only what is missing. Expects log()
# and die() of the caller and ROOT set to the repository.

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

# Debian's Chromium (neither Playwright nor Lighthouse can download one here).
ensure_chromium() {
  CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
  if [[ ! -x "$CHROMIUM" ]]; then
    [[ "$CHROMIUM" == /usr/bin/chromium ]] || die "E2E_CHROMIUM=$CHROMIUM is not an executable"
    log "installing chromium (apt-get)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    [[ -x "$CHROMIUM" ]] || die "chromium did not install"
  fi
}

# node >= 20 and the node_modules of a package folder: `npm ci` when missing
# or when its package-lock.json changed. ensure_node_modules <dir> <package that must be there>...
ensure_node_modules() {
  local dir=$1 lock_sum stamp missing=0 pkg
  shift
  command -v node >/dev/null || die "node is missing (apt-get install -y nodejs npm)"
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  (( node_major >= 20 )) || die "node >= 20 is needed (node:test), found $(node --version)"
  lock_sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  stamp="$dir/node_modules/.package-lock.sha256"
  for pkg in "$@"; do [[ -d "$dir/node_modules/$pkg" ]] || missing=1; done
  if (( missing )) || [[ ! -f $stamp || "$(cat "$stamp")" != "$lock_sum" ]]; then
    log "npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_sum" > "$stamp"
  fi
}

# The web app (make test and make bench build it before; a standalone run may not have).
ensure_web_app() {
  if [[ ! -f "$ROOT/frontend/dist/index.html" ]]; then
    log "frontend/dist/index.html is missing: make frontend"
    make -C "$ROOT" frontend
    [[ -f "$ROOT/frontend/dist/index.html" ]] || die "make frontend did not produce frontend/dist/index.html"
  fi
}
