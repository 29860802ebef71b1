//! `POST /signatures/validate`: the public validation of a document and its
//! detached CMS signature (docs/signatures.md). Nothing is stored.

use crate::error::ApiError;
use crate::state::AppState;
use actix_multipart::{Multipart, MultipartError};
use actix_web::{HttpResponse, post, web};
use futures_util::StreamExt as _;
use mezha_api_types::signatures::{ExpectedSigner, ValidationReport};
use mezha_api_types::{ErrorCode, Problem};
use mezha_signatures::MAX_SIGNATURE_BYTES;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// Largest document validated, in bytes (docs/API.md, "Signatures": 20 MiB).
pub const DOCUMENT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// Largest `expected_signer` part.
const EXPECTED_MAX_BYTES: usize = 4 * 1024;

/// Validations buffered and running at once: each holds its document in
/// memory, so this bounds the endpoint's memory to about
/// `CONCURRENT × DOCUMENT_MAX_BYTES`; further requests wait their turn.
const CONCURRENT: usize = 4;

fn gate() -> &'static Semaphore {
    static GATE: OnceLock<Semaphore> = OnceLock::new();
    GATE.get_or_init(|| Semaphore::new(CONCURRENT))
}

/// The multipart form, as documented (the body is read by hand).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ValidateForm {
    /// The exact bytes that were signed (at most 20 MiB).
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    document: Vec<u8>,
    /// The detached CMS SignedData, DER or PEM (`.sig`, `.p7s`; at most 1 MiB).
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    signature: Vec<u8>,
    /// Who must have signed, as JSON: any of `snils`, `inn`,
    /// `certificate_sha256`, `serial_number` + `issuer` (leave the part out
    /// when nobody in particular must have).
    #[schema(value_type = ExpectedSigner, required = false)]
    expected_signer: Option<String>,
}

fn multipart_error(err: MultipartError) -> ApiError {
    match err {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "signatures.multipart_expected",
        ),
        MultipartError::Payload(err) => crate::error::payload_error(err),
        other => ApiError::new(
            ErrorCode::BadRequest,
            mezha_app::msg!("signatures.multipart_unreadable", reason = other),
        ),
    }
}

fn too_large(part: &str, max: usize) -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        mezha_app::msg!("signatures.part_too_large", part = part, max = max),
    )
}

fn missing(part: &str) -> ApiError {
    ApiError::field(
        part,
        mezha_domain::FieldError::new("required", format!("send the `{part}` part")),
    )
}

/// Reads one part whole, refusing it as soon as it passes `max` bytes.
async fn read_part(
    field: &mut actix_multipart::Field,
    name: &str,
    max: usize,
) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(multipart_error)?;
        if bytes.len() + chunk.len() > max {
            return Err(too_large(name, max));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Validate a signature.
///
/// Checks a detached CMS signature (DER or PEM) against the exact bytes of
/// the document and answers a report modelled on EU DSS (docs/signatures.md):
/// `indication` (`TOTAL_PASSED`, `INDETERMINATE`, `TOTAL_FAILED`), the
/// `sub_indication` saying why, the signer, the signing time, the chain and
/// every check. A broken or foreign signature is a report with
/// `TOTAL_FAILED`, not an error; only `TOTAL_PASSED` counts as signed.
/// Trusted: the platform CA and the roots and CRLs the operator configured.
/// Public; nothing is stored.
#[utoipa::path(
    tag = "signatures",
    request_body(content = inline(ValidateForm), content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The validation report", body = ValidationReport),
        (status = 413, description = "A part is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A part is missing or `expected_signer` is not valid JSON", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/signatures/validate")]
pub async fn validate(
    state: web::Data<AppState>,
    mut form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let _permit = gate()
        .acquire()
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("validation gate closed: {e}")))?;
    let mut document = None;
    let mut signature = None;
    let mut expected = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(multipart_error)?;
        match field.name().unwrap_or_default() {
            "document" => {
                document = Some(read_part(&mut field, "document", DOCUMENT_MAX_BYTES).await?);
            }
            "signature" => {
                signature = Some(read_part(&mut field, "signature", MAX_SIGNATURE_BYTES).await?);
            }
            "expected_signer" => {
                let raw = read_part(&mut field, "expected_signer", EXPECTED_MAX_BYTES).await?;
                let parsed: ExpectedSigner = serde_json::from_slice(&raw).map_err(|e| {
                    ApiError::field(
                        "expected_signer",
                        mezha_domain::FieldError::new(
                            "invalid_json",
                            format!("give a JSON object with snils, inn, certificate_sha256, serial_number or issuer ({e})"),
                        ),
                    )
                })?;
                expected = Some(parsed);
            }
            // Unknown parts are read and dropped, within the document's limit.
            other => {
                let name = other.to_owned();
                read_part(&mut field, &name, DOCUMENT_MAX_BYTES).await?;
            }
        }
    }
    let document = document.ok_or_else(|| missing("document"))?;
    let signature = signature.ok_or_else(|| missing("signature"))?;
    let report = mezha_app::certificates::certs::validate_now(
        &state.certificates(),
        document,
        signature,
        expected,
    )
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
