//! Entry point of the browser app: mounts [`app::App`] into `<body>`.

mod app;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
