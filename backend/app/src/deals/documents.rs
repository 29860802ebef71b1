//! A draft's PDF documents (docs/deals.md, "Documents"): each at most
//! [`DOCUMENT_MAX_BYTES`], all of a deal's documents and statements
//! together at most [`DEAL_MAX_BYTES`], both enforced while the upload
//! streams (the upload that would cross a limit is cut off and leaves
//! nothing). A document is a PDF by its content: whatever type or name it
//! is sent with, its bytes must be a PDF's.

use super::*;
use crate::files::{self, Staged, Upload};
use mezha_api_types::deals::{DEAL_MAX_BYTES, DOCUMENT_MAX_BYTES, DOCUMENTS_MAX};
use mezha_store::deals::AddDocumentError;

/// The media type every deal document is stored and checked as.
pub const PDF: &str = "application/pdf";

/// What an upload to the deal may be, known before its body is read: the
/// deal must be a draft the caller may add documents to, with room left;
/// the upload's limit is the smaller of a document's and the room left.
pub async fn prepare(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    name: String,
    declared_len: Option<u64>,
) -> Result<Upload, AppError> {
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    check(&seen, &loaded, DealAction::UploadDocument)?;
    if loaded.documents.len() >= DOCUMENTS_MAX {
        return Err(AppError::field(
            "name",
            FieldError::new(
                "too_many",
                format!("A deal has at most {DOCUMENTS_MAX} documents."),
            ),
        ));
    }
    Ok(Upload {
        owner: auth.user_id,
        name,
        content_type: PDF.to_owned(),
        declared_len,
        max: room(&seen.deal),
    })
}

/// The largest document the deal can take now.
fn room(deal: &DealRecord) -> u64 {
    let left = DEAL_MAX_BYTES.saturating_sub(u64::try_from(deal.documents_bytes).unwrap_or(0));
    left.min(DOCUMENT_MAX_BYTES)
}

fn deal_full() -> AppError {
    AppError::new(
        ErrorCode::PayloadTooLarge,
        crate::msg!("deals.documents_full", max = DEAL_MAX_BYTES),
    )
}

/// Adds a [`prepare`]d and received upload as a document titled `title`
/// (its file name when absent). Another upload that took the room
/// meanwhile, or a deal frozen meanwhile, refuses it and the file goes.
pub async fn add(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    title: Option<String>,
    staged: Staged,
) -> Result<Deal, AppError> {
    let seen = seen(state, auth, id).await?;
    let (name, _, size, _) = staged.fingerprint();
    // The key names the deal the request answers with, not the file.
    let file = mezha_store::idempotency::unguarded(files::store(state, staged)).await?;
    let title = title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .unwrap_or(name);
    let added = store::add_document(
        &state.db,
        &seen.deal,
        &title,
        file.id,
        size,
        i64::try_from(DEAL_MAX_BYTES).unwrap_or(i64::MAX),
        auth.user_id,
        now(state),
    )
    .await;
    if let Err(err) = added {
        files::discard(state, vec![file.id]).await;
        return Err(match err {
            AddDocumentError::TooLarge => deal_full(),
            AddDocumentError::Frozen => {
                let seen = super::seen(state, auth, id).await?;
                let loaded = Loaded::of(state, &seen.deal).await?;
                illegal(&seen, &loaded, DealAction::UploadDocument)
            }
            AddDocumentError::Store(e) => changed(e),
        });
    }
    get(state, auth, id).await
}

fn no_document() -> AppError {
    AppError::new(ErrorCode::NotFound, "deals.document_not_found")
}

/// `DELETE /deals/{id}/documents/{document_id}`: a draft's document goes,
/// with its signatures.
pub async fn remove(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    document_id: Uuid,
) -> Result<Deal, AppError> {
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    let document = loaded
        .documents
        .iter()
        .find(|d| d.id == document_id)
        .ok_or_else(no_document)?;
    check(&seen, &loaded, DealAction::RemoveDocument)?;
    let file = mezha_store::files::find(&state.db, document.file_id)
        .await?
        .ok_or_else(no_document)?;
    store::remove_document(
        &state.db,
        &seen.deal,
        document,
        file.size,
        auth.user_id,
        now(state),
    )
    .await
    .map_err(|e| match e {
        StoreError::NotFound => no_document(),
        other => changed(other),
    })?;
    get(state, auth, id).await
}

/// `GET /deals/{id}/documents/{document_id}/file`: the document's bytes,
/// for whoever sees the deal.
pub async fn open(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    document_id: Uuid,
) -> Result<files::Download, AppError> {
    let seen = seen(state, auth, id).await?;
    let document = store::documents(&state.db, seen.deal.id)
        .await?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or_else(no_document)?;
    files::open_stored(state, document.file_id).await
}
