//! Login by certificate (docs/accounts.md, "Logging in"): the server hands out a one-time nonce,
//! the client signs it (detached CMS, as any document), and a signature
//! that validates `TOTAL_PASSED` against the platform's trust logs in the
//! account the certificate belongs to.
//!
//! Which account: a certificate the platform CA issued belongs to its
//! owner (matched by serial and the exact certificate); a certificate of
//! another trusted CA (a qualified one) to the one account whose SNILS is
//! the certificate's. Anything else is `certificate_not_linked`.

use crate::AppError;
use crate::ClientInfo;
use crate::context::CertLogin;
use crate::sessions::{admit, check_limit};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use mezha_api_types::ErrorCode;
use mezha_api_types::auth::{CertChallenge, CertVerifyRequest};
use mezha_api_types::signatures::{SignerInfo, ValidationReport};
use mezha_store::{certificates, users};
use rand::RngCore as _;
use std::time::Duration;

/// How long a challenge may be answered.
pub const CHALLENGE_TTL: Duration = Duration::from_secs(300);

fn key(nonce: &str) -> String {
    format!("cert-login:{nonce}")
}

/// A new challenge.
pub async fn challenge(state: &CertLogin) -> Result<CertChallenge, AppError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = URL_SAFE_NO_PAD.encode(bytes);
    state.kv.set(&key(&nonce), "open", CHALLENGE_TTL).await?;
    Ok(CertChallenge {
        nonce,
        expires_at: state.clock.now()
            + chrono::Duration::from_std(CHALLENGE_TTL).unwrap_or_default(),
    })
}

fn expired() -> AppError {
    AppError::new(ErrorCode::ChallengeExpired, "sessions.challenge_expired")
}

/// The signature as sent: PEM as it is, else base64 of the DER.
pub(crate) fn signature_bytes(text: &str) -> Result<Vec<u8>, AppError> {
    let text = text.trim();
    if text.starts_with("-----BEGIN") {
        return Ok(text.as_bytes().to_vec());
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(compact.as_bytes())
        .or_else(|_| URL_SAFE_NO_PAD.decode(compact.trim_end_matches('=').as_bytes()))
        .map_err(|_| {
            AppError::field(
                "signature",
                mezha_domain::FieldError::new(
                    "signature_encoding",
                    "send the CMS signature as PEM or as base64 of its DER",
                ),
            )
        })
}

fn refused(report: &ValidationReport) -> AppError {
    // The codes of ETSI EN 319 102-1, the same in every language.
    let sub_indication = report
        .sub_indication
        .map(|s| format!(" ({})", s.as_str()))
        .unwrap_or_default();
    AppError::new(
        ErrorCode::CertificateNotAccepted,
        crate::msg!(
            "sessions.signature_not_accepted",
            indication = report.indication.as_str(),
            sub_indication = sub_indication,
        ),
    )
}

/// The owner of `signer`'s certificate when the platform CA issued it (the
/// same serial number and the exact certificate).
pub(crate) async fn issued_to(
    db: &mezha_store::DatabaseConnection,
    signer: &SignerInfo,
) -> Result<Option<uuid::Uuid>, AppError> {
    Ok(
        certificates::find_certificate_by_serial(db, &signer.serial_number)
            .await?
            .filter(|cert| mezha_domain::digest::sha256_hex(&cert.der) == signer.certificate_sha256)
            .map(|cert| cert.owner_id),
    )
}

/// The account `signer`'s certificate belongs to.
async fn account_of(state: &CertLogin, signer: &SignerInfo) -> Result<users::UserRecord, AppError> {
    let not_linked = || {
        AppError::new(
            ErrorCode::CertificateNotLinked,
            "sessions.certificate_not_linked",
        )
    };
    if let Some(owner) = issued_to(&state.db, signer).await? {
        return users::find_by_id(&state.db, owner)
            .await?
            .ok_or_else(not_linked);
    }
    // Stored as 11 digits; a certificate may write it with separators.
    let Some(snils) = signer
        .snils
        .as_deref()
        .and_then(|s| mezha_domain::Snils::parse(s).ok())
    else {
        return Err(not_linked());
    };
    let mut found = users::find_by_snils(&state.db, snils.digits(), 2).await?;
    match found.len() {
        1 => Ok(found.remove(0)),
        _ => Err(not_linked()),
    }
}

/// Checks the signed challenge and starts a session (or, with the SMS
/// second factor on, the second step).
pub async fn verify(
    state: &CertLogin,
    client: &ClientInfo,
    input: &CertVerifyRequest,
) -> Result<crate::second_factor::LoginStep, AppError> {
    check_limit(
        &state.logins.limiter,
        state.clock.now(),
        "cert_verify_ip",
        client.ip_key(),
        &state.settings.limits.otp_verify_per_ip,
    )
    .await?;
    let signature = signature_bytes(&input.signature)?;
    // One use: the first answer closes the challenge, whatever it says.
    if !state
        .kv
        .compare_and_swap(&key(&input.nonce), "open", "used", CHALLENGE_TTL)
        .await?
    {
        return Err(expired());
    }
    let nonce = input.nonce.clone().into_bytes();
    let report =
        super::certificates::certs::validate_now(&state.certificates, nonce, signature, None)
            .await?;
    if !report.is_signed() {
        return Err(refused(&report));
    }
    let signer = report.signer.as_ref().ok_or_else(|| refused(&report))?;
    let user = account_of(state, signer).await?;
    admit(&user)?;
    crate::second_factor::after_first_step(&state.logins, &user, "certificate", client).await
}

/// Whether the signer's certificate is `user`'s: one the platform issued
/// to him (the exact certificate), or one whose SNILS or INN is his.
pub(crate) async fn is_theirs(
    state: &crate::context::Core,
    signer: &SignerInfo,
    user: &users::UserRecord,
) -> Result<bool, AppError> {
    if let Some(owner) = issued_to(&state.db, signer).await? {
        return Ok(owner == user.id);
    }
    Ok(names_person(
        signer,
        user.snils.as_deref(),
        user.inn.as_deref(),
    ))
}

/// Whether the signer's certificate names the person with this SNILS or
/// INN (their digits compared; a value missing on either side never
/// matches).
pub(crate) fn names_person(signer: &SignerInfo, snils: Option<&str>, inn: Option<&str>) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let same = |theirs: Option<&str>, ours: Option<&str>| match (theirs, ours) {
        (Some(a), Some(b)) => !digits(a).is_empty() && digits(a) == digits(b),
        _ => false,
    };
    same(signer.snils.as_deref(), snils) || same(signer.inn.as_deref(), inn)
}
