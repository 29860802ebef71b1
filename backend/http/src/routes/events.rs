//! Live events (docs/notifications.md, "Live events (SSE)"): the caller's
//! notifications and counters as
//! Server-Sent Events, and the tickets that let a browser open them.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::openapi::problems::Unauthorized;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::events::EventTicket;
use mezha_api_types::{ErrorCode, Problem};
use mezha_app::events::{stream, tickets};
use serde::Deserialize;
use uuid::Uuid;

/// Query of `GET /events`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// A ticket of `POST /events/ticket`, instead of the `Authorization`
    /// header (browsers' `EventSource` cannot send headers).
    pub ticket: Option<String>,
    /// Resume after this event id, as the `Last-Event-ID` header does (for
    /// clients that cannot set it); the header wins when both are sent.
    pub last_event_id: Option<String>,
}

/// A one-use ticket to open the live-event stream.
///
/// For `GET /events?ticket=`: valid once, for 60 seconds, while the
/// session that asked for it lasts. Keeps the access token out of URLs.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket", body = EventTicket),
        Unauthorized,
    )
)]
#[post("/events/ticket")]
pub async fn create_ticket(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(tickets::issue(&state.tickets(), &auth).await?))
}

/// The caller's live events (Server-Sent Events).
///
/// `text/event-stream` of `event: notification` (`data:` a notification as
/// in `GET /notifications`, `id:` its id), `event: chat_message` (`data:` a
/// message as in the order chat, `id:` its id) and `event: counters`
/// (`data:` the unread counters, no id; sent first on every connection); a
/// comment line every 15 s as heartbeat. With `Last-Event-ID` (or
/// `?last_event_id=`) the notifications and chat messages after that id
/// come first, then live ones, none twice. Authenticated by the Bearer
/// token or `?ticket=`; the stream ends when that session does (checked
/// at each heartbeat). At most 5 streams per user and server: opening
/// another ends the oldest, which gets `event: replaced` (and `retry:` a
/// minute) first.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = []), ()),
    params(
        EventsQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "The id of the last event received"),
    ),
    responses(
        (status = 200, description = "The event stream; the schema is that of each event", content_type = "text/event-stream", body = mezha_api_types::events::LiveEventFrame),
        (status = 400, description = "Not an event id of this stream", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token or ticket", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events")]
pub async fn events(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<EventsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let (user, session) = match query.ticket.as_deref() {
        Some(ticket) => tickets::redeem(&state.tickets(), ticket).await?,
        None => {
            let auth = crate::auth::guard::from_bearer(&req).await?;
            (auth.user_id, auth.session_id)
        }
    };
    let last = req
        .headers()
        .get("last-event-id")
        .map(|v| v.to_str().unwrap_or("\u{0}").to_owned())
        .or(query.last_event_id)
        .filter(|s| !s.trim().is_empty());
    let last =
        match last {
            Some(s) => Some(s.trim().parse::<Uuid>().map_err(|_| {
                ApiError::new(ErrorCode::BadRequest, "events.last_event_id_invalid")
            })?),
            None => None,
        };
    let body = stream::open(state.live(), state.tickets(), user, session, last).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(body))
}
