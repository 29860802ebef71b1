//! Notifications (docs/notifications.md): the caller's settings, in-app list, read marks
//! and unread counters.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::openapi::problems::{MalformedJson, Unauthorized};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, put, web};
use mezha_api_types::Problem;
use mezha_api_types::notifications::{
    Language, Notification, NotificationList, NotificationSettings, ReadAll, UnreadCounts,
    UpdateNotificationSettings,
};
use mezha_api_types::page::PageQuery;
use mezha_app::notifications as service;
use serde::Deserialize;
use uuid::Uuid;

/// The caller's notification settings.
///
/// Every event kind with its channels (in-app, e-mail, SMS): the caller's
/// choice where he made one, else the default (also listed, under
/// `defaults`), and the language of e-mail and SMS.
#[utoipa::path(
    operation_id = "get_notification_settings",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Settings", body = NotificationSettings),
        Unauthorized,
    )
)]
#[get("/me/notification-settings")]
pub async fn get_settings(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::settings(&state.live(), auth.user_id).await?))
}

/// Change the caller's notification settings.
///
/// The kinds listed change (only the channels given), the rest stay; the
/// language changes when given. A kind listed twice is 422 and nothing is
/// saved. SMS needs a phone in the profile, e-mail a confirmed address.
#[utoipa::path(
    operation_id = "put_notification_settings",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = UpdateNotificationSettings,
    responses(
        (status = 200, description = "The settings now", body = NotificationSettings),
        MalformedJson,
        Unauthorized,
        (status = 422, description = "Unknown kind or language, or a kind listed twice", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/notification-settings")]
pub async fn put_settings(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<UpdateNotificationSettings>,
) -> Result<HttpResponse, ApiError> {
    let settings = service::update_settings(&state.live(), auth.user_id, body.0).await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// Query of `GET /notifications`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// `limit` and `cursor`: `PageQuery`'s `params`.
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageQuery,
    /// Language of the texts (default: the caller's setting).
    pub lang: Option<Language>,
    /// Only unread ones.
    pub unread: Option<bool>,
}

/// Query with only the language.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LangQuery {
    /// Language of the texts (default: the caller's setting).
    pub lang: Option<Language>,
}

/// The caller's notifications, newest first.
///
/// Each links to the object it concerns (`object.kind` + `object.id`: an
/// order, a certificate application, …). Cursor pagination.
#[utoipa::path(
    operation_id = "list_notifications",
    tag = "notifications",
    security(("bearer" = [])),
    params(PageQuery, ListQuery),
    responses(
        (status = 200, description = "Notifications", body = NotificationList),
        (status = 400, description = "Bad query or cursor", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 422, description = "Limit out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = service::list(
        &state.live(),
        auth.user_id,
        &q.page,
        q.lang,
        q.unread.unwrap_or(false),
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Mark one notification read.
///
/// Marking one already read changes nothing and answers the same.
#[utoipa::path(
    operation_id = "read_notification",
    tag = "notifications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Notification id"), LangQuery),
    responses(
        (status = 200, description = "The notification, read", body = Notification),
        Unauthorized,
        (status = 404, description = "The caller has no such notification", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/notifications/{id}/read")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: web::Query<LangQuery>,
) -> Result<HttpResponse, ApiError> {
    let n = service::read(&state.live(), auth.user_id, id.into_inner(), query.lang).await?;
    Ok(HttpResponse::Ok().json(n))
}

/// Mark every notification read.
///
/// Covers what was unread when the request arrived; a notification
/// arriving meanwhile stays unread.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many were marked", body = ReadAll),
        Unauthorized,
    )
)]
#[post("/notifications/read-all")]
pub async fn read_all(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::read_all(&state.live(), auth.user_id).await?))
}

/// Unread counters for the header badges.
///
/// System notifications, chat messages per order and in total — answered
/// from Redis (the in-process store on the embedded default); recounted
/// from the database first when Redis lost them.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Counters", body = UnreadCounts),
        Unauthorized,
    )
)]
#[get("/notifications/unread-counts")]
pub async fn unread_counts(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::unread_counts(&state.live(), auth.user_id).await?))
}
