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
//! | `api` | the one API client: problem+json → errors, 401 → one renewal → retry; knows the session only through `api::Credentials`; one file per resource |
//! | `app` | the root component: context, the first silent refresh, the header, the routes |
//! | `components` | building blocks: header, form fields, the server's problems as banners and field messages, load/error/empty states, the upload widget, chat panel, notifications panel |
//! | `crypto` | signatures in the browser: WebCrypto keys kept in IndexedDB, requests and CMS via `mezha-cms-build` |
//! | `format` | money, dates, moments, sizes and ratings in the current language |
//! | `i18n` | every string in Russian (default) and English; a missing one does not compile |
//! | `pages` | one module per page |
//! | `session` | the session: who is logged in, login, the silent refresh, role switch, logout (access token in memory only) |
//! | `state` | the interface language and the shared reference data |

mod api;
mod app;
mod components;
mod crypto;
mod format;
mod i18n;
mod pages;
mod session;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
