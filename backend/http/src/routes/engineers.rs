//! Engineers (docs/API.md, "Engineers and employers"): the caller's
//! engineer profile and requisites, the public engineer list and profile.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{JsonBody, ValidJson};
use crate::openapi::problems::{Unauthorized, UpdateRefused};
use crate::routes::versioned::{IfMatch, etagged};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, put, web};
use mezha_api_types::engineers::{
    EngineerDetails, EngineerList, EngineerProfile, EngineerSearchQuery, Requisites,
    RequisitesView, UpdateEngineerProfile,
};
use mezha_api_types::page::PageQuery;
use mezha_api_types::{Problem, Role};
use mezha_app::engineers;
use uuid::Uuid;

/// The caller's engineer profile (acting role `engineer`).
///
/// Before the first save the profile is empty with version 0.
/// `missing_fields` lists the required fields still empty; until it is
/// empty the engineer is not listed and cannot respond or receive offers.
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Profile", body = EngineerProfile, headers(("ETag" = String, description = "Version, for `If-Match`"))),
        Unauthorized,
        (status = 403, description = "`forbidden` (acting role is not engineer) or `not_an_engineer`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/engineer-profile")]
pub async fn get_profile(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Engineer])?;
    let profile = engineers::profile(&state.core(), auth.user_id).await?;
    Ok(etagged(StatusCode::OK, profile.version, &profile))
}

/// Save the caller's engineer profile (acting role `engineer`).
///
/// Replaces every editable field. Regions must exist (`GET /reference`),
/// each region and work type at most once, prices 1 … 1 000 000 000,
/// file ids must be files the caller uploaded. Send `If-Match` with the
/// `ETag` (`"v0"` before the first save) to avoid overwriting a concurrent
/// change (412 when stale).
#[utoipa::path(
    tag = "engineers",
    security(("bearer" = [])),
    request_body = UpdateEngineerProfile,
    params(IfMatch),
    responses(
        (status = 200, description = "Saved profile", body = EngineerProfile, headers(("ETag" = String, description = "New version"))),
        UpdateRefused,
        (status = 403, description = "`forbidden` or `not_an_engineer`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`unknown_region`, `duplicate`, `range`, `invalid_url`, `phone_format`, `unknown_file`, …)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/engineer-profile")]
pub async fn put_profile(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<UpdateEngineerProfile>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Engineer])?;
    let expected = if_match.expected()?;
    let profile = engineers::update_profile(&state.core(), auth.user_id, expected, body.0).await?;
    Ok(etagged(StatusCode::OK, profile.version, &profile))
}

/// The requisites that go into the caller's contracts.
///
/// The caller's own; for an employed engineer acting as engineer, his
/// employer's (read-only, `editable: false`). The `ETag` is the version of
/// the caller's own requisites (`"v0"`: none saved).
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Requisites", body = RequisitesView, headers(("ETag" = String, description = "Version of the own requisites"))),
        Unauthorized,
    )
)]
#[get("/me/requisites")]
pub async fn get_requisites(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    let view = engineers::requisites(&state.core(), auth.user_id, auth.role).await?;
    Ok(etagged(StatusCode::OK, view.version, &view))
}

/// Save the caller's own requisites.
///
/// INN and KPP, BIK, and the accounts' control keys against the BIK are
/// checked. An employed engineer acting as engineer uses his employer's
/// requisites and gets 409 `requisites_inherited`.
#[utoipa::path(
    tag = "me",
    security(("bearer" = [])),
    request_body = Requisites,
    params(IfMatch),
    responses(
        (status = 200, description = "Saved", body = RequisitesView, headers(("ETag" = String, description = "New version"))),
        UpdateRefused,
        (status = 409, description = "`requisites_inherited`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`inn_checksum`, `bik_format`, `account_checksum`, `kpp_format`, …)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/requisites")]
pub async fn put_requisites(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<Requisites>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match.expected()?;
    let view =
        engineers::update_requisites(&state.core(), auth.user_id, auth.role, expected, body.0)
            .await?;
    Ok(etagged(StatusCode::OK, view.version, &view))
}

/// The public list of engineers.
///
/// Engineers listed active in the SRO registry, not blocked, with a
/// complete profile. No token needed. Sorted best first by `sort` (ties by
/// id); pages with `limit` and `cursor` (a cursor is valid only with the
/// same filters and sort).
#[utoipa::path(
    operation_id = "list_engineers",
    tag = "engineers",
    params(EngineerSearchQuery, PageQuery),
    responses(
        (status = 200, description = "A page of engineers", body = EngineerList),
        (status = 400, description = "Bad query string or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` or `rating_min` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/engineers")]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<EngineerSearchQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = engineers::list(&state.core(), query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// An engineer's public profile.
///
/// 404 unless the engineer is in the public list.
#[utoipa::path(
    tag = "engineers",
    params(("id" = Uuid, Path, description = "The engineer's account id")),
    responses(
        (status = 200, description = "Public profile", body = EngineerDetails),
        (status = 404, description = "No listed engineer has this id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/engineers/{id}")]
pub async fn details(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let details = engineers::details(&state.core(), id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(details))
}
