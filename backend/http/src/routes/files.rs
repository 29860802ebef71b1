//! `/files`: streamed uploads (order attachments) and downloads, and
//! `/reference` (regions and work types).

use crate::auth::Auth;
use crate::error::{ApiError, payload_error};
use crate::services::orders as order_service;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt as _;
use mezha_api_types::orders::{FileInfo, ReferenceData, Region, WorkTypeInfo};
use mezha_api_types::{ErrorCode, Problem};
use mezha_store::files::{self, FileRecord};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt as _;
use uuid::Uuid;

/// Largest attachment, in bytes.
pub const ATTACHMENT_MAX_BYTES: u64 = 50 * 1024 * 1024;

/// Media types accepted as attachments.
pub const ALLOWED_TYPES: [&str; 11] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "application/zip",
    "application/xml",
    "text/xml",
    "text/plain",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// `POST /files` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (shown to others and used on download).
    pub name: String,
}

pub(crate) fn clean_name(name: &str) -> Result<String, ApiError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    if cleaned.is_empty() || cleaned.chars().count() > 255 || cleaned == "." || cleaned == ".." {
        return Err(ApiError::field(
            "name",
            mezha_domain::FieldError::new(
                "invalid_name",
                "give a file name of 1 to 255 characters",
            ),
        ));
    }
    Ok(cleaned)
}

fn path_of(state: &AppState, id: Uuid) -> std::path::PathBuf {
    state.settings.files_dir.join(id.simple().to_string())
}

/// Streams a request body into the file store (at most `max` bytes,
/// enforced before and while streaming; nothing is kept from a refused or
/// broken upload), recording its SHA-256; the stored file's record.
pub(crate) async fn receive(
    state: &AppState,
    owner: Uuid,
    name: String,
    content_type: String,
    req: &HttpRequest,
    mut body: web::Payload,
    max: u64,
) -> Result<FileRecord, ApiError> {
    let too_large = || {
        ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("A file may be at most {max} bytes."),
        )
    };
    if let Some(length) = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && length > max
    {
        return Err(too_large());
    }
    let id = Uuid::now_v7();
    let dir = &state.settings.files_dir;
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(ApiError::internal)?;
    let partial = dir.join(format!("{}.part", id.simple()));
    let result: Result<(u64, String), ApiError> = async {
        let mut file = tokio::fs::File::create(&partial)
            .await
            .map_err(ApiError::internal)?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(payload_error)?;
            size += chunk.len() as u64;
            if size > max {
                return Err(too_large());
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await.map_err(ApiError::internal)?;
        }
        file.flush().await.map_err(ApiError::internal)?;
        file.sync_all().await.map_err(ApiError::internal)?;
        let digest: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok((size, digest))
    }
    .await;
    let (size, sha256) = match result {
        Ok((0, _)) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(ApiError::field(
                "body",
                mezha_domain::FieldError::new("empty", "the file is empty"),
            ));
        }
        Ok(done) => done,
        Err(err) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(err);
        }
    };
    let record = FileRecord {
        id,
        owner_id: owner,
        name,
        content_type,
        size: i64::try_from(size).unwrap_or(i64::MAX),
        sha256,
        // Stored with microseconds (PostgreSQL); answer what is stored.
        created_at: chrono::SubsecRound::trunc_subsecs(state.clock.now(), 6),
    };
    if let Err(err) = tokio::fs::rename(&partial, path_of(state, id)).await {
        let _ = tokio::fs::remove_file(&partial).await;
        return Err(ApiError::internal(err));
    }
    if let Err(err) = files::insert(&state.db, &record).await {
        let _ = tokio::fs::remove_file(path_of(state, id)).await;
        return Err(err.into());
    }
    Ok(record)
}

/// Upload a file (streamed).
///
/// The body is the file itself with its `Content-Type` (PDF, JPEG, PNG,
/// TIFF, ZIP, XML, text, DOC/DOCX, XLSX), at most 50 MiB; the size is
/// enforced while streaming and nothing is kept from a refused upload.
/// The SHA-256 of the content is recorded. Attach the returned id to an
/// order with `attachment_ids`.
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored", body = FileInfo),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 50 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "A type not accepted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad name or empty file", body = Problem, content_type = "application/problem+json"),
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
    let name = clean_name(&query.name)?;
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
    if !ALLOWED_TYPES.contains(&content_type.as_str()) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!(
                "Files of type `{content_type}` are not accepted; send one of: {}.",
                ALLOWED_TYPES.join(", ")
            ),
        ));
    }
    let record = receive(
        &state,
        auth.user_id,
        name,
        content_type,
        &req,
        body,
        ATTACHMENT_MAX_BYTES,
    )
    .await?;
    Ok(HttpResponse::Created().json(FileInfo {
        id: record.id,
        name: record.name,
        content_type: record.content_type,
        size: record.size,
        sha256: record.sha256,
        created_at: record.created_at,
    }))
}

/// Download a file: its uploader, or anyone who can see an order it is
/// attached to.
#[utoipa::path(
    tag = "files",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "File id")),
    responses(
        (status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file, or not yours to see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/files/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::new(ErrorCode::NotFound, "No file has this id.");
    let file = files::find(&state.db, id.into_inner())
        .await?
        .ok_or_else(not_found)?;
    let mut allowed = file.owner_id == auth.user_id;
    if !allowed {
        let mut orders = files::attached_to(&state.db, file.id).await?;
        orders.extend(mezha_store::chat::orders_of_file(&state.db, file.id).await?);
        for order_id in orders {
            if order_service::load(&state, &auth, order_id).await.is_ok() {
                allowed = true;
                break;
            }
        }
    }
    if !allowed {
        return Err(not_found());
    }
    let handle = tokio::fs::File::open(path_of(&state, file.id))
        .await
        .map_err(ApiError::internal)?;
    let stream = futures_util::stream::unfold(handle, |mut handle| async move {
        use tokio::io::AsyncReadExt as _;
        let mut buf = vec![0u8; 64 * 1024];
        match handle.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(web::Bytes::from(buf)), handle))
            }
            Err(e) => Some((Err(e), handle)),
        }
    });
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encode(&file.name)
    );
    Ok(HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(("X-Content-SHA256", file.sha256))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .no_chunking(u64::try_from(file.size).unwrap_or(0))
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

/// Regions and work types, for forms and filters.
#[utoipa::path(
    tag = "orders",
    responses((status = 200, description = "Reference data", body = ReferenceData))
)]
#[get("/reference")]
pub async fn reference(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (regions, work_types) = mezha_store::orders::reference(&state.db).await?;
    let work_types = work_types
        .into_iter()
        .filter_map(|(code, name_ru, name_en)| {
            code.parse().ok().map(|code| WorkTypeInfo {
                code,
                name_ru,
                name_en,
            })
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .json(ReferenceData {
            regions: regions
                .into_iter()
                .map(|(code, name_ru, name_en)| Region {
                    code,
                    name_ru,
                    name_en,
                })
                .collect(),
            work_types,
        }))
}
