//! Liveness, readiness and metrics.

use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use mezha_api_types::health::Health;
use std::fmt::Write as _;

/// Liveness: the process is up and serving.
#[utoipa::path(tag = "service", responses((status = 200, description = "Alive", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: None,
        session_store: None,
        file_storage: None,
    })
}

/// Readiness: the database, the session store (Redis or in-process) and the
/// file storage (a directory or an S3 bucket) answer.
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

/// Metrics in the Prometheus text format.
///
/// Every job queue's rows by state (the whole deployment's, read from the
/// database) and this process's outcomes since it started
/// (docs/adr/0005-outbox-and-job-queue.md). Counts only, no personal
/// data; expose it to the monitoring network only.
#[utoipa::path(
    tag = "service",
    responses(
        (status = 200, description = "Prometheus text exposition format 0.0.4", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 500, description = "The database did not answer", body = mezha_api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, crate::error::ApiError> {
    let queues = mezha_app::health::queues(&state).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(exposition(&queues)))
}

/// The queues' figures as Prometheus families.
fn exposition(queues: &[mezha_app::health::QueueMetrics]) -> String {
    let mut out = String::new();
    out.push_str("# HELP mezha_queue_rows Rows of a job queue by state (every process).\n");
    out.push_str("# TYPE mezha_queue_rows gauge\n");
    for q in queues {
        let rows = [
            ("waiting", q.rows.waiting),
            ("due", q.rows.due),
            ("leased", q.rows.leased),
            ("failed", q.rows.failed),
        ];
        for (state, n) in rows {
            let _ = writeln!(
                out,
                "mezha_queue_rows{{queue=\"{}\",state=\"{state}\"}} {n}",
                q.queue
            );
        }
    }
    out.push_str(
        "# HELP mezha_queue_outcomes_total Attempts by outcome since this process started.\n",
    );
    out.push_str("# TYPE mezha_queue_outcomes_total counter\n");
    for q in queues {
        let outcomes = [
            ("done", q.outcomes.done),
            ("retried", q.outcomes.retried),
            ("given_up", q.outcomes.given_up),
        ];
        for (outcome, n) in outcomes {
            let _ = writeln!(
                out,
                "mezha_queue_outcomes_total{{queue=\"{}\",outcome=\"{outcome}\"}} {n}",
                q.queue
            );
        }
    }
    out
}
