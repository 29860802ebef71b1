//! Signatures of a deal's documents and statements (docs/deals.md,
//! "Signatures"): a detached CMS of the document's exact bytes, for one of
//! the document's signers, counted only when it validates `TOTAL_PASSED`
//! and is made with that signer's certificate — a client's certificate
//! names his SNILS or INN; the organisation (a participant, or the filer
//! of a statement) signs through the calling employee, with his own
//! certificate and the `sign_on_behalf` right — and, unless he is its head,
//! under a power of attorney of the organisation that names him and grants
//! the power (docs/power-of-attorney.md). Anything else is refused
//! with its report and changes nothing. The last statement signature makes
//! the deal `ready`.

use super::*;
use crate::context::Certificates;
use mezha_api_types::deals::{DealDocumentKind, SignDealDocument};
use mezha_domain::poa::DealPower;
use mezha_store::deals::NewSignature;

fn no_document() -> AppError {
    AppError::new(ErrorCode::NotFound, "deals.document_not_found")
}

fn not_a_signer() -> AppError {
    AppError::field(
        "participant_id",
        FieldError::new(
            "not_a_signer",
            "This participant does not sign this document (a represented participant's representative signs for him).",
        ),
    )
}

/// `POST /deals/{id}/documents/{document_id}/signatures`.
pub async fn sign(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
    document_id: Uuid,
    input: SignDealDocument,
) -> Result<Deal, AppError> {
    let issues = body_issues(&input);
    if !issues.is_empty() {
        return Err(AppError::validation(issues));
    }
    let seen = seen(state, auth, id).await?;
    let loaded = Loaded::of(state, &seen.deal).await?;
    let document = loaded
        .documents
        .iter()
        .find(|d| d.id == document_id)
        .ok_or_else(no_document)?;
    check(&seen, &loaded, DealAction::Sign)?;
    // A draft's documents are signed in the draft, the statements once
    // formed; an uploaded document of a frozen deal no longer changes.
    let stage = match document.kind {
        DealDocumentKind::Document => DealStatus::Draft,
        DealDocumentKind::Statement => DealStatus::Statements,
    };
    if seen.deal.status != stage {
        return Err(illegal(&seen, &loaded, DealAction::Sign));
    }
    let participants = loaded.rule_participants();
    let rule = loaded
        .rule_documents()
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or_else(no_document)?;
    let signer = input
        .participant_id
        .map_or(Signer::Employee, Signer::Participant);
    if !rules::required_signers(&participants, &rule).contains(&signer) {
        return Err(not_a_signer());
    }
    if loaded.signed().contains(&(document_id, signer)) {
        return Err(AppError::new(ErrorCode::Conflict, "deals.already_signed"));
    }
    let person = match signer {
        Signer::Participant(pid) => loaded
            .participants
            .iter()
            .find(|p| p.id == pid)
            .filter(|p| p.client_id.is_some())
            .map(|p| loaded.person(p, &seen.org)),
        Signer::Employee => None,
    };
    // The organisation signs through the employee, who needs the right.
    if person.is_none() && !seen.membership().holds(OrgRight::SignOnBehalf) {
        return Err(crate::organisations::refused(Denied::MissingRight(
            OrgRight::SignOnBehalf,
        )));
    }

    let signature = crate::cert_login::signature_bytes(&input.signature)?;
    let (file, bytes) = crate::files::read(state, document.file_id).await?;
    if mezha_domain::digest::sha256_hex(&bytes) != file.sha256 {
        return Err(AppError::internal(anyhow::anyhow!(
            "deal document {} does not match its SHA-256",
            document.id
        )));
    }
    let report = crate::certificates::certs::validate_signed(
        state,
        bytes,
        signature.clone(),
        "deals.signature_refused",
    )
    .await?;
    let certificate = report.signer.clone();
    let theirs = match (&certificate, &person) {
        (None, _) => false,
        (Some(c), Some(person)) => {
            crate::cert_login::names_person(c, person.snils.as_deref(), person.inn.as_deref())
        }
        (Some(c), None) => {
            let user = mezha_store::users::find_by_id(&state.db, auth.user_id)
                .await?
                .ok_or_else(not_found)?;
            crate::cert_login::is_theirs(state, c, &user).await?
        }
    };
    if !theirs {
        return Err(AppError::with_report(
            ErrorCode::SignerNotParty,
            "deals.signer_not_party",
            report,
        ));
    }
    // An employee signs for the organisation with his personal
    // certificate under a power of attorney; its head acts without one
    // (docs/power-of-attorney.md, "Who needs one").
    let power_of_attorney_id = match (&certificate, &person) {
        (Some(c), None) if auth.user_id != seen.org.head_id => {
            let power = match document.kind {
                DealDocumentKind::Document => DealPower::SignDocuments,
                DealDocumentKind::Statement => DealPower::SignStatements,
            };
            Some(
                crate::organisations::powers_of_attorney::authority(
                    state,
                    &seen.org,
                    c,
                    power,
                    "signature",
                )
                .await?,
            )
        }
        _ => None,
    };
    let der = mezha_signatures::signature_der(&signature)
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?
        .into_owned();
    // The last statement signature makes the deal ready.
    let mut signed = loaded.signed();
    signed.push((document_id, signer));
    let all_signed = loaded.checklist_with(&seen.deal, &signed).is_empty();
    let then =
        (seen.deal.status == DealStatus::Statements && all_signed).then_some(match machine::apply(
            seen.deal.status,
            DealAction::StatementsSigned,
            &DealFacts::default(),
        ) {
            Ok(machine::Effect::MoveTo(to)) => to,
            _ => DealStatus::Ready,
        });
    store::add_signature(
        &state.db,
        &seen.deal,
        NewSignature {
            document_id,
            participant_id: input.participant_id,
            signer_name: certificate.and_then(|c| c.common_name),
            sha256: mezha_domain::digest::sha256_hex(&der),
            signature: der,
            report,
            power_of_attorney_id,
        },
        then,
        auth.user_id,
        now(state),
    )
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => AppError::new(ErrorCode::Conflict, "deals.already_signed"),
        other => changed(other),
    })?;
    get(state, auth, id).await
}
