//! Link the browser build with relocations kept (`--emit-relocs`):
//! `wasm-split-cli` reads them to find what each split point reaches, and
//! cuts the lazily loaded pages into their own chunks (docs/ARCHITECTURE.md,
//! "Code splitting"; scripts/build-frontend.sh). A link argument of this
//! crate only, so the dependencies' builds are not invalidated by it.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=--emit-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
