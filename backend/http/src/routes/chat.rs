//! `/orders/{id}/chats` and `/orders/{id}/messages`: the order chat, a
//! thread per engineer (docs/chat.md).

use crate::auth::Auth;
use crate::error::{ApiError, json_parse_error, payload_error};
use crate::idempotency::Keyed;
use crate::openapi::problems::Unauthorized;
use crate::routes::files::{declared_len, stage};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt as _;
use mezha_api_types::chat::{ChatMessage, ChatPage, ChatThreadPage, NewChatMessage};
use mezha_api_types::page::PageQuery;
use mezha_api_types::{ErrorCode, Problem};
use mezha_app::chat as service;
use serde::Deserialize;
use uuid::Uuid;

/// Largest JSON body of a text message.
const TEXT_BODY_MAX_BYTES: usize = 64 * 1024;

/// Which thread of the order's chat: `?engineer_id=`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ThreadQuery {
    /// The thread's engineer (see `GET /orders/{id}/chats`). An engineer
    /// always means his own thread; others mean the executor's when it is
    /// absent.
    pub engineer_id: Option<Uuid>,
}

/// `GET /orders/{id}/messages` query: the thread and the page, of 50
/// messages by default (its `params` are `ThreadQuery`'s and
/// `PageQuery<50>`'s).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagesQuery {
    engineer_id: Option<Uuid>,
    #[serde(flatten)]
    page: PageQuery<50>,
}

/// `POST /orders/{id}/messages` query: the thread, and a file's name.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SendQuery {
    /// The thread's engineer, as in `GET /orders/{id}/messages`.
    pub engineer_id: Option<Uuid>,
    /// The file's name (files only).
    pub name: Option<String>,
}

/// The threads of the order's chat the caller may read.
///
/// A thread is the customer and one engineer: the executor's, and before
/// an executor is chosen one with each engineer the order is offered to
/// (closed, read only, when he declines or another is chosen). The
/// customer and moderators see every thread, an engineer his own, an
/// employer his engineers'. Each tells its stage, the caller's unread
/// messages and `allowed_actions`.
#[utoipa::path(
    operation_id = "list_chats",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), PageQuery),
    responses(
        (status = 200, description = "Threads, the executor's first", body = ChatThreadPage),
        (status = 400, description = "Bad cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order for the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `limit` or an unknown parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/chats")]
pub async fn threads(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::threads(&state.core(), &auth, id.into_inner(), &query).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A thread of the order's chat, newest first.
///
/// The thread's customer and engineer, the engineer's employer and
/// moderators see it; others get 404; a thread that does not exist yet (no
/// offer to the engineer, no executor) is 409. The first page, read by the
/// customer or the engineer, marks the thread read for him.
#[utoipa::path(
    operation_id = "list_messages",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), ThreadQuery, PageQuery<50>),
    responses(
        (status = 200, description = "Messages, newest first", body = ChatPage),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 404, description = "No such order or thread for the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No such thread yet (no offer, no executor)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{id}/messages")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<MessagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service::list(
        &state.live(),
        &auth,
        id.into_inner(),
        query.engineer_id,
        &query.page,
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Send a message: a text, or a file.
///
/// With `Content-Type: application/json` the body is `{"text": "…"}` (1 to
/// 4000 characters). With any other type the body is the file itself
/// (name in `?name=`), streamed to storage with its size enforced while
/// streaming (500 MiB by default); nothing is kept from a refused or
/// interrupted upload. With `Idempotency-Key`, a retry gets the first
/// answer and keeps nothing again. Only the thread's customer and engineer
/// write, while it is open. The other's chat counter grows and the message
/// goes to the open event streams (`chat_message`) of the thread's people.
#[utoipa::path(
    tag = "chat",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Order id"),
        SendQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer; a file is compared by its SHA-256"),
    ),
    request_body(content = NewChatMessage, description = "A text message as JSON, or the file's bytes with its media type"),
    responses(
        (status = 201, description = "The message", body = ChatMessage),
        Unauthorized,
        (status = 403, description = "Reading only (employer, moderator)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order or thread for the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No such thread yet; a closed thread; or `idempotency_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file or the text body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long text, missing file name, empty file, or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/messages")]
pub async fn send(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<SendQuery>,
    req: HttpRequest,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let order_id = id.into_inner();
    // Who may write is known before a byte of a file is read.
    let chat = service::open_for_writing(&state.core(), &auth, order_id, query.engineer_id).await?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let content = if content_type == "application/json" {
        let mut raw = web::BytesMut::new();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(payload_error)?;
            if raw.len() + chunk.len() > TEXT_BODY_MAX_BYTES {
                return Err(ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    "chat.text_too_large",
                ));
            }
            raw.extend_from_slice(&chunk);
        }
        let input: NewChatMessage =
            serde_json::from_slice(&raw).map_err(|e| json_parse_error(&e))?;
        let text = mezha_domain::chat::text(&input.text).map_err(|e| ApiError::field("text", e))?;
        Content::Text(text)
    } else {
        let Some(name) = query.name.as_deref() else {
            return Err(ApiError::field(
                "name",
                mezha_domain::FieldError::new("required", "give the file's name in `?name=`"),
            ));
        };
        let name = mezha_app::files::clean_name(name)?;
        let content_type = if content_type.is_empty() {
            "application/octet-stream".to_owned()
        } else {
            content_type
        };
        let max = state.settings.chat_file_max_bytes;
        let upload = mezha_app::files::Upload {
            owner: auth.user_id,
            name,
            content_type,
            declared_len: declared_len(&req),
            max,
        };
        Content::File(stage(&state, upload, body).await?)
    };
    let scope = format!("POST /orders/{order_id}/messages");
    // The thread is part of the request: one key for another thread is reused.
    let thread = chat.parties.engineer;
    let keyed = match &content {
        Content::Text(text) => Keyed::read(&req, &auth, scope, &("text", thread, text))?,
        Content::File(staged) => {
            Keyed::read(&req, &auth, scope, &("file", thread, staged.fingerprint()))?
        }
    };
    let (live, core, auth, chat) = (&state.live(), &state.core(), &auth, &chat);
    keyed
        .once(
            &state,
            async move {
                match content {
                    Content::Text(text) => service::post(live, auth, chat, Some(text), None).await,
                    Content::File(staged) => {
                        // The message is the request's resource, not its file.
                        let file = mezha_app::idempotency::unguarded(mezha_app::files::store(
                            core, staged,
                        ))
                        .await?;
                        service::post(live, auth, chat, None, Some(file.id)).await
                    }
                }
            },
            |id| service::posted(live, auth, chat, id),
            |message| HttpResponse::Created().json(message),
        )
        .await
}

/// What a message carries: a text, or a file received aside until the
/// message is kept.
enum Content {
    Text(String),
    File(mezha_app::files::Staged),
}

/// Mark a thread of the order's chat read (everything up to now), by its
/// customer or engineer, even when it is closed.
#[utoipa::path(
    operation_id = "read_messages",
    tag = "chat",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Order id"), ThreadQuery),
    responses(
        (status = 204, description = "Read"),
        Unauthorized,
        (status = 403, description = "Reading only (employer, moderator)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order or thread for the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No such thread yet (no offer, no executor)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{id}/messages/read")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<ThreadQuery>,
) -> Result<HttpResponse, ApiError> {
    service::read(&state.live(), &auth, id.into_inner(), query.engineer_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
