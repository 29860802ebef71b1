//! One type for every reactive attribute, text and click handler.
//!
//! A closure written in a `view!` (`hidden=move || …`, `on:click=move |_| …`)
//! is a type of its own, and the framework's code that renders it is
//! compiled again for each one — a few hundred bytes of wasm a time. Wrapped
//! by these helpers every use has the same type (a `Signal`, or one closure
//! around a `Callback`), so that code exists once and the bundle stays in
//! its budget.

use leptos::ev::MouseEvent;
use leptos::prelude::*;

/// A derived signal: `hidden=sig(move || …)`, `{sig(move || …)}`.
pub fn sig<T: Send + Sync + 'static>(f: impl Fn() -> T + Send + Sync + 'static) -> Signal<T> {
    Signal::derive(f)
}

/// A click handler: `on:click=click(move |ev| …)`.
pub fn click(
    f: impl Fn(MouseEvent) + Send + Sync + 'static,
) -> impl Fn(MouseEvent) + Clone + 'static {
    run(Callback::new(f))
}

fn run(callback: Callback<MouseEvent>) -> impl Fn(MouseEvent) + Clone + 'static {
    move |ev| callback.run(ev)
}
