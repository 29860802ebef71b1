//! Photos (docs/accounts.md, "Photos"): the caller uploads an image as
//! `/me/avatar`, and every account's photo is served in fixed sizes at
//! `/users/{id}/avatar`.

use crate::auth::Auth;
use crate::error::{ApiError, payload_error};
use crate::openapi::problems::{StaleVersion, Unauthorized};
use crate::routes::files::{declared_len, media_type};
use crate::routes::versioned::{IfMatch, etagged};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, put, web};
use mezha_api_types::Problem;
use mezha_api_types::me::Me;
use mezha_app::{avatars, files};
use mezha_domain::avatar::{self, AvatarSize};
use serde::Deserialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use uuid::Uuid;

/// How long the address a profile gives out (its version current) may be
/// cached: a new photo gets a new address, so only a removed photo or a
/// blocked account lingers this long in caches that kept it.
const CACHE_CURRENT: &str = "public, max-age=86400, immutable";

/// Any other address (no version, or an old one): revalidated every time.
const CACHE_REVALIDATE: &str = "public, no-cache";

/// `GET /users/{id}/avatar` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvatarQuery {
    /// The side of the square in pixels: 64, 256 (the default) or 512.
    #[param(schema_with = size_schema)]
    pub size: Option<u32>,
    /// The photo's version, as `avatar_url` and `photo_url` give it: an
    /// address with the current version may be cached for long, and is
    /// what lets one see the photo of an account whose profile is not
    /// public. Any other value is taken as no version.
    pub v: Option<String>,
}

fn size_schema() -> impl Into<RefOr<Schema>> {
    ObjectBuilder::new()
        .description(Some(
            "The side of the square in pixels: 64, 256 (the default) or 512.",
        ))
        .schema_type(Type::Integer)
        .enum_values(Some(mezha_api_types::limits::AVATAR_SIZES))
        .default(Some(AvatarSize::DEFAULT.px().into()))
}

/// Set the caller's photo (an image, streamed).
///
/// The body is the image itself with its `Content-Type`: JPEG, PNG or
/// WebP, at most 10 MiB (enforced while streaming), at most 10 000 pixels
/// on a side and 50 megapixels. Its type is told from its content, which
/// must be of the declared type. The server turns it upright by its EXIF
/// orientation, keeps the centred square, and encodes it afresh as JPEGs of
/// 64, 256 and 512 pixels: nothing of the upload but its pixels is kept (no
/// EXIF, GPS position or other metadata). Answers the profile with the new
/// `avatar_url`; nothing changes when refused. `If-Match` (optional) with
/// the `ETag` of `GET /me` refuses a stale profile with 412.
#[utoipa::path(
    tag = "photos",
    security(("bearer" = [])),
    params(IfMatch),
    request_body(
        description = "The image's bytes with its media type (JPEG, PNG or WebP); the content must be of that type",
        content(
            (String = "image/jpeg"),
            (String = "image/png"),
            (String = "image/webp"),
        ),
    ),
    responses(
        (status = 200, description = "The profile with its new photo", body = Me, headers(("ETag" = String, description = "New version"))),
        Unauthorized,
        StaleVersion,
        (status = 413, description = "`payload_too_large`: larger than 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_media_type`: not JPEG, PNG or WebP, or the content is not of the declared type", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `body`: `empty`, `invalid_image` (does not decode), `image_too_large` (too many pixels)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/avatar")]
pub async fn put_avatar(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    if_match: IfMatch,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match.expected()?;
    let content_type = media_type(&req);
    avatars::check_type(&content_type)?;
    let bytes = files::read_all(
        &content_type,
        declared_len(&req),
        avatar::MAX_BYTES,
        body,
        |e| payload_error(e).into_app(),
    )
    .await?;
    let me = avatars::upload(&state.accounts(), &auth, expected, bytes).await?;
    Ok(respond(&me))
}

/// Remove the caller's photo.
///
/// Answers the profile without a photo (as it is, when it had none).
/// `If-Match` (optional) with the `ETag` of `GET /me` refuses a stale
/// profile with 412.
#[utoipa::path(
    tag = "photos",
    security(("bearer" = [])),
    params(IfMatch),
    responses(
        (status = 200, description = "The profile without a photo", body = Me, headers(("ETag" = String, description = "Version"))),
        Unauthorized,
        StaleVersion,
    )
)]
#[delete("/me/avatar")]
pub async fn delete_avatar(
    state: web::Data<AppState>,
    auth: Auth,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match.expected()?;
    let me = avatars::delete(&state.accounts(), &auth, expected).await?;
    Ok(respond(&me))
}

fn respond(me: &Me) -> HttpResponse {
    etagged(StatusCode::OK, me.version, me)
}

/// An account's photo (public).
///
/// A square JPEG of 64, 256 (default) or 512 pixels. Served to anyone for
/// the address a profile gives out (`avatar_url`, an engineer's
/// `photo_url`: with the photo's version `v`), and without `v` for an
/// engineer whose profile is public; `404` when the account has no photo,
/// is blocked, or its photo is not public and `v` is not its version. With
/// the current `v` it may be cached for a day (a new photo has a new
/// address); otherwise it is revalidated (`If-None-Match` → `304`).
#[utoipa::path(
    tag = "photos",
    params(
        ("id" = Uuid, Path, description = "Account id"),
        AvatarQuery,
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy you hold: `304` when it is still the photo"),
    ),
    responses(
        (status = 200, description = "The photo", content_type = "image/jpeg", headers(
            ("ETag" = String, description = "The photo's version and size"),
            ("Cache-Control" = String, description = "`public, max-age=86400, immutable` for the current address, `public, no-cache` otherwise"),
            ("X-Content-Type-Options" = String, description = "`nosniff`"),
        )),
        (status = 304, description = "Not modified: the copy you hold (`If-None-Match`) is the photo", headers(
            ("ETag" = String, description = "The photo's version and size"),
            ("Cache-Control" = String, description = "As for 200"),
        )),
        (status = 404, description = "No photo, a blocked account, or a photo that is not public asked for without its version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}/avatar")]
pub async fn user_avatar(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<AvatarQuery>,
) -> Result<HttpResponse, ApiError> {
    // The query check allows only the documented sizes.
    let size = query
        .size
        .and_then(AvatarSize::from_px)
        .unwrap_or(AvatarSize::DEFAULT);
    let photo = avatars::photo(&state.core(), id.into_inner(), size, query.v.as_deref()).await?;
    let cache = if photo.current {
        CACHE_CURRENT
    } else {
        CACHE_REVALIDATE
    };
    if holds(&req, &photo.etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, photo.etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((header::ETAG, photo.etag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(photo.jpeg))
}

/// Whether `If-None-Match` names `etag` (or is `*`).
fn holds(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}
