//! Issuing (docs/certificates.md, "Making a request the API accepts"): the
//! owner of an approved application asks for an SMS
//! code, then consents and sends a PKCS#10 request with the code; the CSR's
//! signature and subject are checked and the issuing CA signs a certificate
//! whose subject comes from the application (only the key from the CSR).
//!
//! SMS codes reuse the login codes' rules and store (5 minutes, resend after
//! 2, 5 attempts) under their own key, `otp:cert-issue:{application id}`.

use super::{load, permit};
use crate::Actor;
use crate::AppError;
use crate::context::Certificates;
use crate::pki::{OwnerSubject, oid};
use crate::sms_codes;
use der::{Decode, Encode, Tag, Tagged};
use mezha_api_types::ErrorCode;
use mezha_api_types::certificates::{
    ApplicationAction, Certificate, IssueCertificate, IssueCodeSent,
};
use mezha_domain::certificates::owner::{self, RequestSubject};
use mezha_store::certificates::{self as store, NewCertificate};
use spki::SubjectPublicKeyInfoOwned;
use uuid::Uuid;
use x509_cert::request::CertReq;

fn otp_key(application: Uuid) -> String {
    format!("cert-issue:{application}")
}

fn invalid_csr(message: crate::error::Message) -> AppError {
    AppError::new(ErrorCode::InvalidCsr, message)
}

/// Sends the SMS code that confirms issuing to the application's phone.
pub async fn request_code(
    state: &Certificates,
    auth: &Actor,
    id: Uuid,
) -> Result<IssueCodeSent, AppError> {
    let (app, actor) = load(state, auth, id).await?;
    permit(app.status, ApplicationAction::RequestCode, actor)?;
    let phone = app
        .fields
        .phone
        .clone()
        .ok_or_else(|| AppError::new(ErrorCode::Conflict, "certificates.no_phone"))?;
    let policy = state.settings.otp;
    let key = otp_key(id);
    let codes = codes(state);
    let previous = sms_codes::may_send(&codes, &key).await?;
    sms_codes::send(&codes, &key, previous.as_ref(), Some(&phone), |code, minutes| {
        format!(
            "Межа: код подтверждения выпуска сертификата {code}. Действует {minutes} мин. Никому его не сообщайте."
        )
    })
    .await?;
    Ok(IssueCodeSent {
        phone: owner::masked_phone(&phone),
        expires_in: policy.ttl.as_secs(),
        resend_after: policy.resend_after.as_secs(),
    })
}

/// What the issuing's SMS codes need.
fn codes(state: &Certificates) -> sms_codes::Codes<'_> {
    sms_codes::Codes {
        otp: &state.otp,
        sms: state.sms.as_ref(),
        policy: state.settings.otp,
        now: state.clock.now(),
    }
}

/// Checks the code; a right code is consumed.
async fn check_code(state: &Certificates, id: Uuid, code: &str) -> Result<(), AppError> {
    sms_codes::check(&codes(state), &otp_key(id), code, || {
        AppError::new(ErrorCode::OtpExpired, "otp.no_code_for_application")
    })
    .await
}

/// The DER of a CSR sent as PEM or as base64 of the DER.
fn csr_der(text: &str) -> Result<Vec<u8>, AppError> {
    let text = text.trim();
    if text.starts_with("-----BEGIN") {
        let (label, der) = der::pem::decode_vec(text.as_bytes())
            .map_err(|e| invalid_csr(crate::msg!("certificates.csr_not_pem", reason = e)))?;
        if label != "CERTIFICATE REQUEST" && label != "NEW CERTIFICATE REQUEST" {
            return Err(invalid_csr(crate::msg!(
                "certificates.csr_wrong_pem_label",
                label = label
            )));
        }
        return Ok(der);
    }
    use base64::Engine as _;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| invalid_csr(crate::msg!("certificates.csr_encoding")))
}

/// Text of a directory-string value, whatever its string type.
fn string_value(value: &der::Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::NumericString
        | Tag::Ia5String
        | Tag::TeletexString
        | Tag::VisibleString => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// A CSR whose signature verifies, with its key and subject.
pub struct CheckedRequest {
    pub spki: SubjectPublicKeyInfoOwned,
    pub subject: RequestSubject,
}

/// Parses a CSR and verifies its self-signature. Accepted keys: ECDSA
/// P-256/P-384, RSA (2048 bits and up), GOST R 34.10-2012.
pub fn check_request(text: &str) -> Result<CheckedRequest, AppError> {
    let der = csr_der(text)?;
    let req = CertReq::from_der(&der)
        .map_err(|e| invalid_csr(crate::msg!("certificates.csr_not_pkcs10", reason = e)))?;
    let info = req
        .info
        .to_der()
        .map_err(|e| invalid_csr(crate::msg!("certificates.csr_not_reencodable", reason = e)))?;
    let signature = req
        .signature
        .as_bytes()
        .ok_or_else(|| invalid_csr(crate::msg!("certificates.csr_signature_bits")))?;
    mezha_signatures::verify_signature(&req.info.public_key, &req.algorithm, &info, signature)
        .map_err(|why| {
            invalid_csr(crate::msg!(
                "certificates.csr_signature_invalid",
                reason = why
            ))
        })?;
    let key_oid = req.info.public_key.algorithm.oid.to_string();
    if key_oid == "1.2.840.113549.1.1.1" {
        let bits = req
            .info
            .public_key
            .subject_public_key
            .as_bytes()
            .map(|b| b.len() * 8)
            .unwrap_or(0);
        if bits < 2048 {
            return Err(invalid_csr(crate::msg!("certificates.rsa_key_too_short")));
        }
    }
    let mut subject = RequestSubject::default();
    for rdn in req.info.subject.0.iter() {
        for atv in rdn.0.iter() {
            let value = string_value(&atv.value);
            match atv.oid.to_string().as_str() {
                oid::CN => subject.common_name = value,
                oid::SNILS => subject.snils = value,
                oid::INN => subject.inn = value,
                _ => {}
            }
        }
    }
    Ok(CheckedRequest {
        spki: req.info.public_key,
        subject,
    })
}

/// Issues the certificate: consent, the SMS code, a valid CSR naming the
/// owner; then `approved → issuing → issued` in one transaction.
pub async fn issue(
    state: &Certificates,
    auth: &Actor,
    id: Uuid,
    input: IssueCertificate,
) -> Result<Certificate, AppError> {
    let (app, actor) = load(state, auth, id).await?;
    permit(app.status, ApplicationAction::Issue, actor)?;
    if !input.consent {
        return Err(AppError::field(
            "consent",
            mezha_domain::FieldError::new(
                "required",
                "consent to the issuing of a certificate with the application's data",
            ),
        ));
    }
    let request = check_request(&input.csr)?;
    let mismatches = owner::subject_mismatches(&app.fields, &request.subject);
    if !mismatches.is_empty() {
        let fields: Vec<&str> = mismatches.iter().map(|(f, _)| *f).collect();
        let mut errors = crate::error::FieldIssues::new();
        for (field, error) in mismatches {
            crate::error::push_issue(&mut errors, field, error);
        }
        return Err(AppError::with_issues(
            ErrorCode::CsrSubjectMismatch,
            crate::msg!("certificates.subject_mismatch", fields = fields.join(", ")),
            errors,
        ));
    }
    check_code(state, id, &input.code).await?;
    let pki = state.pki()?;
    let f = &app.fields;
    let (Some(full_name), Some(snils)) = (f.full_name.clone(), f.snils.clone()) else {
        return Err(AppError::internal(anyhow::anyhow!(
            "an approved application without name or SNILS"
        )));
    };
    let subject = OwnerSubject {
        full_name,
        snils,
        inn: f.inn.clone(),
        email: f.email.clone(),
        organisation: app.organisation.clone().map(|o| (o.name, o.inn)),
        position: f.position.clone().filter(|_| app.organisation.is_some()),
    };
    let now = state.clock.now();
    let issued = pki
        .issue(&subject, request.spki, now)
        .map_err(AppError::internal)?;
    let new = NewCertificate {
        id: Uuid::now_v7(),
        serial: issued.serial,
        subject: issued.subject,
        der: issued.der,
        not_before: issued.not_before,
        not_after: issued.not_after,
    };
    let (_, cert) = store::issue(&state.db, id, app.owner_id, new, now)
        .await
        .map_err(super::raced)?;
    tracing::info!(application = %id, certificate = %cert.id, serial = %cert.serial, "certificate issued");
    super::certs::view(state, cert)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// `openssl req -new -key owner.key -utf8 -subj "/CN=Иванов Иван
    /// Иванович/SNILS=11223344595/INN=500100732259"` (OpenSSL 3.0, P-256).
    const OPENSSL_CSR: &str = "-----BEGIN CERTIFICATE REQUEST-----
MIIBIDCBxwIBADBlMS8wLQYDVQQDDCbQmNCy0LDQvdC+0LIg0JjQstCw0L0g0JjQ
stCw0L3QvtCy0LjRhzEWMBQGBSqFA2QDEgsxMTIyMzM0NDU5NTEaMBgGCCqFAwOB
AwEBEgw1MDAxMDA3MzIyNTkwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAToFc4F
7WwDHZdtopYfucxzttPKHDzDfDtkHnEpalkKrduqRNx6jkJfFU8iE/yMBMWCniZ+
SICue1ENpzWKHe+VoAAwCgYIKoZIzj0EAwIDSAAwRQIhALCjjS9vTTlklgtBdhrg
ONCW9flfnXXytCLKorqpnwVuAiAQS8ZPRarAg4jmDNbrhhlGT+uYLMja4HtNyU7V
UBMdlQ==
-----END CERTIFICATE REQUEST-----
";

    #[test]
    fn an_openssl_request_is_read() {
        let checked = check_request(OPENSSL_CSR).ok().unwrap();
        assert_eq!(
            checked.subject,
            RequestSubject {
                common_name: Some("Иванов Иван Иванович".into()),
                snils: Some("11223344595".into()),
                inn: Some("500100732259".into()),
            }
        );
    }

    /// `openssl genpkey -algorithm gost2012_256 -pkeyopt paramset:A` and
    /// `openssl req -new -md_gost12_256 -utf8 -subj "/CN=…/SNILS=…"` (gost engine).
    const GOST_CSR: &str = "-----BEGIN CERTIFICATE REQUEST-----
MIIBDDCBuAIBADBJMS8wLQYDVQQDDCbQmNCy0LDQvdC+0LIg0JjQstCw0L0g0JjQ
stCw0L3QvtCy0LjRhzEWMBQGBSqFA2QDEgsxMTIyMzM0NDU5NTBmMB8GCCqFAwcB
AQEBMBMGByqFAwICIwEGCCqFAwcBAQICA0MABEBEV6AB5fFO2ocrOo7XqUv988Yw
LX0uexrVWyuABye9mtK/LAREj21VwVvVII4jFQrlrDKJeK3JY5WVsbHfr2wdoAAw
DAYIKoUDBwEBAwIFAANBABBvJib1g5y4387Xv6aNlfpzM4d2+b+mwoit9wWwADXH
m+yUi18SuN6ncnBSrPA+IF46THclqAKCdAPBFFWfQZY=
-----END CERTIFICATE REQUEST-----
";

    /// RSA-2048, `openssl req -new -sha256 -utf8 -subj "/CN=…/SNILS=…"`.
    const RSA_CSR: &str = "-----BEGIN CERTIFICATE REQUEST-----
MIICjjCCAXYCAQAwSTEvMC0GA1UEAwwm0JjQstCw0L3QvtCyINCY0LLQsNC9INCY
0LLQsNC90L7QstC40YcxFjAUBgUqhQNkAxILMTEyMjMzNDQ1OTUwggEiMA0GCSqG
SIb3DQEBAQUAA4IBDwAwggEKAoIBAQCvkJP1PEGwXDTJgiMxC49gLEOFHT9ZJB/r
uWW7Tqca4A7ynGQXxZpnSEJreoaaLpVoXEJEVlLqgjrthffjTy6cHckOOjRzTxgw
199g/EHaKEWxXrv2FSAe+tr7WJYY6+YDdBa/naO3MFU+oxCNv0tgEnJQlfyuaVV7
9xayK+yBTZbisULkMlKJEq35zlWYzknLG/YEEaBRe9XRbtCFgzWtdExLKvzkbNHb
ywnYvj0Rp8b5I7uQ45rMsWFoeW0IcnUWGaaTEP/r+UYb/CoCgl2bM0gG7aEa6AfH
LTDA7cIp64JIvd7hZiPm7m02rDAzMuJqyQSjUpd1AhGpEN9IbxcPAgMBAAGgADAN
BgkqhkiG9w0BAQsFAAOCAQEAAeZEkPYaOvxK1GDNDbwMScZrqrfRFowrh9o/Cwnu
966mGqnGGL0lUfXbdRaepKOnHehqqrItHpJmjF7qs6qEYRZ8S77Kw8DdKKbXu/nT
ew3AXDbni5yW3NGtIl3g+jEBdQnOyWpTgflldtelVe4DfaJxdTQ4ccT+fwP3ktPB
yS2L6HLfsElQfwQSlWzirgCQtGmuLXSGkNM8RoRJkAvQhhTU8kRbPzjLexEeFgRa
SRTqR9/g4aA7ssrjHNBGQCj1Q1OVxwMbGaZ9dC3n1US1mZOzntmg9HneS5uUNcmI
h8hiGMgZeynnrW8+zamIAZXOpx4VvJfyjmAG8FnQUMQ8WQ==
-----END CERTIFICATE REQUEST-----
";

    #[test]
    fn gost_and_rsa_requests_verify() {
        for csr in [GOST_CSR, RSA_CSR] {
            let checked = check_request(csr).ok().unwrap();
            assert_eq!(checked.subject.snils.as_deref(), Some("11223344595"));
            assert_eq!(
                checked.subject.common_name.as_deref(),
                Some("Иванов Иван Иванович")
            );
        }
        // One changed bit in the GOST signature is refused.
        let (_, mut der) = der::pem::decode_vec(GOST_CSR.as_bytes()).unwrap();
        let last = der.len() - 1;
        der[last] ^= 0x01;
        use base64::Engine as _;
        let tampered = base64::engine::general_purpose::STANDARD.encode(der);
        assert_eq!(
            check_request(&tampered).err().map(|e| e.code()),
            Some(ErrorCode::InvalidCsr)
        );
    }

    #[test]
    fn garbage_and_other_pem_are_refused() {
        for text in [
            "",
            "not base64 at all!",
            "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
            "MAA=",
        ] {
            assert_eq!(
                check_request(text).err().map(|e| e.code()),
                Some(ErrorCode::InvalidCsr),
                "{text}"
            );
        }
    }
}
