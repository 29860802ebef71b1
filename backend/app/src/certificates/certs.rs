//! Issued certificates (docs/certificates.md, "The PKI"): reading, revocation (which publishes a
//! new CRL and puts it into the trust store signatures are validated
//! against), renewal into a pre-filled application, and the CRL itself.

use super::view as view_application;
use crate::Actor as Caller;
use crate::AppError;
use crate::context::Certificates;
use crate::paging;
use crate::pki::CrlEntry;
use chrono::{DateTime, Duration, Utc};
use der::EncodePem;
use mezha_api_types::ErrorCode;
use mezha_api_types::certificates::{
    Certificate, CertificateApplication, CertificateList, CertificateStatus, RevocationReason,
    RevokeCertificate,
};
use mezha_api_types::page::PageQuery;
use mezha_domain::Role;
use mezha_domain::certificates::machine::Actor;
use mezha_store::StoreError;
use mezha_store::certificates::{self as store, CertificateRecord};
use mezha_store::pki::CrlRecord;
use std::sync::atomic::Ordering;
use uuid::Uuid;

/// How long a CRL is valid (its nextUpdate).
pub const CRL_VALIDITY_DAYS: i64 = 7;

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "certificates.not_found")
}

/// The status now.
pub fn status(cert: &CertificateRecord, now: DateTime<Utc>) -> CertificateStatus {
    if cert.revoked_at.is_some() {
        CertificateStatus::Revoked
    } else if cert.not_after < now {
        CertificateStatus::Expired
    } else {
        CertificateStatus::Valid
    }
}

/// The certificate's PEM.
pub fn pem(der: &[u8]) -> Result<String, AppError> {
    use der::Decode;
    x509_cert::Certificate::from_der(der)
        .and_then(|c| c.to_pem(der::pem::LineEnding::LF))
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored certificate: {e}")))
}

/// The DTO.
pub fn view(state: &Certificates, cert: CertificateRecord) -> Result<Certificate, AppError> {
    let issuer = state.pki()?.issuer_name();
    Ok(Certificate {
        id: cert.id,
        application_id: cert.application_id,
        owner_id: cert.owner_id,
        status: status(&cert, state.clock.now()),
        pem: pem(&cert.der)?,
        serial: cert.serial,
        subject: cert.subject,
        issuer,
        not_before: cert.not_before,
        not_after: cert.not_after,
        revoked_at: cert.revoked_at,
        revocation_reason: cert.revocation_reason,
        created_at: cert.created_at,
    })
}

fn may_see(auth: &Caller, cert: &CertificateRecord) -> bool {
    matches!(auth.role, Role::CaOperator | Role::Moderator) || cert.owner_id == auth.user_id
}

/// A certificate the caller may see (his own; operators and moderators
/// any), 404 otherwise.
pub async fn load(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
) -> Result<CertificateRecord, AppError> {
    let cert = store::find_certificate(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    if may_see(auth, &cert) {
        Ok(cert)
    } else {
        Err(not_found())
    }
}

/// The certificate `id` as its issuing answered it: for an
/// `Idempotency-Key` retry whose first request issued it but could not
/// answer.
pub async fn issued(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
) -> Result<Certificate, AppError> {
    let cert = load(state, auth, id).await?;
    view(state, cert)
}

/// The caller's certificates (operators and moderators: everyone's),
/// newest first; the cursor is the creation time and id of the last one.
pub async fn list(
    state: &Certificates,
    auth: &Caller,
    page: &PageQuery,
) -> Result<CertificateList, AppError> {
    let limit = paging::limit(page)?;
    let after = paging::decode(page.cursor.as_deref())?;
    let owner = match auth.role {
        Role::CaOperator | Role::Moderator => None,
        _ => Some(auth.user_id),
    };
    let (rows, more) = store::list_certificates(&state.db, owner, limit, after).await?;
    let next_cursor = paging::next_cursor(more, &rows, |c| (c.created_at, c.id));
    let items = rows
        .into_iter()
        .map(|c| view(state, c))
        .collect::<Result<_, _>>()?;
    Ok(CertificateList { items, next_cursor })
}

/// 409 for an action on a certificate that is not valid any more.
fn not_valid(status: CertificateStatus, action: &str) -> AppError {
    AppError::illegal_transition(
        crate::msg!(
            "certificates.illegal_action",
            action = action,
            status = status
        ),
        status.as_str(),
        Vec::new(),
    )
}

/// Revokes (the owner, or an operator) and publishes a new CRL.
pub async fn revoke(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
    input: RevokeCertificate,
) -> Result<Certificate, AppError> {
    let cert = load(state, auth, id).await?;
    let is_owner =
        cert.owner_id == auth.user_id && !matches!(auth.role, Role::CaOperator | Role::Moderator);
    if auth.role != Role::CaOperator && !is_owner {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "certificates.revoke_forbidden",
        ));
    }
    let now = state.clock.now();
    let current = status(&cert, now);
    if current != CertificateStatus::Valid {
        return Err(not_valid(current, "revoke"));
    }
    let comment = input
        .comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    let cert = store::revoke(&state.db, id, input.reason, comment, auth.user_id, now)
        .await
        .map_err(|e| match e {
            StoreError::VersionMismatch => not_valid(CertificateStatus::Revoked, "revoke"),
            other => other.into(),
        })?;
    tracing::info!(certificate = %id, serial = %cert.serial, reason = %input.reason, "certificate revoked");
    publish_crl(state).await.map_err(AppError::internal)?;
    view(state, cert)
}

/// Starts a renewal of a still-valid certificate: a new draft with the
/// data of the application it was issued from.
pub async fn renew(
    state: &Certificates,
    auth: &Caller,
    id: Uuid,
) -> Result<CertificateApplication, AppError> {
    let cert = load(state, auth, id).await?;
    if cert.owner_id != auth.user_id || matches!(auth.role, Role::CaOperator | Role::Moderator) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "certificates.renew_forbidden",
        ));
    }
    let current = status(&cert, state.clock.now());
    if current != CertificateStatus::Valid {
        return Err(not_valid(current, "renew"));
    }
    let old = store::find(&state.db, cert.application_id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("certificate without application")))?;
    let mut scans = old.scans;
    // A renewal needs a freshly signed form.
    scans.form = None;
    let app = store::create(
        &state.db,
        auth.user_id,
        &old.fields,
        old.organisation.as_ref(),
        scans,
        Some(cert.id),
        state.clock.now(),
    )
    .await?;
    view_application(state, Actor::Owner, app).await
}

fn reason_code(reason: Option<RevocationReason>) -> Option<u8> {
    reason.map(|r| match r {
        RevocationReason::Unspecified => 0,
        RevocationReason::KeyCompromise => 1,
        RevocationReason::AffiliationChanged => 3,
        RevocationReason::Superseded => 4,
        RevocationReason::CessationOfOperation => 5,
    })
}

/// Builds, stores and installs a new CRL listing every revoked
/// certificate; returns it. Called at start and on each revocation.
pub async fn publish_crl(state: &Certificates) -> anyhow::Result<CrlRecord> {
    let pki = state
        .pki
        .clone()
        .ok_or_else(|| anyhow::anyhow!("no PKI configured"))?;
    let entries: Vec<CrlEntry> = store::revoked(&state.db)
        .await?
        .into_iter()
        .map(|e| CrlEntry {
            serial_hex: e.serial,
            revoked_at: e.revoked_at,
            reason_code: reason_code(e.reason),
        })
        .collect();
    let now = state.clock.now();
    let mut last_error = None;
    for _ in 0..5 {
        let number = mezha_store::pki::latest_crl(&state.db)
            .await?
            .map_or(1, |c| c.number + 1);
        let next = now + Duration::days(CRL_VALIDITY_DAYS);
        let der = pki.crl(number, &entries, now, next)?;
        let record = CrlRecord {
            number,
            der,
            this_update: now,
            next_update: next,
        };
        match mezha_store::pki::save_crl(&state.db, &record).await {
            Ok(()) => {
                install(state, record.number, &record.der)?;
                return Ok(record);
            }
            // Another instance published this number meanwhile: retry.
            Err(StoreError::Duplicate(_)) => last_error = Some(StoreError::Duplicate("number")),
            Err(other) => return Err(other.into()),
        }
    }
    Err(anyhow::anyhow!(
        "could not take a CRL number: {:?}",
        last_error
    ))
}

/// Puts CRL number `number` into the trust store, replacing the issuing
/// CA's older one (an older number than the one installed is ignored).
pub fn install(state: &Certificates, number: i64, crl: &[u8]) -> anyhow::Result<()> {
    let mut trust = state
        .trust
        .write()
        .map_err(|_| anyhow::anyhow!("trust store lock poisoned"))?;
    if state.crl_installed.load(Ordering::Acquire) >= number {
        return Ok(());
    }
    trust
        .replace_crl(crl)
        .map_err(|e| anyhow::anyhow!("installing the CRL: {e}"))?;
    state.crl_installed.store(number, Ordering::Release);
    Ok(())
}

/// Installs the newest platform CRL when another instance published it
/// (a revocation there must count here at once).
pub async fn sync_crl(state: &Certificates) -> Result<(), AppError> {
    if state.pki.is_none() {
        return Ok(());
    }
    let newest = mezha_store::pki::latest_crl_number(&state.db).await?;
    if newest <= state.crl_installed.load(Ordering::Acquire) {
        return Ok(());
    }
    if let Some(crl) = mezha_store::pki::latest_crl(&state.db).await? {
        install(state, crl.number, &crl.der).map_err(AppError::internal)?;
    }
    Ok(())
}

/// Validates a detached signature now, against the trust store with the
/// newest platform CRL, off the async workers.
pub async fn validate_now(
    state: &Certificates,
    document: Vec<u8>,
    signature: Vec<u8>,
    expected_signer: Option<mezha_api_types::signatures::ExpectedSigner>,
) -> Result<mezha_api_types::signatures::ValidationReport, AppError> {
    let options = mezha_signatures::ValidationOptions {
        expected_signer,
        validation_time: Some(state.clock.now()),
        signed_now: false,
    };
    validate_with(state, document, signature, options).await
}

async fn validate_with(
    state: &Certificates,
    document: Vec<u8>,
    signature: Vec<u8>,
    options: mezha_signatures::ValidationOptions,
) -> Result<mezha_api_types::signatures::ValidationReport, AppError> {
    sync_crl(state).await?;
    let trust = std::sync::Arc::clone(&state.trust);
    tokio::task::spawn_blocking(move || {
        let trust = trust
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        trust.validate(&document, &signature, &options)
    })
    .await
    .map_err(AppError::internal)
}

/// Validates a detached signature made now ([`validate_now`], the
/// signingTime it claims not trusted for revocation: a certificate revoked
/// by now fails) and refuses anything but `TOTAL_PASSED` with 422
/// `signature_refused`, the report attached and the text of `refused` (a
/// catalogue key taking the `indication` and `sub_indication`): what every
/// feature that accepts a signature of a document says (contracts, acts,
/// offers, deals).
pub async fn validate_signed(
    state: &Certificates,
    document: Vec<u8>,
    signature: Vec<u8>,
    refused: &'static str,
) -> Result<mezha_api_types::signatures::ValidationReport, AppError> {
    let options = mezha_signatures::ValidationOptions {
        expected_signer: None,
        validation_time: Some(state.clock.now()),
        signed_now: true,
    };
    let report = validate_with(state, document, signature, options).await?;
    if report.is_signed() {
        return Ok(report);
    }
    let sub = report
        .sub_indication
        .map(|s| format!(" ({})", s.as_str()))
        .unwrap_or_default();
    Err(AppError::with_report(
        mezha_api_types::ErrorCode::SignatureRefused,
        crate::error::Message::new(refused)
            .arg("indication", report.indication.as_str())
            .arg("sub_indication", sub),
        report,
    ))
}

/// The current CRL (DER): the newest published, re-published first when
/// it is a day from its nextUpdate (or none exists).
pub async fn current_crl(state: &Certificates) -> Result<Vec<u8>, AppError> {
    let now = state.clock.now();
    match mezha_store::pki::latest_crl(&state.db).await? {
        Some(crl) if crl.next_update - Duration::days(1) > now => Ok(crl.der),
        _ => Ok(publish_crl(state).await.map_err(AppError::internal)?.der),
    }
}
