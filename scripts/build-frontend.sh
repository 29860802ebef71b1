#!/usr/bin/env bash
# Build the Leptos frontend into frontend/dist/ (what the server serves):
#
#   dist/index.html                        from frontend/index.html, not hashed
#   dist/assets/app-<hash>/                the app, cut into chunks, named after
#                                          the hash of everything in it:
#     mezha-web.js                         wasm-bindgen's JS glue
#     mezha-web_bg.wasm                    the main module: the shell (wasm-opt -Oz)
#     __wasm_split.js                      fetches a pack when a split point is
#                                          first called, and its modules from it
#     common.wasmpack, <split>.wasmpack    the lazily loaded pages and parts:
#                                          wasm-split's chunks, packed by
#                                          scripts/web-pack.mjs (common code, and
#                                          each split point's own)
#   dist/assets/boot-<hash>.js             starts the app (and fetches the packs
#                                          of a lazily loaded page's address)
#   dist/assets/style-<hash>.css           frontend/style.css
#   dist/assets/**/*.br                    brotli (quality 11) of each .js/.wasm/.wasmpack/.css
#   dist/<anything in frontend/public/>    copied as is (favicon.svg, ...)
#
# Steps: scripts/ensure-wasm-toolchain.sh (installs what is missing) → cargo build
# --release for wasm32-unknown-unknown (rustup's target, or Debian's toolchain with
# -Zbuild-std; frontend/build.rs links with --emit-relocs) → wasm-split-cli (the
# #[lazy]/#[lazy_route] split points into chunks) → wasm-bindgen --target web on
# the main module → wasm-opt -Oz on every module (optional; used only if the result
# behaves like wasm-bindgen's in node) → the chunks into packs (web-pack.mjs) →
# the hashed folder → brotli → dist/.
# Idempotent: the same sources give byte-identical files, and a run with nothing
# changed takes a few seconds. Works from any directory. docs/ARCHITECTURE.md,
# "Code splitting", says what goes where.
#
# The hashed assets never change under their name: serve /assets/** with
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
# WEB_TARGET_DIR moves the target directory (CI keeps one between runs).
target_dir="${WEB_TARGET_DIR:-$frontend/target}"
triple=wasm32-unknown-unknown
crate=mezha-web
started=$SECONDS

# --- toolchain ------------------------------------------------------------------------
toolchain="$(bash "$root/scripts/ensure-wasm-toolchain.sh")"
mode="" cargo="" wasm_bindgen="" wasm_bindgen_version="" wasm_split="" wasm_split_version="" wasm_opt=""
while IFS='=' read -r key value; do
    case $key in
    mode) mode=$value ;;
    cargo) cargo=$value ;;
    wasm_bindgen) wasm_bindgen=$value ;;
    wasm_bindgen_version) wasm_bindgen_version=$value ;;
    wasm_split) wasm_split=$value ;;
    wasm_split_version) wasm_split_version=$value ;;
    wasm_opt) wasm_opt=$value ;;
    esac
done <<<"$toolchain"
[[ -n $mode && -n $cargo && -n $wasm_bindgen && -n $wasm_split ]] || die "ensure-wasm-toolchain.sh said: $toolchain"

# node checks the wasm, packs the chunks and writes the brotli files.
command -v node >/dev/null 2>&1 || die "node is needed (apt-get install nodejs)"

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
cache_key="$(printf '%s\n' "$(sha "${BASH_SOURCE[0]}")" "$(sha "$wasm_in")" "wasm-bindgen $wasm_bindgen_version" "wasm-split $wasm_split_version" \
    "wasm-opt ${wasm_opt:+$wasm_opt_version ${opt_flags[*]}}" | sha256sum | cut -c1-64)"

# Load the module in node with its glue and run it: in node, `main` gets as far as
# mounting and then traps for want of a `window`. The answer is one line (how it
# ended, and the first line the app logged) for comparing two builds of one app.
probe() { # dir-with-glue-and-wasm
    local dir=$1 tmp
    tmp="$(mktemp -d)"
    cp -r "$dir/." "$tmp/"
    # The glue and the loader are ES modules in .js files: node needs telling.
    printf '{"type":"module"}\n' >"$tmp/package.json"
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
        const glue = await import("./" + process.argv[2]);
        let outcome = "started";
        try { glue.initSync({ module }); }
        catch (e) { outcome = `${e.constructor.name}: ${e.message}`; }
        process.on("unhandledRejection", () => {});
        setTimeout(() => say(outcome), 50);
    ' "$dir/${crate}_bg.wasm" "$crate.js")
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

if [[ -f $web/key && "$(cat "$web/key")" == "$cache_key" && -f $web/out/${crate}_bg.wasm ]]; then
    log "wasm-split/wasm-bindgen/wasm-opt: up to date (same wasm as last time)"
else
    rm -rf "$web"
    mkdir -p "$web/split" "$web/bindgen"
    # Cut the lazily loaded parts (#[lazy], #[lazy_route]) out of the module:
    # split/$crate.wasm is the main module; the rest are its chunks and
    # __wasm_split.js, which fetches a chunk when its split point is first called.
    log "wasm-split-cli $wasm_split_version"
    "$wasm_split" "$wasm_in" "$web/split" --target web --out-name "$crate" >&2 ||
        die "wasm-split-cli failed"
    [[ -f $web/split/$crate.wasm && -f $web/split/__wasm_split.js ]] ||
        die "wasm-split-cli did not write $crate.wasm and __wasm_split.js"
    log "wasm-bindgen $wasm_bindgen_version --target web (the main module)"
    "$wasm_bindgen" --target web --no-typescript --remove-name-section \
        --remove-producers-section --keep-lld-exports --no-demangle \
        --out-dir "$web/bindgen" --out-name "$crate" "$web/split/$crate.wasm" ||
        die "wasm-bindgen failed"
    # The chunks and the loader sit beside the glue (they import it as ./$crate.js).
    find "$web/split" -maxdepth 1 -type f ! -name "$crate.wasm" -exec cp {} "$web/bindgen/" \;
    baseline="$(probe "$web/bindgen")" || die "node could not load the wasm-bindgen output"
    case $baseline in
    *'"outcome":"does not compile'* | *'"outcome":"CompileError'* | *'"outcome":"LinkError'*)
        die "the wasm-bindgen output does not load in node: $baseline"
        ;;
    esac
    cp -r "$web/bindgen" "$web/out"
    if [[ -n $wasm_opt ]]; then
        # The main module and every chunk of 8 KiB or more (on the tiny ones —
        # most of the shared chunks — it saves next to nothing and costs a
        # node start each), two at a time. The chunks keep a name section of
        # a kind binaryen does not know: it says so per module; not shown.
        log "wasm-opt ${opt_flags[*]} ($wasm_opt_version) on the main module and the chunks of 8 KiB or more"
        cp -r "$web/bindgen" "$web/optcheck"
        optimised_all=1
        find "$web/optcheck" -maxdepth 1 -name '*.wasm' -size +8k -print0 |
            xargs -0 -P "$(nproc)" -I{} sh -c '"$0" "$@" "{}" -o "{}.opt" && mv "{}.opt" "{}"' \
                "$wasm_opt" "${opt_flags[@]}" 2> >(grep -v 'unknown name subsection' >&2) ||
            optimised_all=0
        if ((optimised_all)); then
            optimised=""
            optimised="$(probe "$web/optcheck" || true)"
            if [[ $optimised == "$baseline" ]]; then
                rm -rf "$web/out"
                cp -r "$web/optcheck" "$web/out"
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
    log "node: the wasm instantiates and runs main(): $baseline"
    printf '%s\n' "$cache_key" >"$web/key"
fi

# --- 3. packs: the chunks in a few files, one request each -----------------------------
# (scripts/web-pack.mjs says why and how; it also writes $web/preload.json, the
# packs of each lazily loaded route, for the boot script.)
rm -rf "$web/packed"
cp -r "$web/out" "$web/packed"
node "$root/scripts/web-pack.mjs" pack "$web/packed" "$frontend/src/app.rs" || die "packing the chunks failed"

# --- 4. dist/: hashed assets, index.html, public/ ---------------------------------------
stage="$target_dir/dist.new"
rm -rf "$stage"
mkdir -p "$stage/assets"
[[ -d $frontend/public ]] && cp -r "$frontend/public/." "$stage/"

# The module, its glue, the loader and the chunks refer to each other by name
# (./$crate.js, ./__wasm_split.js, ./<chunk>.wasm): they go together into a
# folder named after the hash of all of them, so that every name is immutable.
app_hash="$(cd "$web/packed" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum |
    sha256sum | cut -c1-10)"
app_dir="app-$app_hash"
cp -r "$web/packed" "$stage/assets/$app_dir"
style_name="style-$(short_sha "$frontend/style.css").css"
cp "$frontend/style.css" "$stage/assets/$style_name"
glue="$app_dir/$crate.js"
wasm="$app_dir/${crate}_bg.wasm"
loader="$app_dir/__wasm_split.js"
node "$root/scripts/web-pack.mjs" boot "$app_dir" "$web/preload.json" >"$stage/assets/boot.js" ||
    die "writing the boot script failed"
boot_name="boot-$(short_sha "$stage/assets/boot.js").js"
mv "$stage/assets/boot.js" "$stage/assets/$boot_name"

sed -e "s|{{style}}|/assets/$style_name|g" -e "s|{{boot}}|/assets/$boot_name|g" \
    -e "s|{{glue}}|/assets/$glue|g" -e "s|{{wasm}}|/assets/$wasm|g" \
    -e "s|{{loader}}|/assets/$loader|g" \
    -e '/^<!-- build-frontend:/,/-->$/d' "$frontend/index.html" >"$stage/index.html"
if grep -q '{{' "$stage/index.html"; then
    die "frontend/index.html has a placeholder the script does not fill: $(grep -o '{{[^}]*}}' "$stage/index.html" | head -1)"
fi

# Brotli beside every script, module and style sheet (quality 11, made once,
# here): the server sends <file>.br to a client that accepts br.
find "$stage/assets" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.wasmpack' -o -name '*.css' \) -print0 |
    node -e '
        const fs = require("node:fs"), zlib = require("node:zlib");
        for (const file of fs.readFileSync(0, "utf8").split("\0").filter(Boolean)) {
            const bytes = fs.readFileSync(file);
            fs.writeFileSync(file + ".br", zlib.brotliCompressSync(bytes, { params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
            } }));
        }' || die "brotli compression (node) failed"

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
