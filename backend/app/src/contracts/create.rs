//! A new contract version (`POST /orders/{id}/contracts`): rendered from
//! the template and the terms, or an uploaded PDF/A file as it is. Either
//! voids the open versions of the order.

use super::render::{ContractData, Side, render, render_docx};
use super::*;
use crate::engineers::snils_display;
use mezha_api_types::contracts::{ContractSource, ContractStatus, ContractTerms, NewContract};
use mezha_api_types::orders::OrderAction;
use mezha_domain::contracts::{TermsContext, check_terms};

/// Largest uploaded contract file, in bytes.
const UPLOAD_MAX_BYTES: i64 = 20 * 1024 * 1024;

/// The executor makes a new version of the contract of an order in
/// `contract_signing`.
pub async fn create(
    state: &Core,
    auth: &Caller,
    order_id: Uuid,
    input: NewContract,
) -> Result<Contract, AppError> {
    // 404 for whoever cannot see the order, whatever his role.
    let order = crate::orders::load(state, auth, order_id).await?;
    auth.require(&[Role::Engineer])?;
    crate::orders::permit_caller(state, auth, &order, OrderAction::CreateContract).await?;
    let now = state.clock.now();
    let mut version = ContractRecord {
        id: Uuid::now_v7(),
        order_id,
        // Written on the document; two versions made at once cannot both
        // take it (the second is refused, 409).
        number: store::next_number(&state.db, order_id, DocumentKind::Contract).await?,
        kind: DocumentKind::Contract,
        amount_kopecks: None,
        completed_on: None,
        status: ContractStatus::AwaitingEngineer,
        source: ContractSource::Template,
        terms: None,
        price_in_words: None,
        file_id: Uuid::nil(),
        docx_file_id: None,
        extra_file_id: None,
        declined_reason: None,
        created_by: auth.user_id,
        created_at: now,
        updated_at: now,
    };
    match (input.terms, input.file_id) {
        (Some(terms), None) => {
            let (terms, data) = template_data(state, auth, &order, terms).await?;
            version.price_in_words = Some(data.amounts.price.words_ru());
            version.extra_file_id = terms.extra_file_id;
            version.terms = Some(terms);
            let mut data = data;
            data.version = version.number;
            let (pdf, docx) = tokio::task::spawn_blocking(move || {
                Ok::<_, anyhow::Error>((render(&data)?, render_docx(&data)?))
            })
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
            let name = format!("contract-{}-{}", order.number, version.number);
            let file = crate::files::save(
                state,
                auth.user_id,
                &format!("{name}.pdf"),
                "application/pdf",
                &pdf,
            )
            .await?;
            version.file_id = file.id;
            let docx_type =
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            let file = crate::files::save(
                state,
                auth.user_id,
                &format!("{name}.docx"),
                docx_type,
                &docx,
            )
            .await?;
            version.docx_file_id = Some(file.id);
        }
        (None, Some(file_id)) => {
            version.source = ContractSource::Upload;
            version.file_id = checked_upload(state, auth, file_id).await?;
        }
        _ => {
            return Err(AppError::field(
                "terms",
                mezha_domain::FieldError::new(
                    "terms_or_file",
                    "give either the terms or the id of an uploaded PDF/A file",
                ),
            ));
        }
    }
    let made: Vec<Uuid> = match version.source {
        ContractSource::Template => std::iter::once(version.file_id)
            .chain(version.docx_file_id)
            .collect(),
        ContractSource::Upload => Vec::new(),
    };
    let version = match store::insert_version(&state.db, version).await {
        Ok(version) => version,
        Err(e) => {
            // The documents rendered for it are nobody's now.
            crate::files::discard(state, made).await;
            return Err(match e {
                mezha_store::StoreError::Duplicate(_) => {
                    AppError::new(ErrorCode::Conflict, "contracts.made_meanwhile")
                }
                other => other.into(),
            });
        }
    };
    view(state, auth, &order, version).await
}

/// The caller's own upload, if it is PDF/A and not too large.
async fn checked_upload(state: &Core, auth: &Caller, file_id: Uuid) -> Result<Uuid, AppError> {
    let file = crate::files::uploaded(state, auth, file_id).await?;
    if file.size > UPLOAD_MAX_BYTES {
        return Err(AppError::new(
            ErrorCode::PayloadTooLarge,
            crate::msg!("files.too_large", max = UPLOAD_MAX_BYTES),
        ));
    }
    let (_, bytes) = crate::files::read(state, file.id).await?;
    match crate::pdf::pdf_a_part(&bytes) {
        Ok(_) => Ok(file.id),
        Err(crate::pdf::NotPdfA::NotPdf) => {
            Err(AppError::new(ErrorCode::NotPdfA, "contracts.not_pdf"))
        }
        Err(_) => Err(AppError::new(ErrorCode::NotPdfA, "contracts.not_pdf_a")),
    }
}

/// An account as the contract names it: its name, INN, SNILS, contacts
/// and requisites. An engineer who is an employee carries his employer's
/// name and requisites, as his requisites page does.
pub(super) async fn side(state: &Core, user_id: Uuid, engineer: bool) -> Result<Side, AppError> {
    let user = mezha_store::users::find_by_id(&state.db, user_id)
        .await?
        .ok_or_else(not_found)?;
    let (employer, requisites) = if engineer {
        mezha_store::engineers::effective_requisites(&state.db, user_id).await?
    } else {
        (
            None,
            mezha_store::engineers::requisites_of(&state.db, user_id).await?,
        )
    };
    let organisation = match employer {
        Some(employer) => mezha_store::employment::employer(&state.db, employer)
            .await?
            .map(|e| format!("{} (ИНН {})", e.name, e.inn)),
        None => None,
    };
    Ok(Side {
        name: user.full_name.unwrap_or(user.email.clone()),
        organisation,
        inn: user.inn,
        snils: snils_display(user.snils.as_deref()),
        email: Some(user.email),
        phone: user.phone,
        requisites: requisites.map(|r| r.data),
    })
}

/// The order's work types as documents name them (in Russian).
pub(super) async fn work_type_names(
    state: &Core,
    order: &OrderRecord,
) -> Result<Vec<String>, AppError> {
    let reference = crate::reference::load(state).await?;
    Ok(order
        .work_types
        .iter()
        .map(|w| {
            reference
                .work_types
                .iter()
                .find(|info| info.code == *w)
                .map_or_else(|| w.as_str().to_owned(), |info| info.name_ru.clone())
        })
        .collect())
}

/// Checks the terms against the order (every problem beside its field),
/// fills the e-mail and phone from the profile when not given, and
/// gathers what the template is filled with.
async fn template_data(
    state: &Core,
    auth: &Caller,
    order: &OrderRecord,
    mut terms: ContractTerms,
) -> Result<(ContractTerms, ContractData), AppError> {
    let ctx = TermsContext {
        prepayment_required: order.prepayment_required,
        today: crate::orders::today(state.clock.now()),
    };
    let amounts = check_terms(&terms, &ctx).map_err(crate::error::field_problems)?;
    if let Some(extra) = terms.extra_file_id {
        crate::files::uploaded(state, auth, extra)
            .await
            .map_err(|_| {
                AppError::field(
                    "extra_file_id",
                    mezha_domain::FieldError::new("unknown_file", "upload the file first"),
                )
            })?;
    }
    let mut executor = side(state, auth.user_id, true).await?;
    terms.email = terms.email.or_else(|| executor.email.clone());
    terms.phone = terms.phone.or_else(|| executor.phone.clone());
    executor.email.clone_from(&terms.email);
    executor.phone.clone_from(&terms.phone);
    let work_types = work_type_names(state, order).await?;
    let data = ContractData {
        version: 0,
        order_number: order.number,
        order_title: order.title.clone(),
        work_types,
        cadastral_numbers: order.cadastral_numbers.clone(),
        address: order.address.clone(),
        date: ctx.today.format("%d.%m.%Y").to_string(),
        customer: side(state, order.customer_id, false).await?,
        executor,
        terms: terms.clone(),
        amounts,
    };
    Ok((terms, data))
}
