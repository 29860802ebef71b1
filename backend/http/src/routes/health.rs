//! Liveness and readiness.

use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use mezha_api_types::health::Health;

/// Liveness: the process is up and serving.
#[utoipa::path(tag = "service", responses((status = 200, description = "Alive", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: None,
        session_store: None,
    })
}

/// Readiness: the database and the session store (Redis or in-process) answer.
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "A dependency does not answer", body = Health),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let body = mezha_app::health::readiness(&state).await;
    let ready = body.status == "ok";
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
