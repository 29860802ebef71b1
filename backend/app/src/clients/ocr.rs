//! Passport scan recognition (docs/clients.md, "Passport recognition"):
//! Tesseract (its CLI, with Debian's Russian data) reads an uploaded image
//! of a passport's main page; the domain picks the fields out of the text
//! ([`recognition::read`]); each proposed field carries the data checks'
//! findings. Nothing is saved: a person confirms the fields in the form.

use super::base_of;
use crate::Actor as Caller;
use crate::context::Core;
use crate::error::AppError;
use mezha_api_types::ErrorCode;
use mezha_api_types::clients::{ClientFinding, PassportProposal, ProposedField, RecognisePassport};
use mezha_domain::FieldError;
use mezha_domain::clients::checks::{ClientFacts, check_client};
use mezha_domain::clients::recognition::{self, Proposal};
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The image types OCR reads.
pub const IMAGE_TYPES: [&str; 2] = ["image/jpeg", "image/png"];

/// OCR runs at most this many at once in a process (each takes a core).
static RUNNING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

/// The longest a reading may take.
const TIMEOUT: Duration = Duration::from_secs(60);

fn unavailable() -> AppError {
    AppError::new(ErrorCode::ServiceUnavailable, "clients.ocr_unavailable")
}

/// The text Tesseract reads from the image at `path`.
pub async fn read_text(command: &str, path: &std::path::Path) -> Result<String, AppError> {
    let _permit = RUNNING.acquire().await.map_err(|_| unavailable())?;
    let child = tokio::process::Command::new(command)
        .arg(path)
        .args(["stdout", "-l", "rus", "--psm", "4"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            tracing::error!(command, error = %e, "OCR cannot be started");
            unavailable()
        })?;
    let output = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| {
            tracing::warn!("OCR took longer than {TIMEOUT:?}");
            unavailable()
        })?
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    if !output.status.success() {
        tracing::warn!(
            status = %output.status,
            stderr = %String::from_utf8_lossy(&output.stderr),
            "OCR failed"
        );
        return Err(AppError::field(
            "file_id",
            FieldError::new("unreadable", "The image could not be read."),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The proposal's fields in the form's order, each with its findings.
fn fields(state: &Core, p: &Proposal) -> Vec<ProposedField> {
    let today = crate::orders::today(state.clock.now());
    let facts = ClientFacts {
        birth_date: p.birth_date,
        passport_series: p.passport_series.as_deref(),
        passport_number: p.passport_number.as_deref(),
        passport_issued_on: p.passport_issued_on,
        issuer_code: p.passport_issuer_code.as_deref(),
        ..ClientFacts::default()
    };
    let found = check_client(&facts, today);
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    [
        ("full_name", p.full_name.clone()),
        ("birth_date", date(p.birth_date)),
        ("birth_place", p.birth_place.clone()),
        ("passport_series", p.passport_series.clone()),
        ("passport_number", p.passport_number.clone()),
        ("passport_issued_on", date(p.passport_issued_on)),
        ("passport_issuer_code", p.passport_issuer_code.clone()),
        ("passport_issuer", p.passport_issuer.clone()),
    ]
    .into_iter()
    .filter_map(|(field, value)| {
        Some(ProposedField {
            field: field.to_owned(),
            value: value?,
            findings: found
                .iter()
                .filter(|f| f.field == field)
                .map(|f| ClientFinding {
                    field: f.field.to_owned(),
                    code: f.code.to_owned(),
                    message: f.message.clone(),
                })
                .collect(),
        })
    })
    .collect()
}

/// `POST /clients/recognise`: reads the caller's uploaded image of a
/// passport's main page and proposes the fields found.
pub async fn recognise(
    state: &Core,
    auth: &Caller,
    input: RecognisePassport,
) -> Result<PassportProposal, AppError> {
    base_of(state, auth, input.organisation_id).await?;
    let file = crate::files::uploaded(state, auth, input.file_id)
        .await
        .map_err(|_| {
            AppError::field(
                "file_id",
                FieldError::new("unknown_file", "No file of yours has this id."),
            )
        })?;
    propose(state, &file).await
}

/// Reads `file`, an image of a passport's main page, and proposes the
/// fields found.
pub(super) async fn propose(
    state: &Core,
    file: &crate::files::File,
) -> Result<PassportProposal, AppError> {
    if !IMAGE_TYPES.contains(&file.content_type.as_str()) {
        return Err(AppError::field(
            "file_id",
            FieldError::new(
                "scan_type",
                "Recognition reads a JPEG or PNG image of the passport's main page.",
            ),
        ));
    }
    let copy = crate::files::local_copy(state, file.id).await?;
    let text = read_text(&state.settings.ocr_command, copy.path()).await?;
    let proposal = recognition::read(&text);
    Ok(PassportProposal {
        fields: fields(state, &proposal),
        text,
    })
}
