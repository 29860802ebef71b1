//! The route's parameters, for the pages under `/…/:id`.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

/// The id in the route (`/orders/:id`, `/engineers/:id`, …), if it is one.
pub fn route_id() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse().ok()))
}
