//! The stand-in's HTTP side: the `/v1` routes behind the fault injector and
//! the bearer token, the loopback-only `/control` routes, and problem+json
//! answers for every error (docs/registry-gateway.md).

use crate::package;
use crate::protocol::{
    Advanced, FaultSpec, FeeNotice, IDEMPOTENCY_KEY_HEADER, PACKAGE_CONTENT_TYPE,
    PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX, Plan, Problem, valid_idempotency_key,
};
use crate::registry::{Answer, FeeRefusal, Registry};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Extensions, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use mezha_domain::uin::Uin;
use secrecy::ExposeSecret;
use serde::Deserialize;
use std::any::Any;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The registry as the handlers see it.
pub type State = web::Data<Registry>;

/// The routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/v1")
            .wrap(from_fn(require_token))
            .wrap(from_fn(inject_faults))
            .route("/packages", web::post().to(create_package))
            .route("/packages", web::get().to(list_packages))
            .route("/packages/{id}", web::get().to(get_package))
            .route("/packages/{id}/fee", web::post().to(pay_fee)),
    )
    .service(
        web::scope("/control")
            .wrap(from_fn(loopback_only))
            .route("/plan/{reference}", web::put().to(put_plan))
            .route("/faults", web::put().to(put_fault))
            .route("/stats", web::get().to(get_stats))
            .route("/advance", web::post().to(advance)),
    )
    .default_service(web::to(|| async {
        problem(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
    }));
}

// ------------------------------------------------------------------ problems

/// A problem+json answer.
pub fn problem(status: StatusCode, code: &str, detail: impl Into<String>) -> HttpResponse {
    let body = Problem {
        kind: format!("{PROBLEM_TYPE_PREFIX}{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: detail.into(),
    };
    HttpResponse::build(status)
        .content_type(PROBLEM_CONTENT_TYPE)
        .json(body)
}

fn bad_request(detail: impl Into<String>) -> HttpResponse {
    problem(StatusCode::BAD_REQUEST, "bad_request", detail)
}

/// The body as JSON of `T`, or why not (for a 400 problem).
fn parse_json<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("the body is not valid: {e}"))
}

// ------------------------------------------------------------------ middleware

/// The connection of a request, kept so that a fault can close it.
#[derive(Clone)]
struct Connection(Arc<std::net::TcpStream>);

/// `HttpServer::on_connect`: keeps a handle on each connection's socket.
pub fn remember_connection(connection: &dyn Any, data: &mut Extensions) {
    let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() else {
        return;
    };
    #[cfg(unix)]
    let owned = std::os::fd::AsFd::as_fd(tcp).try_clone_to_owned();
    #[cfg(windows)]
    let owned = std::os::windows::io::AsSocket::as_socket(tcp).try_clone_to_owned();
    #[cfg(any(unix, windows))]
    if let Ok(owned) = owned {
        data.insert(Connection(Arc::new(std::net::TcpStream::from(owned))));
    }
}

/// Closes the request's connection at once, whatever is written after.
fn drop_connection(req: &HttpRequest) {
    if let Some(Connection(tcp)) = req.conn_data::<Connection>() {
        // Already closed is as good.
        let _ = tcp.shutdown(std::net::Shutdown::Both);
    }
}

/// Counts `/v1` requests by idempotency key and injects the fault they meet
/// (`PUT /control/faults`).
async fn inject_faults(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(registry) = req.app_data::<State>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = req
        .headers()
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some((kind, delay)) = registry.meet_fault(key.as_deref()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    use crate::protocol::FaultKind as F;
    tracing::info!(fault = ?kind, path = %req.path(), "injecting a fault");
    match kind {
        F::None => Ok(next.call(req).await?.map_into_boxed_body()),
        F::Status500 => Ok(req.into_response(problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "injected fault: the registry failed",
        ))),
        F::Status503 => {
            let mut response = problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "injected fault: the registry is unavailable",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            Ok(req.into_response(response))
        }
        F::Slow => {
            let response = next.call(req).await?;
            tokio::time::sleep(delay).await;
            Ok(response.map_into_boxed_body())
        }
        F::DropBefore => {
            drop_connection(req.request());
            Ok(req.into_response(HttpResponse::InternalServerError().finish()))
        }
        F::DropAfter => {
            let response = next.call(req).await?;
            drop_connection(response.request());
            Ok(response.map_into_boxed_body())
        }
    }
}

/// Lets a `/v1` request in only with the configured bearer token.
async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let expected = req
        .app_data::<State>()
        .and_then(|r| r.config().api_token.as_ref())
        .map(|t| t.expose_secret().to_owned());
    if let Some(expected) = expected {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            let mut response = problem(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "a valid `Authorization: Bearer <token>` is required",
            );
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return Ok(req.into_response(response));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Lets a `/control` request in only from the loopback interface.
async fn loopback_only(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !req.peer_addr().is_some_and(|a| a.ip().is_loopback()) {
        return Ok(req.into_response(problem(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the control API answers the loopback interface only",
        )));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

// ------------------------------------------------------------------ /v1

fn replay(answer: &Answer) -> HttpResponse {
    HttpResponse::build(StatusCode::from_u16(answer.status).unwrap_or(StatusCode::ACCEPTED))
        .content_type("application/json")
        .body(answer.body.clone())
}

/// `POST /v1/packages`: takes a package in, once per idempotency key.
async fn create_package(
    req: HttpRequest,
    mut payload: web::Payload,
    registry: State,
) -> HttpResponse {
    let Some(key) = req
        .headers()
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|k| valid_idempotency_key(k))
        .map(str::to_owned)
    else {
        return bad_request(format!(
            "an `{IDEMPOTENCY_KEY_HEADER}` header of 1 to 200 printable characters is required"
        ));
    };
    // One request per key at a time; a later one replays the first answer.
    let slot = registry.slot(&key);
    let mut answer = slot.lock().await;
    if let Some(answer) = answer.as_ref() {
        return replay(answer);
    }

    if let Some(content_type) = req.headers().get(header::CONTENT_TYPE) {
        let essence = content_type
            .to_str()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence != PACKAGE_CONTENT_TYPE {
            return problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("a package is sent as `{PACKAGE_CONTENT_TYPE}`"),
            );
        }
    }

    let limit = registry.config().max_package_bytes;
    let too_large = || {
        problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("a package is at most {limit} bytes"),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => return bad_request(format!("the body could not be read: {e}")),
        };
        if body.len() + chunk.len() > limit {
            return too_large();
        }
        body.extend_from_slice(&chunk);
    }

    let body = body.freeze();
    let unpacked_limit = limit.saturating_mul(4);
    let contents = match web::block(move || package::read(&body, unpacked_limit)).await {
        Ok(Ok(contents)) => contents,
        Ok(Err(why)) => {
            return problem(StatusCode::BAD_REQUEST, "malformed_package", why);
        }
        Err(e) => {
            tracing::error!(error = %e, "reading a package failed");
            return problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "the package could not be read",
            );
        }
    };
    let receipt = registry.create(contents);
    let stored = Answer {
        status: StatusCode::ACCEPTED.as_u16(),
        body: serde_json::to_vec(&receipt).unwrap_or_default(),
    };
    let response = replay(&stored);
    *answer = Some(stored);
    response
}

#[derive(Deserialize)]
struct ListQuery {
    reference: Option<String>,
}

/// `GET /v1/packages?reference=…`: the packages of a reference.
async fn list_packages(query: web::Query<ListQuery>, registry: State) -> HttpResponse {
    match query.into_inner().reference {
        Some(reference) => HttpResponse::Ok().json(registry.by_reference(&reference)),
        None => bad_request("the `reference` query parameter is required"),
    }
}

/// `GET /v1/packages/{id}`: a package and its status history.
async fn get_package(id: web::Path<String>, registry: State) -> HttpResponse {
    match registry.view(&id) {
        Some(view) => HttpResponse::Ok().json(view),
        None => problem(StatusCode::NOT_FOUND, "not_found", "no such package"),
    }
}

/// `POST /v1/packages/{id}/fee`: the state fee's payment notice.
async fn pay_fee(id: web::Path<String>, body: web::Bytes, registry: State) -> HttpResponse {
    let notice: FeeNotice = match parse_json(&body) {
        Ok(notice) => notice,
        Err(why) => return bad_request(why),
    };
    if let Err(e) = Uin::parse(&notice.uin) {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_fee_notice",
            format!("uin: {} ({})", e.message, e.code),
        );
    }
    if notice.amount_kopecks == 0 {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_fee_notice",
            "amount_kopecks: the amount must be more than zero",
        );
    }
    match registry.fee(&id, &notice) {
        Ok(receipt) => HttpResponse::Ok().json(receipt),
        Err(FeeRefusal::NotFound) => problem(StatusCode::NOT_FOUND, "not_found", "no such package"),
        Err(FeeRefusal::Conflict(why)) => problem(StatusCode::CONFLICT, "conflict", why),
    }
}

// ------------------------------------------------------------------ /control

/// `PUT /control/plan/{reference}`.
async fn put_plan(reference: web::Path<String>, body: web::Bytes, registry: State) -> HttpResponse {
    let plan: Plan = match parse_json(&body) {
        Ok(plan) => plan,
        Err(why) => return bad_request(why),
    };
    registry.plan(&reference, plan.clone());
    HttpResponse::Ok().json(plan)
}

/// `PUT /control/faults`.
async fn put_fault(body: web::Bytes, registry: State) -> HttpResponse {
    let spec: FaultSpec = match parse_json(&body) {
        Ok(spec) => spec,
        Err(why) => return bad_request(why),
    };
    if spec.scope.is_empty() {
        return bad_request("the scope is `global` or an idempotency key");
    }
    registry.set_fault(&spec);
    HttpResponse::Ok().json(spec)
}

/// `GET /control/stats`.
async fn get_stats(registry: State) -> HttpResponse {
    HttpResponse::Ok().json(registry.stats())
}

/// `POST /control/advance`: every scheduled step now, one per package.
async fn advance(registry: State) -> HttpResponse {
    let registry = registry.into_inner();
    let steps = registry.run_due(true).await;
    HttpResponse::Ok().json(Advanced { steps })
}
