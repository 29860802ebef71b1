//! `POST /sro-registry/import` (moderators): import the SRO registry from
//! an uploaded file or a feed URL (`docs/sro-registry.md`).

use crate::auth::Auth;
use crate::error::{ApiError, json_parse_error, payload_error};
use crate::openapi::problems::{MalformedJson, Unauthorized};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use futures_util::StreamExt as _;
use mezha_api_types::engineers::{SroImportFromUrl, SroImportJson, SroImportReport};
use mezha_api_types::limits::JSON_BODY_MAX_BYTES;
use mezha_api_types::{ErrorCode, Problem, Role};
use mezha_app::sro::{self, IMPORT_MAX_BYTES};
use validator::Validate;

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        mezha_app::msg!("sro.file_too_large", max = IMPORT_MAX_BYTES),
    )
}

/// Reads the body, refusing it once it passes [`IMPORT_MAX_BYTES`].
async fn read_body(req: &HttpRequest, mut body: web::Payload) -> Result<Vec<u8>, ApiError> {
    if req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > IMPORT_MAX_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(payload_error)?;
        if bytes.len() + chunk.len() > IMPORT_MAX_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The body as a feed request (`{"url": …}`: an object with `url` and no
/// `engineers` or `entries` list) rather than a registry file. Only small
/// bodies are looked at: a feed request is a few bytes, a registry file is
/// parsed by the import.
fn feed_request(bytes: &[u8]) -> Option<serde_json::Value> {
    if bytes.len() > JSON_BODY_MAX_BYTES {
        return None;
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(map))
            if map.contains_key("url")
                && !map.contains_key("engineers")
                && !map.contains_key("entries") =>
        {
            Some(serde_json::Value::Object(map))
        }
        _ => None,
    }
}

/// Import the SRO registry (acting role `moderator`).
///
/// The body is the registry file (`Content-Type: text/csv`, or
/// `application/json` with the registry JSON `{"engineers": [...]}`), or
/// `{"url": "https://…"}` to fetch the file from a feed. Formats and rules:
/// `docs/sro-registry.md`; the earlier format (`entries`, `sro_name`) is
/// still read. CSV has the JSON's columns, the disciplinary actions as a
/// JSON array in their cell. All or nothing: a file with any bad row is
/// refused with 422 and the issues in `errors` (keyed `line[N].column`,
/// `line[N].disciplinary_actions[K].date`, or `file`; code `invalid`, or
/// `nul_character` for a text carrying U+0000), and nothing is written.
/// A member's disciplinary actions in the file replace the stored ones
/// (a file without them keeps them). Importing the same file twice
/// changes nothing the second time.
/// A SNILS that becomes active gives its accounts the engineer role and
/// resumes their suspended orders; one that loses active status takes the
/// role away and suspends their assigned orders. At most 64 MiB.
#[utoipa::path(
    tag = "sro-registry",
    security(("bearer" = [])),
    request_body(
        description = "The registry file, or a feed to fetch it from",
        content(
            (String = "text/csv", example = json!("snils;full_name;sro;registry_number;status;disciplinary_actions\n112-233-445 95;Иванов Иван Иванович;СРО «Кадастр-Юг»;77-001;действует;\"[{\"\"date\"\": \"\"2023-05-12\"\", \"\"text\"\": \"\"Предупреждение\"\"}]\"\n")),
            (SroImportJson = "application/json"),
        ),
    ),
    responses(
        (status = 200, description = "Imported", body = SroImportReport),
        MalformedJson,
        Unauthorized,
        (status = 403, description = "Acting role is not moderator", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 64 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv or application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file was rejected; issues in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "`feed_unavailable`: the feed could not be fetched", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sro-registry/import")]
pub async fn import(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    auth.require(&[Role::Moderator])?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let is_json = content_type == "application/json";
    if !is_json && !matches!(content_type.as_str(), "text/csv" | "application/csv") {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "sro.unsupported_type",
        ));
    }
    let bytes = read_body(&req, body).await?;
    let feed = if is_json { feed_request(&bytes) } else { None };
    let report = if let Some(feed) = feed {
        // A registry file's NUL characters are the import's issues; a feed
        // request's are refused here, as for any JSON body (docs/API.md).
        if let Some(err) = crate::text::refusal(crate::text::nul_paths(&feed)) {
            return Err(err);
        }
        let feed: SroImportFromUrl =
            serde_json::from_value(feed).map_err(|e| json_parse_error(&e))?;
        feed.validate()
            .map_err(|e| ApiError::validation(crate::extract::issues(&e)))?;
        if !sro::is_url(&feed.url) {
            return Err(ApiError::field(
                "url",
                mezha_domain::FieldError::new("invalid_url", "use an http:// or https:// address"),
            ));
        }
        sro::import(&state.core(), Vec::new(), Some(&feed.url)).await?
    } else {
        sro::import(&state.core(), bytes, None).await?
    };
    Ok(HttpResponse::Ok().json(report))
}
