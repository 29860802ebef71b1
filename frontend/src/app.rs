//! Placeholder application for the build pipeline: one route, `/`, that shows
//! the product name and asks the server for `GET /healthz`. The real pages
//! replace it.

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use mezha_api_types::health::Health;

/// The root component: header, router and the routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="app-header">
                <a class="brand" href="/">"Межа"</a>
            </header>
            <main class="container">
                <Routes fallback=|| view! { <p>"Страница не найдена."</p> }>
                    <Route path=path!("/") view=Home />
                </Routes>
            </main>
        </Router>
    }
}

/// `/`: the product name and the server's liveness.
#[component]
fn Home() -> impl IntoView {
    let health = LocalResource::new(fetch_health);
    view! {
        <h1>"Межа"</h1>
        <p>
            "Сервер: "
            <Suspense fallback=|| view! { <span>"проверяем…"</span> }>
                {move || {
                    health
                        .get()
                        .map(|answer| match answer {
                            Ok(h) => view! { <span class="ok">{h.status}</span> }.into_any(),
                            Err(e) => {
                                view! { <span class="error">"недоступен (" {e} ")"</span> }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </p>
    }
}

/// `GET /healthz`, decoded into the shared API type.
async fn fetch_health() -> Result<Health, String> {
    let response = Request::get("/healthz").send().await.map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    response.json::<Health>().await.map_err(|e| e.to_string())
}
