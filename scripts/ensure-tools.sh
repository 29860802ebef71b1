#!/usr/bin/env bash
# Make sure the Rust tools that `make test` uses are present:
#   rustfmt and clippy (rustup components) and cargo-nextest.
# Idempotent; takes well under a second when everything is installed. A missing
# cargo-nextest is built from crates.io (a few minutes, once). Set NEXTEST_VERSION
# to pin the version that gets installed.
set -euo pipefail

log() { printf 'ensure-tools: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# rustup and everything `cargo install` puts in place live here; put them first so
# that the rustup toolchain wins over Debian's /usr/bin/cargo (used for the frontend).
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if [[ -d $cargo_bin && ":$PATH:" != *":$cargo_bin:"* ]]; then
    export PATH="$cargo_bin:$PATH"
fi

have cargo || die "cargo not found (install Rust with rustup; expected in $cargo_bin)"

# rustfmt and clippy: `cargo fmt` / `cargo clippy` fail when the component is missing.
ensure_component() { # component cargo-subcommand
    local component=$1 sub=$2
    cargo "$sub" --version >/dev/null 2>&1 && return 0
    if have rustup; then
        log "rustup component add $component"
        rustup component add "$component" || log "rustup component add $component failed"
    fi
    cargo "$sub" --version >/dev/null 2>&1 ||
        die "'cargo $sub' is not available (the $component component is missing)"
}
ensure_component rustfmt fmt
ensure_component clippy clippy

if ! cargo nextest --version >/dev/null 2>&1; then
    log "installing cargo-nextest from crates.io (once; takes a few minutes)"
    version_args=()
    [[ -n ${NEXTEST_VERSION:-} ]] && version_args=(--version "$NEXTEST_VERSION")
    # Build outside the project: no project config, no shared target directory.
    (cd / && env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR \
        cargo install cargo-nextest --locked "${version_args[@]}") ||
        die "cargo install cargo-nextest failed"
    cargo nextest --version >/dev/null 2>&1 ||
        die "cargo-nextest was installed but 'cargo nextest' still fails (is $cargo_bin on PATH?)"
fi

log "ok: $(cargo --version), $(cargo nextest --version 2>/dev/null | head -1)"
