#!/usr/bin/env bash
# Make sure everything the frontend's wasm build needs is installed:
#
#   * a Rust toolchain that builds for wasm32-unknown-unknown —
#       "rustup": rustup's active toolchain has the wasm32-unknown-unknown target;
#       "debian": otherwise Debian's rustc-web, cargo-web, rust-web-src and lld-22
#                 (rustc/cargo in /usr/bin, std built with RUSTC_BOOTSTRAP=1
#                 -Zbuild-std=std,panic_abort; see scripts/build-frontend.sh);
#   * the wasm-bindgen CLI of exactly the version in frontend/Cargo.lock, built
#     with rustup's cargo (~2.5 min, once);
#   * wasm-split-cli (crates.io: wasm_split_cli_support, feature build-binary) of
#     the version of wasm_split_helpers in frontend/Cargo.lock: it cuts the
#     lazily loaded pages into chunks (~1.5 min, once);
#   * optionally wasm-opt from npm's binaryen@132 in frontend/.tools (Debian's
#     binaryen 108 produces modules that fail at run time: never use it).
#
# Idempotent, and quick when everything is present; `apt-get update` runs only
# when a package has to be installed. What it does goes to stderr; stdout gets
# key=value lines for scripts/build-frontend.sh:
#   mode=rustup|debian  cargo=PATH  wasm_bindgen=PATH  wasm_bindgen_version=X
#   wasm_split=PATH  wasm_split_version=X  wasm_opt=PATH (empty when not available)
#
# Environment: MEZHA_WASM_MODE=rustup|debian forces a mode; MEZHA_WASM_OPT=0
# skips wasm-opt.
set -euo pipefail

log() { printf 'ensure-wasm-toolchain: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
frontend="$root/frontend"
lockfile="$frontend/Cargo.lock"
tools="$frontend/.tools"
binaryen_version=132
debian_packages=(rustc-web cargo-web rust-web-src lld-22)

# rustup's proxies and `cargo install`ed tools (wasm-bindgen) live here.
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if [[ -d $cargo_bin && ":$PATH:" != *":$cargo_bin:"* ]]; then
    export PATH="$cargo_bin:$PATH"
fi

[[ -f $lockfile ]] || die "$lockfile is missing (it is committed with the frontend)"

# --- 1. the Rust toolchain ----------------------------------------------------------

# "1.96.0" from "rustc 1.96.0 (…)"; the minimum is the frontend's rust-version.
rustc_version_of() { "$1" --version 2>/dev/null | awk '{print $2}' | cut -d- -f1; }
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" == "$2" ]]; }
min_rust="$(sed -n 's/^rust-version *= *"\(.*\)"/\1/p' "$frontend/Cargo.toml" | head -1)"
min_rust="${min_rust:-1.88}"

mode="${MEZHA_WASM_MODE:-}"
if [[ -z $mode ]]; then
    mode=debian
    # Run from frontend/ so that a toolchain override there would count.
    if have rustup && (cd "$frontend" && rustup target list --installed 2>/dev/null) |
        grep -qx 'wasm32-unknown-unknown'; then
        mode=rustup
    fi
fi

debian_ready() {
    local pkg
    for pkg in "${debian_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || return 1
    done
    [[ -x /usr/bin/cargo && -x /usr/bin/rustc && -d /usr/lib/rustlib/src/rust/library ]] ||
        return 1
    PATH=/usr/bin command -v rust-lld >/dev/null 2>&1 || return 1
    version_ge "$(rustc_version_of /usr/bin/rustc)" "$min_rust"
}

case $mode in
rustup)
    cargo="$cargo_bin/cargo"
    [[ -x $cargo ]] || cargo="$(command -v cargo)"
    log "toolchain: rustup ($(cd "$frontend" && rustc --version)) with wasm32-unknown-unknown"
    ;;
debian)
    if debian_ready; then
        log "toolchain: Debian $(/usr/bin/rustc --version) (${debian_packages[*]} present)"
    else
        have apt-get || die "Debian's ${debian_packages[*]} are needed and apt-get is missing"
        sudo=()
        if [[ $(id -u) -ne 0 ]]; then
            have sudo || die "installing ${debian_packages[*]} needs root (or sudo)"
            sudo=(sudo)
        fi
        log "installing Debian ${debian_packages[*]} (apt-get update + install, once)"
        "${sudo[@]}" apt-get update -qq >&2 || log "apt-get update failed; trying the install anyway"
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
            "${debian_packages[@]}" >&2 || die "apt-get install ${debian_packages[*]} failed"
        debian_ready || die "after installing ${debian_packages[*]}: need /usr/bin/cargo," \
            "/usr/bin/rustc >= $min_rust, /usr/lib/rustlib/src/rust/library and rust-lld in /usr/bin"
        log "toolchain: installed Debian $(/usr/bin/rustc --version)"
    fi
    cargo=/usr/bin/cargo
    ;;
*) die "MEZHA_WASM_MODE must be rustup or debian, not '$mode'" ;;
esac

# --- 2. the wasm-bindgen CLI, same version as the crate in Cargo.lock ----------------

bindgen_version="$(awk '/^name = "wasm-bindgen"$/ {found = 1; next}
    found && /^version = / {gsub(/"/, "", $3); print $3; exit}' "$lockfile")"
[[ -n $bindgen_version ]] || die "no wasm-bindgen in $lockfile"
if ! grep -Eq "^wasm-bindgen = .*\"=$bindgen_version\"" "$frontend/Cargo.toml"; then
    die "frontend/Cargo.toml must pin wasm-bindgen = \"=$bindgen_version\" (the version in Cargo.lock)"
fi

installed_bindgen_version() { "$1" --version 2>/dev/null | awk '{print $2}'; }
wasm_bindgen="$cargo_bin/wasm-bindgen"
[[ -x $wasm_bindgen ]] || wasm_bindgen="$(command -v wasm-bindgen || true)"
if [[ -n $wasm_bindgen && "$(installed_bindgen_version "$wasm_bindgen")" == "$bindgen_version" ]]; then
    log "wasm-bindgen $bindgen_version: present ($wasm_bindgen)"
else
    # rustup's cargo, never Debian's /usr/bin/cargo; outside the project so that
    # neither frontend/.cargo/config.toml nor a CARGO_TARGET_DIR applies.
    [[ -x $cargo_bin/cargo ]] ||
        die "rustup's cargo ($cargo_bin/cargo) is needed to install wasm-bindgen-cli $bindgen_version"
    install_bindgen() { # extra cargo-install arguments...
        (cd / && env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR -u CARGO_BUILD_TARGET \
            -u RUSTC_BOOTSTRAP -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
            "$cargo_bin/cargo" install wasm-bindgen-cli --version "$bindgen_version" "$@")
    }
    log "installing wasm-bindgen-cli $bindgen_version with $cargo_bin/cargo (once; ~2.5 min)"
    install_log="$(mktemp)"
    trap 'rm -f "$install_log"' EXIT
    if ! install_bindgen --locked 2>&1 | tee "$install_log" >&2; then
        # The registry reached from these machines may lack a version that the
        # CLI's own Cargo.lock names; then resolve its dependencies afresh.
        grep -q 'failed to select a version' "$install_log" ||
            die "cargo install wasm-bindgen-cli --version $bindgen_version --locked failed"
        log "its Cargo.lock names a crate version this registry lacks; retrying without --locked"
        install_bindgen >&2 || die "cargo install wasm-bindgen-cli --version $bindgen_version failed"
    fi
    wasm_bindgen="$cargo_bin/wasm-bindgen"
    [[ "$(installed_bindgen_version "$wasm_bindgen")" == "$bindgen_version" ]] ||
        die "installed wasm-bindgen does not report version $bindgen_version"
    log "wasm-bindgen $bindgen_version: installed ($wasm_bindgen)"
fi

# --- 3. wasm-split-cli, the version of the wasm_split_helpers crate ------------------
# The macros (#[lazy], #[lazy_route]) and the splitter agree on a format that
# is marked unstable: the CLI must be of the same version as the helpers.

split_version="$(awk '/^name = "wasm_split_helpers"$/ {found = 1; next}
    found && /^version = / {gsub(/"/, "", $3); print $3; exit}' "$lockfile")"
[[ -n $split_version ]] || die "no wasm_split_helpers in $lockfile (leptos brings it)"
split_stamp="$cargo_bin/.wasm-split-cli.version"
wasm_split="$cargo_bin/wasm-split-cli"
if [[ -x $wasm_split && -f $split_stamp && "$(cat "$split_stamp")" == "$split_version" ]]; then
    log "wasm-split-cli $split_version: present ($wasm_split)"
else
    [[ -x $cargo_bin/cargo ]] ||
        die "rustup's cargo ($cargo_bin/cargo) is needed to install wasm-split-cli $split_version"
    log "installing wasm_split_cli_support $split_version (wasm-split-cli) with $cargo_bin/cargo (once; ~1.5 min)"
    (cd / && env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR -u CARGO_BUILD_TARGET \
        -u RUSTC_BOOTSTRAP -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
        "$cargo_bin/cargo" install wasm_split_cli_support --version "$split_version" \
        --features build-binary --locked --force >&2) ||
        die "cargo install wasm_split_cli_support --version $split_version failed"
    [[ -x $wasm_split ]] || die "cargo install did not put wasm-split-cli in $cargo_bin"
    printf '%s\n' "$split_version" >"$split_stamp"
    log "wasm-split-cli $split_version: installed ($wasm_split)"
fi

# --- 4. wasm-opt (optional) from npm's binaryen -------------------------------------

wasm_opt=""
wasm_opt_candidate="$tools/node_modules/.bin/wasm-opt"
binaryen_ok() { "$wasm_opt_candidate" --version 2>/dev/null | grep -q "version $binaryen_version\b"; }
if [[ ${MEZHA_WASM_OPT:-1} == 0 ]]; then
    log "wasm-opt: skipped (MEZHA_WASM_OPT=0)"
elif binaryen_ok; then
    wasm_opt="$wasm_opt_candidate"
    log "wasm-opt: present (binaryen $binaryen_version, $wasm_opt)"
elif have npm; then
    log "installing npm binaryen@$binaryen_version into ${tools#"$root"/} (once)"
    mkdir -p "$tools"
    if npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
        "binaryen@$binaryen_version" >&2 && binaryen_ok; then
        wasm_opt="$wasm_opt_candidate"
        log "wasm-opt: installed (binaryen $binaryen_version)"
    else
        log "wasm-opt: npm install binaryen@$binaryen_version failed; building without wasm-opt"
    fi
else
    log "wasm-opt: npm not found; building without wasm-opt (the bundle is ~2% larger)"
fi

printf 'mode=%s\ncargo=%s\nwasm_bindgen=%s\nwasm_bindgen_version=%s\nwasm_split=%s\nwasm_split_version=%s\nwasm_opt=%s\n' \
    "$mode" "$cargo" "$wasm_bindgen" "$bindgen_version" "$wasm_split" "$split_version" "$wasm_opt"
