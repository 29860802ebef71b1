//! Development helpers.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use mezha_api_types::dev::OutboxList;
use mezha_api_types::page::PageQuery;
use mezha_api_types::{ErrorCode, Problem};
use serde::Deserialize;

/// Query of `GET /dev/outbox`: the page (50 messages by default) and the
/// recipient.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// `limit` and `cursor`: `PageQuery<50>`'s `params`.
    #[serde(flatten)]
    #[param(ignore)]
    pub page: PageQuery<50>,
    /// Only messages to this e-mail address or E.164 number.
    pub recipient: Option<String>,
}

/// Mails and SMS sent, newest first (development only).
///
/// Exists only when the server runs with `MEZHA_DEV_OUTBOX=1` (the `make run`
/// default); 404 otherwise.
#[utoipa::path(
    tag = "dev",
    params(PageQuery<50>, OutboxQuery),
    responses(
        (status = 200, description = "Messages", body = OutboxList),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The outbox is off", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dev/outbox")]
pub async fn outbox(
    state: web::Data<AppState>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    if !state.http.dev_outbox {
        return Err(ApiError::new(ErrorCode::NotFound, "dev.outbox_off"));
    }
    let list =
        mezha_app::dev::outbox(&state.core(), &query.page, query.recipient.as_deref()).await?;
    Ok(HttpResponse::Ok().json(list))
}
