//! `/files`: streamed uploads (order attachments) and downloads.

use crate::auth::Auth;
use crate::error::{ApiError, payload_error};
use crate::idempotency::Keyed;
use crate::openapi::problems::Unauthorized;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use mezha_api_types::Problem;
use mezha_api_types::orders::FileInfo;
use mezha_app::files;
use serde::Deserialize;
use uuid::Uuid;

/// `POST /files` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (shown to others and used on download).
    pub name: String,
}

/// The declared `Content-Length` of a request.
pub(crate) fn declared_len(req: &HttpRequest) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// The media type of a request's body, lowercased, without parameters
/// (empty when not given).
pub(crate) fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// Streams a request body aside in the file store (see [`files::stage`]).
pub(crate) async fn stage(
    state: &AppState,
    file: files::Upload,
    body: web::Payload,
) -> Result<files::Staged, ApiError> {
    Ok(files::stage(&state.core(), file, body, |e| payload_error(e).into_app()).await?)
}

/// The answer to an upload.
pub(crate) fn file_info(record: &files::File) -> FileInfo {
    FileInfo {
        id: record.id,
        name: record.name.clone(),
        content_type: record.content_type.clone(),
        size: record.size,
        sha256: record.sha256.clone(),
        created_at: record.created_at,
    }
}

/// Upload a file (streamed).
///
/// The body is the file itself with its `Content-Type` (PDF, JPEG, PNG,
/// TIFF, ZIP, XML, text, DOC/DOCX, XLSX), at most 50 MiB; the size is
/// enforced while streaming and nothing is kept from a refused upload.
/// The SHA-256 of the content is recorded. Attach the returned id to an
/// order with `attachment_ids`. With `Idempotency-Key`, a retry of the
/// same file (same name, type and SHA-256) gets the first answer and
/// stores nothing again.
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    params(
        UploadQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer; the file is compared by its SHA-256"),
    ),
    request_body(
        description = "The file's bytes with its media type; the content must be of that type (PDF, JPEG, PNG, TIFF, GIF, WebP, ZIP, DOC/DOCX, XLS/XLSX, XML, text, CSV)",
        content(
            (String = "application/pdf"),
            (String = "image/jpeg"),
            (String = "image/png"),
            (String = "text/plain"),
        ),
    ),
    responses(
        (status = 201, description = "Stored", body = FileInfo),
        Unauthorized,
        (status = 409, description = "`idempotency_in_progress`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 50 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "A type not accepted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad name, empty file, or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/files")]
pub async fn upload(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    query: web::Query<UploadQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let name = files::clean_name(&query.name)?;
    let content_type = media_type(&req);
    files::check_attachment_type(&content_type)?;
    let upload = files::Upload {
        owner: auth.user_id,
        name,
        content_type,
        declared_len: declared_len(&req),
        max: files::ATTACHMENT_MAX_BYTES,
    };
    // The key is claimed once the whole file is in: its fingerprint is
    // the content's SHA-256 (docs/API.md, "Idempotency").
    let staged = stage(&state, upload, body).await?;
    let (core, auth) = (&state.core(), &auth);
    Keyed::read(&req, auth, "POST /files", &staged.fingerprint())?
        .once(
            &state,
            async { files::store(core, staged).await.map(|r| file_info(&r)) },
            |id| async move { files::uploaded(core, auth, id).await.map(|r| file_info(&r)) },
            |info| HttpResponse::Created().json(info),
        )
        .await
}

/// Download a file: its uploader, or anyone who can see an order it is
/// attached to.
///
/// One byte range may be asked for with `Range` (and `If-Range` with the
/// `ETag`): answered with `206` and `Content-Range`, or `416` when it
/// starts past the end.
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "File id")),
    responses(
        (status = 200, description = "The file's bytes, with the media type it was stored with", content_type = "*/*"),
        (status = 206, description = RANGE_PART, content_type = "*/*"),
        Unauthorized,
        (status = 404, description = "No such file, or not yours to see", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = RANGE_REFUSED, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/files/{id}")]
pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let opened = files::open(&state.core(), &auth, id.into_inner()).await?;
    stream_file(&req, opened, "attachment").await
}

/// The `206` of a download asked for with `Range`.
pub(crate) const RANGE_PART: &str =
    "The one byte range `Range` asked for, with `Content-Range` (docs/storage.md, \"Downloads\")";
/// The `416` of a download asked for with `Range`.
pub(crate) const RANGE_REFUSED: &str = "`range_not_satisfiable`: the range starts past the end of the file; `Content-Range: bytes */<size>`";

/// A contract's or act's document: the PDF shown inline, the DOCX as an
/// attachment.
pub(crate) async fn document_file(
    req: &HttpRequest,
    opened: files::Download,
    format: mezha_api_types::contracts::DocumentFormat,
) -> Result<HttpResponse, ApiError> {
    let disposition = match format {
        mezha_api_types::contracts::DocumentFormat::Pdf => "inline",
        mezha_api_types::contracts::DocumentFormat::Docx => "attachment",
    };
    stream_file(req, opened, disposition).await
}

/// A stored file's bytes as the answer, streamed, with its name
/// (`disposition`: `attachment` to save it, `inline` to show it), type,
/// length, SHA-256 and `ETag`; the one range `Range` asks for, if any
/// ([`mezha_domain::byte_range`]).
pub(crate) async fn stream_file(
    req: &HttpRequest,
    opened: files::Download,
    disposition: &str,
) -> Result<HttpResponse, ApiError> {
    use mezha_domain::byte_range::{self, Answer};
    let file = opened.file.clone();
    let len = u64::try_from(file.size).unwrap_or(0);
    let etag = format!("\"{}\"", file.sha256);
    let header_text = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    let answer = byte_range::answer(
        header_text(header::RANGE),
        header_text(header::IF_RANGE),
        len,
        &etag,
    );
    let disposition = format!(
        "{disposition}; filename*=UTF-8''{}",
        percent_encode(&file.name)
    );
    let mut response = match &answer {
        Answer::Whole => HttpResponse::Ok(),
        Answer::Part(range) => {
            let mut partial = HttpResponse::PartialContent();
            partial.insert_header((
                header::CONTENT_RANGE,
                byte_range::content_range(Some(range), len),
            ));
            partial
        }
        Answer::Unsatisfiable => {
            let refusal = ApiError::from(mezha_app::AppError::new(
                mezha_api_types::ErrorCode::RangeNotSatisfiable,
                mezha_app::msg!("files.range_not_satisfiable", size = len),
            ));
            let mut response = actix_web::ResponseError::error_response(&refusal);
            if let Ok(value) = header::HeaderValue::from_str(&byte_range::content_range(None, len))
            {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return Ok(response);
        }
    };
    let (range, sent) = match answer {
        Answer::Part(range) => (Some(range.clone()), range.end - range.start),
        _ => (None, len),
    };
    let stream = opened.bytes(range).await?;
    Ok(response
        .content_type(file.content_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(("X-Content-SHA256", file.sha256))
        .insert_header((header::ETAG, etag))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .no_chunking(sent)
        .streaming(stream))
}

fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
