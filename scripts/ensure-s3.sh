#!/usr/bin/env bash
# Make the tests' S3-compatible server reachable (docs/storage.md, "Tests").
#
#   Moto's server (PyPI, pinned by e2e/s3/requirements.lock) on
#   ${MEZHA_S3_ADDR:-127.0.0.1:9555}, in the venv e2e/s3/venv, its log in
#   e2e/s3/server.log.
#
# Idempotent and quick when it already answers. Otherwise installs the venv when
# missing (once, about a minute), starts the server in the background, detached
# from this shell so that it outlives the test process that asked for it (the
# next test processes share it, as they share PostgreSQL and Redis), and waits up
# to S3_WAIT_SECS (30) seconds. Several processes may run this at once: a lock
# lets one of them start the server.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/e2e/s3"
ADDR="${MEZHA_S3_ADDR:-127.0.0.1:9555}"
HOST="${ADDR%:*}"
PORT="${ADDR##*:}"
VENV="${MEZHA_S3_VENV:-$here/venv}"
WAIT_SECS="${S3_WAIT_SECS:-30}"

log() { printf 'ensure-s3: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$HOST" "$PORT" >/dev/null 2>&1; }

port_open && exit 0

mkdir -p "$here"
exec 9>"$here/.lock"
flock -w 300 9 || die "waited 300 s for another ensure-s3.sh"
port_open && exit 0 # started by the one that held the lock

if [[ ! -x $VENV/bin/moto_server ]] || ! cmp -s "$here/requirements.lock" "$VENV/.installed"; then
    command -v python3 >/dev/null 2>&1 || die "python3 is needed"
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
        log "installing python3-venv with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    log "installing Moto's server into $VENV (once)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.lock" ||
        die "pip install -r $here/requirements.lock failed"
    cp "$here/requirements.lock" "$VENV/.installed"
fi

log "starting Moto's S3 server on $ADDR (log: $here/server.log)"
# setsid: not in this shell's process group, so the caller's end (a test
# process, make) does not stop it.
setsid "$VENV/bin/moto_server" -H "$HOST" -p "$PORT" >>"$here/server.log" 2>&1 </dev/null 9>&- &
for ((i = 0; i < WAIT_SECS * 10; i++)); do
    port_open && exit 0
    sleep 0.1
done
tail -20 "$here/server.log" >&2 || true
die "Moto's server did not answer on $ADDR within $WAIT_SECS s"
