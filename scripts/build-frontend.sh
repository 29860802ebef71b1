#!/usr/bin/env bash
# Build the Leptos frontend into frontend/dist/ (what the server serves):
#
#   dist/index.html                       from frontend/index.html, not hashed
#   dist/assets/mezha-web-<hash>.js       wasm-bindgen's JS glue
#   dist/assets/mezha-web-<hash>_bg.wasm  the app (wasm-opt -Oz when available)
#   dist/assets/boot-<hash>.js            imports the glue and starts it with the
#                                         wasm's hashed path
#   dist/assets/style-<hash>.css          frontend/style.css
#   dist/<anything in frontend/public/>   copied as is (favicon.svg, ...)
#
# Steps: scripts/ensure-wasm-toolchain.sh (installs what is missing) → cargo build
# --release for wasm32-unknown-unknown (rustup's target, or Debian's toolchain with
# -Zbuild-std) → wasm-bindgen --target web → wasm-opt -Oz (optional; its output is
# used only if it behaves like wasm-bindgen's in node) → hashed names → dist/.
# Idempotent: the same sources give byte-identical files, and a run with nothing
# changed takes a few seconds. Works from any directory.
#
# The hashed assets never change under their name: serve /assets/* with
# `Cache-Control: public, max-age=31536000, immutable` and index.html with
# `no-cache`. Everything is loaded from /assets/ (no inline script), so a
# Content-Security-Policy of `script-src 'self' 'wasm-unsafe-eval'` fits.
set -euo pipefail

log() { printf 'build-frontend: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
frontend="$root/frontend"
target_dir="$frontend/target"
triple=wasm32-unknown-unknown
crate=mezha-web
started=$SECONDS

# --- toolchain ------------------------------------------------------------------------
toolchain="$(bash "$root/scripts/ensure-wasm-toolchain.sh")"
mode="" cargo="" wasm_bindgen="" wasm_bindgen_version="" wasm_opt=""
while IFS='=' read -r key value; do
    case $key in
    mode) mode=$value ;;
    cargo) cargo=$value ;;
    wasm_bindgen) wasm_bindgen=$value ;;
    wasm_bindgen_version) wasm_bindgen_version=$value ;;
    wasm_opt) wasm_opt=$value ;;
    esac
done <<<"$toolchain"
[[ -n $mode && -n $cargo && -n $wasm_bindgen ]] || die "ensure-wasm-toolchain.sh said: $toolchain"

# --- 1. cargo build ---------------------------------------------------------------------
# frontend/ is its own workspace with its own target directory; the backend's
# settings (CARGO_TARGET_DIR, RUSTFLAGS, a build target) must not leak into it.
cargo_env=(env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR -u CARGO_BUILD_TARGET
    -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u RUSTC -u RUSTDOC -u RUSTUP_TOOLCHAIN
    -u RUSTC_BOOTSTRAP CARGO_TARGET_DIR="$target_dir")
cargo_args=(build --release --locked --target "$triple")
case $mode in
debian)
    # Debian's rustc-web/cargo-web in /usr/bin (ahead of rustup's proxies); std is
    # built from rust-web-src, which needs RUSTC_BOOTSTRAP for -Zbuild-std.
    cargo_env+=(PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1)
    cargo_args+=(-Zbuild-std=std,panic_abort)
    ;;
rustup)
    # rustup's prebuilt std for wasm32; without RUSTC_BOOTSTRAP, stable cargo
    # ignores the [unstable] build-std of frontend/.cargo/config.toml.
    ;;
esac
log "cargo build ($mode: $cargo ${cargo_args[*]})"
(cd "$frontend" && "${cargo_env[@]}" "$cargo" "${cargo_args[@]}") ||
    die "cargo build of the frontend failed"
wasm_in="$target_dir/$triple/release/$crate.wasm"
[[ -f $wasm_in ]] || die "cargo did not produce $wasm_in"

# --- 2. wasm-bindgen and wasm-opt, cached by their input --------------------------------
sha() { sha256sum "$1" | cut -c1-64; }
short_sha() { sha "$1" | cut -c1-8; }

web="$target_dir/web"
opt_flags=(-Oz)
wasm_opt_version=""
[[ -n $wasm_opt ]] && wasm_opt_version="$("$wasm_opt" --version 2>/dev/null || true)"
# The key covers this script too, so a change of the steps below redoes them.
cache_key="$(printf '%s\n' "$(sha "${BASH_SOURCE[0]}")" "$(sha "$wasm_in")" "wasm-bindgen $wasm_bindgen_version" \
    "wasm-opt ${wasm_opt:+$wasm_opt_version ${opt_flags[*]}}" | sha256sum | cut -c1-64)"

# Load the module in node with its glue and run it: in node, `main` gets as far as
# mounting and then traps for want of a `window`. The answer is one line (how it
# ended, and the first line the app logged) for comparing two builds of one app.
probe() { # dir-with-glue-and-wasm
    local dir=$1 tmp
    tmp="$(mktemp -d)"
    cp "$dir/$crate.js" "$tmp/glue.mjs"
    [[ ! -d $dir/snippets ]] || cp -r "$dir/snippets" "$tmp/"
    (cd "$tmp" && timeout 120 node --input-type=module -e '
        import { readFileSync } from "node:fs";
        const logged = [];
        for (const level of ["log", "info", "warn", "error", "debug"])
            console[level] = (...args) => logged.push(String(args[0] ?? "").split("\n")[0]);
        const say = (outcome) => {
            process.stdout.write(JSON.stringify({ outcome, first_logged: logged[0] ?? "" }) + "\n");
            process.exit(0);
        };
        const bytes = readFileSync(process.argv[1]);
        let module;
        try { module = await WebAssembly.compile(bytes); }
        catch (e) { say(`does not compile: ${e}`); }
        const glue = await import("./glue.mjs");
        let outcome = "started";
        try { glue.initSync({ module }); }
        catch (e) { outcome = `${e.constructor.name}: ${e.message}`; }
        process.on("unhandledRejection", () => {});
        setTimeout(() => say(outcome), 50);
    ' "$dir/${crate}_bg.wasm")
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

if [[ -f $web/key && "$(cat "$web/key")" == "$cache_key" && -f $web/out/${crate}_bg.wasm ]]; then
    log "wasm-bindgen/wasm-opt: up to date (same wasm as last time)"
else
    rm -rf "$web"
    mkdir -p "$web/bindgen"
    log "wasm-bindgen $wasm_bindgen_version --target web"
    "$wasm_bindgen" --target web --no-typescript --remove-name-section \
        --remove-producers-section --out-dir "$web/bindgen" --out-name "$crate" "$wasm_in" ||
        die "wasm-bindgen failed"
    if command -v node >/dev/null 2>&1; then
        baseline="$(probe "$web/bindgen")" || die "node could not load the wasm-bindgen output"
        case $baseline in
        *'"outcome":"does not compile'* | *'"outcome":"CompileError'* | *'"outcome":"LinkError'*)
            die "the wasm-bindgen output does not load in node: $baseline"
            ;;
        esac
    else
        baseline=""
        log "node not found: the wasm is not checked"
    fi
    cp -r "$web/bindgen" "$web/out"
    if [[ -n $wasm_opt ]]; then
        log "wasm-opt ${opt_flags[*]} ($wasm_opt_version)"
        if "$wasm_opt" "${opt_flags[@]}" "$web/bindgen/${crate}_bg.wasm" -o "$web/opt.wasm"; then
            mkdir -p "$web/optcheck"
            cp -r "$web/bindgen/." "$web/optcheck/"
            cp "$web/opt.wasm" "$web/optcheck/${crate}_bg.wasm"
            optimised=""
            [[ -z $baseline ]] || optimised="$(probe "$web/optcheck" || true)"
            if [[ $optimised == "$baseline" ]]; then
                cp "$web/opt.wasm" "$web/out/${crate}_bg.wasm"
            else
                log "WARNING: the wasm-opt output behaves differently in node; using wasm-bindgen's"
                log "  wasm-bindgen's: $baseline"
                log "  wasm-opt's:     $optimised"
            fi
        else
            log "WARNING: wasm-opt failed; using wasm-bindgen's output"
        fi
    fi
    # Expected: main() starts and traps for want of a DOM (node has no `window`).
    [[ -z $baseline ]] || log "node: the wasm instantiates and runs main(): $baseline"
    printf '%s\n' "$cache_key" >"$web/key"
fi

# --- 3. dist/: hashed assets, index.html, public/ ---------------------------------------
stage="$target_dir/dist.new"
rm -rf "$stage"
mkdir -p "$stage/assets"
[[ -d $frontend/public ]] && cp -r "$frontend/public/." "$stage/"

glue_name="$crate-$(short_sha "$web/out/$crate.js").js"
wasm_name="$crate-$(short_sha "$web/out/${crate}_bg.wasm")_bg.wasm"
style_name="style-$(short_sha "$frontend/style.css").css"
cp "$web/out/$crate.js" "$stage/assets/$glue_name"
cp "$web/out/${crate}_bg.wasm" "$stage/assets/$wasm_name"
cp "$frontend/style.css" "$stage/assets/$style_name"
# JS that Rust crates bring along (#[wasm_bindgen(inline_js/module)]), if any: the
# glue imports it by a relative path.
[[ ! -d $web/out/snippets ]] || cp -r "$web/out/snippets" "$stage/assets/"
# The glue would look for "<crate>_bg.wasm" next to itself: pass the hashed name.
cat >"$stage/assets/boot.js" <<EOF
import init from "./$glue_name";
init({ module_or_path: new URL("./$wasm_name", import.meta.url) });
EOF
boot_name="boot-$(short_sha "$stage/assets/boot.js").js"
mv "$stage/assets/boot.js" "$stage/assets/$boot_name"

sed -e "s|{{style}}|/assets/$style_name|g" -e "s|{{boot}}|/assets/$boot_name|g" \
    -e "s|{{glue}}|/assets/$glue_name|g" -e "s|{{wasm}}|/assets/$wasm_name|g" \
    -e '/^<!-- build-frontend:/,/-->$/d' "$frontend/index.html" >"$stage/index.html"
if grep -q '{{' "$stage/index.html"; then
    die "frontend/index.html has a placeholder the script does not fill: $(grep -o '{{[^}]*}}' "$stage/index.html" | head -1)"
fi

# Swap in only when something changed, so that a rebuild leaves dist/ untouched.
dist="$frontend/dist"
if [[ -d $dist ]] && diff -r -q "$stage" "$dist" >/dev/null 2>&1; then
    rm -rf "$stage"
    log "dist/: unchanged"
else
    rm -rf "$dist.old"
    [[ -d $dist ]] && mv "$dist" "$dist.old"
    mv "$stage" "$dist"
    rm -rf "$dist.old"
    log "dist/: written"
fi

# --- sizes ---------------------------------------------------------------------------
(
    cd "$dist"
    printf '%-44s %10s %10s\n' "frontend/dist/" "bytes" "gzip -9"
    find . -type f | sort | while read -r file; do
        printf '%-44s %10d %10d\n' "${file#./}" "$(stat -c %s "$file")" "$(gzip -9 -c "$file" | wc -c)"
    done
) >&2
log "done in $((SECONDS - started)) s"
