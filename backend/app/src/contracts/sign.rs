//! Signing a contract or act version (`POST /contracts/{id}/signatures`,
//! `POST /acts/{id}/signatures`) and declining it (`…/decline`),
//! docs/contracts.md, "Signing". A signature counts only when it validates
//! `TOTAL_PASSED` over the version's exact bytes and its certificate is
//! the expected party's; anything else is refused with its report and
//! changes nothing. Both kinds share this code; only what the last
//! signature does to the order differs ([`closing_action`]).

use super::*;
use crate::context::Certificates;
use mezha_api_types::contracts::{ContractAction, ContractStatus, DeclineContract, SignContract};
use mezha_api_types::orders::OrderAction;
use mezha_domain::contracts::{Event, apply};
use mezha_store::StoreError;
use mezha_store::contracts::SignatureRecord;

/// 409 naming the version's status and what the caller may do with it now.
fn illegal(
    contract: &ContractRecord,
    party: Option<ContractParty>,
    tried: ContractAction,
) -> AppError {
    let allowed: Vec<String> = rules::allowed_actions(contract.status, party)
        .into_iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    AppError::illegal_transition(
        crate::msg!(
            "contracts.illegal_step",
            action = tried,
            status = contract.status,
        ),
        contract.status.as_str(),
        allowed,
    )
}

fn not_a_party() -> AppError {
    AppError::new(ErrorCode::Forbidden, "contracts.not_a_party")
}

fn changed(err: StoreError) -> AppError {
    match err {
        StoreError::VersionMismatch | StoreError::Duplicate(_) => {
            AppError::new(ErrorCode::Conflict, "contracts.changed")
        }
        other => other.into(),
    }
}

/// What a version of `kind` signed by both does to its order: the
/// contract moves it on (`prepayment` or `in_progress`); the act is one of
/// the two closing facts (docs/acts.md) and completes it when the final
/// payment is confirmed already.
fn closing_action(kind: DocumentKind) -> OrderAction {
    match kind {
        DocumentKind::Contract => OrderAction::ContractSigned,
        DocumentKind::Act => OrderAction::ActSigned,
    }
}

/// `POST /contracts/{id}/signatures`: the caller signs the contract
/// version as his party.
pub async fn sign(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
    input: SignContract,
) -> Result<Contract, AppError> {
    sign_version(state, auth, id, DocumentKind::Contract, input).await?;
    get(state, auth, id).await
}

/// The caller signs the version of `kind` as his party: validated over
/// the version's exact bytes, stored with its report; the last signature
/// applies the kind's [`closing_action`] to the order in the same
/// transaction.
pub(super) async fn sign_version(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
    kind: DocumentKind,
    input: SignContract,
) -> Result<(), AppError> {
    let (contract, order) = load(state, auth, id, kind).await?;
    if party(auth, &order).is_none() {
        return Err(not_a_party());
    }
    // A suspended order's documents wait for its resumption.
    let Some(party) = acting_party(auth, &order) else {
        return Err(illegal(&contract, None, ContractAction::Sign));
    };
    let to = apply(contract.status, Event::Signed(party))
        .map_err(|_| illegal(&contract, Some(party), ContractAction::Sign))?;
    let order_move = if to == ContractStatus::Signed {
        let action = closing_action(kind);
        Some(
            crate::orders::system_transition(&order, action, auth.user_id)
                .ok_or_else(|| illegal(&contract, Some(party), ContractAction::Sign))?,
        )
    } else {
        None
    };
    let signature = crate::cert_login::signature_bytes(&input.signature)?;
    let (file, document) = crate::files::read(state, contract.file_id).await?;
    if mezha_domain::digest::sha256_hex(&document) != file.sha256 {
        return Err(AppError::internal(anyhow::anyhow!(
            "contract {} document does not match its SHA-256",
            contract.id
        )));
    }
    let report = crate::certificates::certs::validate_signed(
        state,
        document,
        signature.clone(),
        "contracts.signature_refused",
    )
    .await?;
    let expected = match party {
        ContractParty::Engineer => auth.user_id,
        ContractParty::Customer => order.customer_id,
    };
    let user = mezha_store::users::find_by_id(&state.db, expected)
        .await?
        .ok_or_else(not_found)?;
    let signer = report.signer.clone();
    let theirs = match &signer {
        Some(signer) => crate::cert_login::is_theirs(state, signer, &user).await?,
        None => false,
    };
    if !theirs {
        return Err(AppError::with_report(
            ErrorCode::SignerNotParty,
            "contracts.signer_not_party",
            report,
        ));
    }
    // Stored as DER whatever was sent (PEM is its base64 armour); the
    // engine has just parsed it either way.
    let der = mezha_signatures::signature_der(&signature)
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?
        .into_owned();
    let record = SignatureRecord {
        id: Uuid::now_v7(),
        contract_id: contract.id,
        party,
        signer_id: auth.user_id,
        signer_name: signer.and_then(|s| s.common_name),
        sha256: mezha_domain::digest::sha256_hex(&der),
        signature: der,
        report,
        created_at: chrono::SubsecRound::trunc_subsecs(state.clock.now(), 6),
    };
    store::add_signature(&state.db, &record, (contract.status, to), order_move)
        .await
        .map_err(changed)
}

/// `POST /contracts/{id}/decline`: the customer declines to sign the
/// contract version, with a reason the engineer sees; he makes a new
/// version.
pub async fn decline(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    input: DeclineContract,
) -> Result<Contract, AppError> {
    decline_version(state, auth, id, DocumentKind::Contract, input).await?;
    get(state, auth, id).await
}

/// The customer declines to sign the version of `kind`, with a reason.
pub(super) async fn decline_version(
    state: &Core,
    auth: &Caller,
    id: Uuid,
    kind: DocumentKind,
    input: DeclineContract,
) -> Result<(), AppError> {
    let (contract, order) = load(state, auth, id, kind).await?;
    if party(auth, &order) != Some(ContractParty::Customer) {
        return Err(not_a_party());
    }
    let party = acting_party(auth, &order);
    if party.is_none() {
        return Err(illegal(&contract, None, ContractAction::Decline));
    }
    apply(contract.status, Event::Declined)
        .map_err(|_| illegal(&contract, party, ContractAction::Decline))?;
    let reason = input.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            mezha_domain::FieldError::new("required", "say why you do not sign"),
        ));
    }
    store::decline(&state.db, id, reason, state.clock.now())
        .await
        .map_err(changed)
}
