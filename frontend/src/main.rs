//! Entry point of the browser app: mounts [`app::App`] into `<body>`.

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
