//! Contracts of orders (docs/contracts.md): the executor makes a version
//! from the template or uploads a PDF/A file ([`create`]), both parties
//! sign its exact bytes with detached CMS signatures, the engineer first
//! ([`sign`]), the customer may decline with a reason; when both signed,
//! the order moves on. Who may see a version: whoever may see its order.
//! Acts of completed works ([`acts`], docs/acts.md) are versions of the
//! other kind, signed the same way.

pub mod acts;
mod create;
mod render;
mod sign;

pub use create::*;
pub use sign::*;

use crate::Actor as Caller;
use crate::context::Core;
use crate::error::AppError;
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::contracts::{
    Contract, ContractList, ContractParty, ContractSignature, DocumentFormat,
};
use mezha_api_types::orders::FileInfo;
use mezha_api_types::page::PageQuery;
use mezha_domain::Role;
use mezha_domain::contracts::{self as rules, DocumentKind};
use mezha_store::contracts::{self as store, ContractRecord};
use mezha_store::files::FileRecord;
use mezha_store::orders::OrderRecord;
use mezha_store::paging::After;
use uuid::Uuid;

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "contracts.not_found")
}

/// The caller's party to the order while the order may move (a
/// suspended order's documents wait, docs/contracts.md): what his
/// `allowed_actions` on a version are computed for.
fn acting_party(auth: &Caller, order: &OrderRecord) -> Option<ContractParty> {
    party(auth, order).filter(|_| order.status != mezha_api_types::orders::OrderStatus::Suspended)
}

/// The caller's party to the order, when he acts as one.
fn party(auth: &Caller, order: &OrderRecord) -> Option<ContractParty> {
    match auth.role {
        Role::Customer if order.customer_id == auth.user_id => Some(ContractParty::Customer),
        Role::Engineer if order.executor_id == Some(auth.user_id) => Some(ContractParty::Engineer),
        _ => None,
    }
}

/// 404 for a version of `kind` that does not exist (or is not the
/// caller's to see).
fn no_such(kind: DocumentKind) -> AppError {
    match kind {
        DocumentKind::Contract => not_found(),
        DocumentKind::Act => AppError::new(ErrorCode::NotFound, "acts.not_found"),
    }
}

/// A version of `kind` the caller may see, with its order (404 for anyone
/// who may not see the order, and for a version of the other kind).
async fn load(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    kind: DocumentKind,
) -> Result<(ContractRecord, OrderRecord), AppError> {
    let contract = store::find(&state.db, id)
        .await?
        .filter(|c| c.kind == kind)
        .ok_or_else(|| no_such(kind))?;
    let order = crate::orders::load(state, auth, contract.order_id)
        .await
        .map_err(|_| no_such(kind))?;
    Ok((contract, order))
}

/// The signatures as the API shows them.
fn signature_view(s: store::SignatureRecord) -> ContractSignature {
    ContractSignature {
        id: s.id,
        party: s.party,
        signer_id: s.signer_id,
        signer_name: s.signer_name,
        sha256: s.sha256,
        created_at: s.created_at,
        report: s.report,
    }
}

fn file_info(f: &FileRecord) -> FileInfo {
    FileInfo {
        id: f.id,
        name: f.name.clone(),
        content_type: f.content_type.clone(),
        size: f.size,
        sha256: f.sha256.clone(),
        created_at: f.created_at,
    }
}

/// The versions as `auth` sees them (two queries whatever their number).
async fn views(
    state: &Core,
    auth: &Caller,
    order: &OrderRecord,
    versions: Vec<ContractRecord>,
) -> Result<Vec<Contract>, AppError> {
    let file_ids = versions
        .iter()
        .flat_map(|c| std::iter::once(c.file_id).chain(c.extra_file_id))
        .collect();
    let files = mezha_store::files::find_many(&state.db, file_ids).await?;
    let mut signatures =
        store::signatures_of(&state.db, versions.iter().map(|c| c.id).collect()).await?;
    let party = acting_party(auth, order);
    versions
        .into_iter()
        .map(|c| {
            let document = files.get(&c.file_id).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("contract {} has no document", c.id))
            })?;
            Ok(Contract {
                id: c.id,
                order_id: c.order_id,
                number: c.number,
                status: c.status,
                source: c.source,
                price_in_words: c.price_in_words,
                document: file_info(document),
                extra_file: c.extra_file_id.and_then(|id| files.get(&id)).map(file_info),
                declined_reason: c.declined_reason,
                signatures: signatures
                    .remove(&c.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(signature_view)
                    .collect(),
                allowed_actions: rules::allowed_actions(c.status, party),
                terms: c.terms,
                created_by: c.created_by,
                created_at: c.created_at,
                updated_at: c.updated_at,
            })
        })
        .collect()
}

async fn view(
    state: &Core,
    auth: &Caller,
    order: &OrderRecord,
    version: ContractRecord,
) -> Result<Contract, AppError> {
    views(state, auth, order, vec![version])
        .await?
        .pop()
        .ok_or_else(not_found)
}

/// `GET /contracts/{id}`.
pub async fn get(state: &Core, auth: &Caller, id: Uuid) -> Result<Contract, AppError> {
    let (contract, order) = load(state, auth, id, DocumentKind::Contract).await?;
    view(state, auth, &order, contract).await
}

/// A page of the order's versions of `kind`, oldest first, with the order
/// (whose parties the views are for) and the next cursor.
async fn page_of(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    kind: DocumentKind,
    page: &PageQuery,
) -> Result<(OrderRecord, Vec<ContractRecord>, Option<String>), AppError> {
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    let order = crate::orders::load(state, auth, order_id).await?;
    let (rows, more) = store::list(&state.db, order_id, kind, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |c| (c.created_at, c.id));
    Ok((order, rows, next_cursor))
}

/// `GET /orders/{id}/contracts`: the order's versions, oldest first.
pub async fn list(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    page: &PageQuery,
) -> Result<ContractList, AppError> {
    let (order, rows, next_cursor) =
        page_of(state, auth, order_id, DocumentKind::Contract, page).await?;
    let items = views(state, auth, &order, rows).await?;
    Ok(ContractList { items, next_cursor })
}

/// A version's document opened for reading: the exact bytes the
/// signatures bind to (PDF), or the DOCX of the same text (every version
/// Mezha rendered; an uploaded contract has none).
async fn document_of(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    kind: DocumentKind,
    format: DocumentFormat,
) -> Result<crate::files::Download, AppError> {
    let (version, _) = load(state, auth, id, kind).await?;
    let file = match format {
        DocumentFormat::Pdf => version.file_id,
        DocumentFormat::Docx => version
            .docx_file_id
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "contracts.no_docx"))?,
    };
    crate::files::open_stored(state, file).await
}

/// `GET /contracts/{id}/document`.
pub async fn document(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    format: DocumentFormat,
) -> Result<crate::files::Download, AppError> {
    document_of(state, auth, id, DocumentKind::Contract, format).await
}
