//! Mezha's HTTP layer: the actix-web edge of the JSON API.
//!
//! [`app`] builds the actix-web application: routes and their OpenAPI
//! description ([`routes`]), extractor configuration that turns every
//! malformed request into problem+json ([`error`]), the request-id and
//! compression middleware, the docs page, the built web app, and the
//! 404/405 fallback. Handlers are thin: they extract, call a use case of
//! the application layer (`mezha-app`), and map the result.
//!
//! Depends on `mezha-app` (the use cases), `mezha-api-types` (the wire
//! types), `mezha-domain` (field errors and a few parsers at the edge),
//! `mezha-signatures` (report types) and `mezha-store` only to map a
//! `StoreError` in [`error`]: no route imports the store. Never on sea-orm,
//! lettre, printpdf or argon2; no SQL and no use-case logic.
//!
//! | module | what it does |
//! |---|---|
//! | [`auth`] | the [`auth::Auth`] guard and the refresh-token cookie (docs/adr/0001-refresh-cookie.md) |
//! | [`compress`] | response compression (gzip by libdeflate) |
//! | [`error`] | `ApiError`: every failure as problem+json with a stable `code` |
//! | [`extract`] | validated JSON bodies, optional JSON bodies, facts about the client |
//! | [`idempotency`] | the `Idempotency-Key` header and replaying a stored answer |
//! | [`openapi`] | the OpenAPI 3.1 document's global parts and the route table |
//! | [`request_id`] | request ids, tracing spans, panics caught (the outermost middleware) |
//! | [`routes`] | every route, one file per resource, registered with its OpenAPI description |
//! | [`state`] | [`AppState`]: the [`mezha_app::App`] plus the edge's settings |
//! | [`webapp`] | serving the built web app from `frontend/dist` |

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod auth;
pub mod compress;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod messages;
pub mod openapi;
pub mod query;
pub mod rate_limit;
pub mod request_id;
pub mod routes;
pub mod security;
pub mod state;
pub mod text;
pub mod webapp;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, HttpRequest, middleware, web};
use mezha_api_types::limits::JSON_BODY_MAX_BYTES;
use std::sync::Arc;
use utoipa::OpenApi as _;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

pub use state::{AppState, HttpSettings};

/// Path of the served OpenAPI document.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// An app with every route registered, and the OpenAPI document collected
/// from the same registrations.
fn routed() -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    let (app, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .service(scope::scope("/api/v1").configure(routes::api_v1))
        .configure(routes::root)
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    openapi::document_query_refusals(&mut doc);
    openapi::document_headers(&mut doc);
    openapi::document_formats(&mut doc);
    openapi::document_body_refusals(&mut doc);
    (app, doc)
}

/// The OpenAPI document of every route, as served at [`OPENAPI_PATH`].
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    routed().1
}

/// Requests no route took: a file of the web app, the web app itself for
/// client-side routes, else 405/404 problem+json.
async fn fallback(
    req: &HttpRequest,
    state: &AppState,
    table: &openapi::RouteTable,
) -> Result<actix_web::HttpResponse, error::ApiError> {
    if let Some(app) = state.web.as_ref().filter(|_| webapp::is_app_request(req)) {
        let path = req.path().trim_start_matches('/');
        if let Some(file) = app.file(path, webapp::Accepts::of(req.headers())).await {
            return Ok(file);
        }
        // A client-side route (/orders/42) gets the app; a missing file (a
        // top-level name with a dot, anything under /assets/) a 404.
        let file_like = path.starts_with("assets/") || (!path.contains('/') && path.contains('.'));
        if !file_like && let Some(index) = app.index().await {
            return Ok(index);
        }
    }
    Err(table.fallback(req))
}

/// The application, serving `state`.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, doc) = routed();
    let table = Arc::new(openapi::RouteTable::new(&doc));
    let json = web::Data::new(openapi::Document(
        serde_json::to_string(&doc).unwrap_or_default(),
    ));
    app.app_data(state)
        .app_data(json)
        .app_data(web::Data::from(Arc::clone(&table)))
        .app_data(
            web::JsonConfig::default()
                .limit(JSON_BODY_MAX_BYTES)
                .error_handler(error::json_error),
        )
        .app_data(web::PayloadConfig::new(JSON_BODY_MAX_BYTES))
        .app_data(web::QueryConfig::default().error_handler(error::query_error))
        .app_data(web::PathConfig::default().error_handler(error::path_error))
        .route(
            "/api/docs",
            web::get().to(|| async {
                actix_web::HttpResponse::PermanentRedirect()
                    .insert_header((actix_web::http::header::LOCATION, "/api/docs/"))
                    .finish()
            }),
        )
        .service(
            SwaggerUi::new("/api/docs/{_:.*}")
                .config(utoipa_swagger_ui::Config::from(OPENAPI_PATH)),
        )
        .default_service(web::to(
            move |req: HttpRequest, state: web::Data<AppState>| {
                let table = Arc::clone(&table);
                async move { fallback(&req, &state, &table).await }
            },
        ))
        .wrap(middleware::from_fn(rate_limit::middleware))
        .wrap(middleware::from_fn(openapi::strict_query))
        .wrap(middleware::from_fn(text::middleware))
        .wrap(middleware::from_fn(openapi::allowed_methods))
        .wrap(middleware::from_fn(compress::middleware))
        .wrap(middleware::from_fn(security::middleware))
        .wrap(middleware::from_fn(request_id::middleware))
}
