//! Parts of a page whose code is its own chunk (docs/ARCHITECTURE.md, "Code
//! splitting"): the signing panel, the chat, the certificate login. A
//! `#[lazy]` function returns the part's view once its chunk has arrived;
//! [`later`] shows the loading text until then.

use crate::state::t;
use leptos::prelude::*;
use std::future::Future;

/// What `load` renders — a `#[lazy]` function's view — with the loading text
/// while its chunk is fetched (only the first time: a loaded chunk stays).
pub fn later(load: impl Future<Output = AnyView> + Send + 'static) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">{t().loading}</p> }>
            {Suspend::new(load)}
        </Suspense>
    }
}
