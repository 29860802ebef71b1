//! Mezha's web app: a Leptos (client-side rendered) single-page app
//! compiled to WebAssembly, served by the server at `/`. Entry point: mounts
//! [`app::App`] into `<body>`. Build: `make frontend` (docs/ARCHITECTURE.md,
//! "The web app").
//!
//! Its own cargo workspace (wasm32). Depends on `mezha-api-types` for every
//! request and response and on `mezha-cms-build` for the DER the browser
//! signs; never on the server's crates (domain, store, app, http). Talks to
//! the server only through the JSON API.
//!
//! | module | what it does |
//! |---|---|
//! | `api` | the one API client: problem+json → errors, 401 → one refresh → retry; one file per resource |
//! | `app` | the root component: context, the first silent refresh, the header, the routes |
//! | `components` | building blocks: header, form fields with server errors, status states, chat panel, notifications panel |
//! | `crypto` | signatures in the browser: WebCrypto keys kept in IndexedDB, requests and CMS via `mezha-cms-build` |
//! | `i18n` | every string in Russian (default) and English; a missing one does not compile |
//! | `pages` | one module per page |
//! | `state` | the interface language and the session (access token in memory only) |

mod api;
mod app;
mod components;
mod crypto;
mod i18n;
mod pages;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
