//! Optimistic concurrency for editable resources: the `ETag` a version is
//! answered with, and the `If-Match` an update sends back.

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use mezha_api_types::ErrorCode;
use std::convert::Infallible;
use std::future::{Ready, ready};
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};

/// The `ETag` of a version: `"v7"`.
pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// `body` as JSON with `status`, its version's `ETag`, and no caching.
pub fn etagged<T: serde::Serialize>(status: StatusCode, version: i64, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// The `If-Match` header of an update: the version the client last saw.
///
/// Taking it never fails; [`IfMatch::expected`] parses it in the handler,
/// after the other extractors, so a stale header never hides a missing
/// token or a refused body. As `params(IfMatch)` it describes itself.
#[derive(Debug)]
pub struct IfMatch(Option<HeaderValue>);

impl FromRequest for IfMatch {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(IfMatch(req.headers().get(header::IF_MATCH).cloned())))
    }
}

impl IfMatch {
    /// Parses `If-Match: "v7"` (or `W/"v7"`, or `*`); absent means
    /// unconditional. 412 when it names no version.
    pub fn expected(&self) -> Result<Option<i64>, ApiError> {
        let Some(value) = &self.0 else {
            return Ok(None);
        };
        let stale = || ApiError::new(ErrorCode::PreconditionFailed, "http.if_match_stale");
        let text = value.to_str().map_err(|_| stale())?.trim();
        if text == "*" {
            return Ok(None);
        }
        let text = text.strip_prefix("W/").unwrap_or(text);
        text.strip_prefix("\"v")
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|n| n.parse::<i64>().ok())
            .map(Some)
            .ok_or_else(stale)
    }
}

/// The optional `If-Match` header parameter, as
/// `("If-Match" = Option<String>, Header, description = …)` describes it.
impl IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .description(Some("ETag of the version being changed"))
                .required(Required::False)
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::String, Type::Null])),
                ))
                .build(),
        ]
    }
}
