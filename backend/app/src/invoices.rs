//! Invoices and their payment (docs/payments.md): the executor sends the
//! prepayment invoice (order in `prepayment`) or the final one (in
//! `payment`) as a link or a file, for the signed contract's advance or
//! remainder; the customer marks it paid with a receipt; the executor
//! confirms, which moves the order on.

use crate::Actor as Caller;
use crate::context::Core;
use crate::error::AppError;
use crate::paging;
use mezha_api_types::ErrorCode;
use mezha_api_types::invoices::{
    Invoice, InvoiceAction, InvoiceKind, InvoiceList, InvoiceStatus, MarkPaid, NewInvoice,
};
use mezha_api_types::orders::{FileInfo, OrderAction};
use mezha_api_types::page::PageQuery;
use mezha_domain::Role;
use mezha_domain::invoices::{self as rules, Party, Step};
use mezha_store::StoreError;
use mezha_store::files::FileRecord;
use mezha_store::invoices::{self as store, InvoiceRecord};
use mezha_store::orders::OrderRecord;
use mezha_store::paging::After;
use uuid::Uuid;

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "invoices.not_found")
}

fn party(auth: &Caller, order: &OrderRecord) -> Option<Party> {
    match auth.role {
        Role::Customer if order.customer_id == auth.user_id => Some(Party::Customer),
        Role::Engineer if order.executor_id == Some(auth.user_id) => Some(Party::Executor),
        _ => None,
    }
}

/// The caller's party while the order may move: a suspended order's
/// invoices wait (nothing to do, every step 409) until it resumes, as its
/// contract and act do (docs/payments.md).
fn acting_party(auth: &Caller, order: &OrderRecord) -> Option<Party> {
    party(auth, order).filter(|_| order.status != mezha_api_types::orders::OrderStatus::Suspended)
}

fn changed(err: StoreError) -> AppError {
    match err {
        StoreError::VersionMismatch => AppError::new(ErrorCode::Conflict, "invoices.changed"),
        StoreError::Duplicate(_) => AppError::new(ErrorCode::Conflict, "invoices.already_sent"),
        other => other.into(),
    }
}

/// A link, or a file the caller uploaded — exactly one; `field` names the
/// pair in a refusal.
async fn link_or_file(
    state: &Core,
    auth: &Caller,
    (link, file): (Option<String>, Option<Uuid>),
    field: &str,
) -> Result<(Option<String>, Option<Uuid>), AppError> {
    let bad = |code: &'static str, text: &str| {
        AppError::field(field, mezha_domain::FieldError::new(code, text.to_owned()))
    };
    match (link.map(|l| l.trim().to_owned()), file) {
        (Some(link), None) => {
            let parsed =
                url::Url::parse(&link).map_err(|_| bad("invalid_url", "give an https link"))?;
            if !matches!(parsed.scheme(), "https" | "http") {
                return Err(bad("invalid_url", "give an https link"));
            }
            Ok((Some(link), None))
        }
        (None, Some(file)) => {
            crate::files::uploaded(state, auth, file)
                .await
                .map_err(|_| bad("unknown_file", "upload the file first"))?;
            Ok((None, Some(file)))
        }
        _ => Err(bad(
            "link_or_file",
            "give either a link or an uploaded file",
        )),
    }
}

async fn views(
    state: &Core,
    auth: &Caller,
    order: &OrderRecord,
    items: Vec<InvoiceRecord>,
) -> Result<Vec<Invoice>, AppError> {
    let ids = items
        .iter()
        .flat_map(|i| i.file_id.into_iter().chain(i.receipt_file_id))
        .collect();
    let files = mezha_store::files::find_many(&state.db, ids).await?;
    let info = |id: Option<Uuid>| {
        id.and_then(|id| files.get(&id))
            .map(|f: &FileRecord| FileInfo {
                id: f.id,
                name: f.name.clone(),
                content_type: f.content_type.clone(),
                size: f.size,
                sha256: f.sha256.clone(),
                created_at: f.created_at,
            })
    };
    let party = acting_party(auth, order);
    Ok(items
        .into_iter()
        .map(|i| Invoice {
            id: i.id,
            order_id: i.order_id,
            kind: i.kind,
            status: i.status,
            amount_kopecks: i.amount_kopecks,
            file: info(i.file_id),
            receipt_file: info(i.receipt_file_id),
            link: i.link,
            receipt_link: i.receipt_link,
            allowed_actions: rules::allowed_actions(i.status, party),
            created_at: i.created_at,
            paid_at: i.paid_at,
            confirmed_at: i.confirmed_at,
        })
        .collect())
}

/// An invoice the caller may see, with its order.
async fn load(
    state: &Core,
    auth: &Caller,
    id: Uuid,
) -> Result<(InvoiceRecord, OrderRecord), AppError> {
    let invoice = store::find(&state.db, id).await?.ok_or_else(not_found)?;
    let order = crate::orders::load(state, auth, invoice.order_id)
        .await
        .map_err(|_| not_found())?;
    Ok((invoice, order))
}

/// `GET /invoices/{id}` (for an idempotent retry of the creation).
pub async fn get(state: &Core, auth: &Caller, id: Uuid) -> Result<Invoice, AppError> {
    let (invoice, order) = load(state, auth, id).await?;
    views(state, auth, &order, vec![invoice])
        .await?
        .pop()
        .ok_or_else(not_found)
}

/// `GET /orders/{id}/invoices`, oldest first.
pub async fn list(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    page: &PageQuery,
) -> Result<InvoiceList, AppError> {
    let limit = paging::limit(page)?;
    let after: Option<After> = paging::decode(page.cursor.as_deref())?;
    let order = crate::orders::load(state, auth, order_id).await?;
    let (rows, more) = store::list(&state.db, order_id, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |i| (i.created_at, i.id));
    let items = views(state, auth, &order, rows).await?;
    Ok(InvoiceList { items, next_cursor })
}

/// The executor sends the invoice the order's status calls for, for the
/// signed contract's advance (prepayment) or remainder (final).
pub async fn send(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    input: NewInvoice,
) -> Result<Invoice, AppError> {
    // 404 for whoever cannot see the order, whatever his role.
    let order = crate::orders::load(state, auth, order_id).await?;
    auth.require(&[Role::Engineer])?;
    crate::orders::permit_caller(state, auth, &order, OrderAction::SendInvoice).await?;
    let kind = rules::kind_for(order.status).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("send_invoice allowed in {}", order.status))
    })?;
    let (link, file_id) = link_or_file(state, auth, (input.link, input.file_id), "link").await?;
    let terms = mezha_store::contracts::signed(
        &state.db,
        order_id,
        mezha_domain::contracts::DocumentKind::Contract,
    )
    .await?
    .and_then(|c| c.terms);
    // An uploaded contract has no terms: its amounts are the order's price
    // and percent.
    let (advance, remainder) = match terms {
        Some(t) => (t.advance_kopecks, t.remainder_kopecks),
        None => {
            let price = order.price.unwrap_or(0).saturating_mul(100);
            let advance = mezha_domain::money::Kopecks::new(price)
                .map(|p| p.percent(order.prepayment_percent.unwrap_or(0)).get())
                .unwrap_or(0);
            (advance, price - advance)
        }
    };
    let amount_kopecks = match kind {
        InvoiceKind::Prepayment => advance,
        InvoiceKind::Final => remainder,
    };
    let invoice = InvoiceRecord {
        id: Uuid::now_v7(),
        order_id,
        kind,
        status: InvoiceStatus::Sent,
        amount_kopecks,
        link,
        file_id,
        receipt_link: None,
        receipt_file_id: None,
        created_at: chrono::SubsecRound::trunc_subsecs(state.clock.now(), 6),
        paid_at: None,
        confirmed_at: None,
    };
    store::insert(&state.db, &invoice).await.map_err(changed)?;
    get(state, auth, invoice.id).await
}

/// 409 naming the invoice's status and what the caller may do with it.
fn illegal(invoice: &InvoiceRecord, party: Option<Party>, tried: InvoiceAction) -> AppError {
    let allowed: Vec<String> = rules::allowed_actions(invoice.status, party)
        .into_iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    AppError::illegal_transition(
        crate::msg!(
            "invoices.illegal_step",
            action = tried,
            status = invoice.status
        ),
        invoice.status.as_str(),
        allowed,
    )
}

/// The customer marks the invoice paid, with a receipt.
pub async fn mark_paid(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    input: MarkPaid,
) -> Result<Invoice, AppError> {
    let (invoice, order) = load(state, auth, id).await?;
    let party = party(auth, &order);
    if party != Some(Party::Customer) {
        return Err(AppError::new(ErrorCode::Forbidden, "invoices.not_customer"));
    }
    let party = acting_party(auth, &order);
    if party.is_none() {
        return Err(illegal(&invoice, party, InvoiceAction::MarkPaid));
    }
    rules::apply(invoice.status, Step::MarkPaid)
        .map_err(|_| illegal(&invoice, party, InvoiceAction::MarkPaid))?;
    let receipt = link_or_file(
        state,
        auth,
        (input.receipt_link, input.receipt_file_id),
        "receipt_link",
    )
    .await?;
    store::mark_paid(&state.db, &invoice, receipt, state.clock.now())
        .await
        .map_err(changed)?;
    get(state, auth, id).await
}

/// The executor confirms the money arrived: the order moves on
/// (`in_progress` after the prepayment, `completed` after the final).
pub async fn confirm(state: &Core, auth: &Caller, id: Uuid) -> Result<Invoice, AppError> {
    let (invoice, order) = load(state, auth, id).await?;
    let party = party(auth, &order);
    if party != Some(Party::Executor) {
        return Err(AppError::new(ErrorCode::Forbidden, "invoices.not_executor"));
    }
    let party = acting_party(auth, &order);
    if party.is_none() {
        return Err(illegal(&invoice, party, InvoiceAction::ConfirmPayment));
    }
    rules::apply(invoice.status, Step::Confirm)
        .map_err(|_| illegal(&invoice, party, InvoiceAction::ConfirmPayment))?;
    let action = rules::confirming_action(invoice.kind);
    // The final payment before the act is signed is recorded and the order
    // waits for the act (docs/acts.md).
    let transition = crate::orders::system_transition(&order, action, auth.user_id)
        .ok_or_else(|| illegal(&invoice, party, InvoiceAction::ConfirmPayment))?;
    store::confirm(&state.db, &invoice, &transition, state.clock.now())
        .await
        .map_err(changed)?;
    get(state, auth, id).await
}
