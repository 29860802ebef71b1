//! RFC 9457 problem details, the body of every error response
//! (`Content-Type: application/problem+json`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Stable, machine-readable error codes. Clients switch on `code`, never on
/// `title` or `detail`, which are for people and may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request is malformed (bad query string, bad header).
    BadRequest,
    /// 400: the body is not well-formed JSON (or not UTF-8).
    MalformedJson,
    /// 422: the JSON is well-formed but has wrong types or missing fields.
    InvalidBody,
    /// 422: one or more fields failed validation; see `errors`.
    ValidationFailed,
    /// 401: no access token, or it is malformed, forged or expired.
    Unauthenticated,
    /// 401: the session behind the token has ended (logged out or revoked).
    SessionRevoked,
    /// 401: e-mail or password is wrong.
    InvalidCredentials,
    /// 401: the refresh token is unknown or expired.
    InvalidRefreshToken,
    /// 401: a refresh token was used twice; the whole session is revoked.
    RefreshTokenReused,
    /// 409: the refresh token was replaced a moment ago by a concurrent
    /// refresh (another tab); retry with the newer one (the cookie has it).
    RefreshTokenSuperseded,
    /// 401: the SMS code is wrong; `detail` tells how many attempts remain.
    InvalidOtp,
    /// 401: the SMS code has expired or was never sent; request a new one.
    OtpExpired,
    /// 401: five wrong attempts; this code is burnt, request a new one.
    OtpAttemptsExceeded,
    /// 400: the confirmation or reset link is unknown, used or expired.
    InvalidToken,
    /// 403: the e-mail address has not been confirmed yet.
    EmailNotConfirmed,
    /// 409: the SMS second factor needs a phone number confirmed by an SMS
    /// code first (`POST /me/phone`).
    PhoneNotConfirmed,
    /// 403: the account is blocked by a moderator.
    AccountBlocked,
    /// 403: the acting role may not do this.
    Forbidden,
    /// 403: the account does not hold the requested role.
    RoleNotHeld,
    /// 404: no such resource (or not yours to see).
    NotFound,
    /// 405: the path exists but not with this method; see `Allow`.
    MethodNotAllowed,
    /// 409: the e-mail address belongs to another account.
    EmailTaken,
    /// 409: the phone number belongs to another account.
    PhoneTaken,
    /// 409: the request conflicts with the resource's current state.
    Conflict,
    /// 412: `If-Match` names a version that is no longer current.
    PreconditionFailed,
    /// 413: the body is larger than the endpoint accepts.
    PayloadTooLarge,
    /// 415: the body's `Content-Type` is not accepted by the endpoint.
    UnsupportedMediaType,
    /// 416: the `Range` asked for starts past the end of the file; see
    /// `Content-Range` for its size.
    RangeNotSatisfiable,
    /// 429: too many requests; retry after `Retry-After` seconds.
    RateLimited,
    /// 429: a new SMS code may be requested only after `Retry-After` seconds.
    OtpResendTooEarly,
    /// 409: the order's status does not allow this action now; the body
    /// names `current_status` and the `allowed_actions`.
    IllegalTransition,
    /// 403: the engineer has not filled the required profile fields.
    EngineerProfileIncomplete,
    /// 403: the engineer is blocked by a moderator.
    EngineerBlocked,
    /// 403: none of the engineer's activity regions is the order's region.
    RegionNotCovered,
    /// 403: the engineer is his employer's only active engineer.
    SoleActiveEngineer,
    /// 403: the engineer has switched "accept offers" off.
    OffersDisabled,
    /// 403: the account is not a cadastral engineer (not in the SRO registry).
    NotAnEngineer,
    /// 409: the engineer already has an active response to this order.
    AlreadyResponded,
    /// 409: the engineer already has an employer (or a pending request).
    AlreadyEmployed,
    /// 422: this `Idempotency-Key` was used with a different request.
    IdempotencyKeyReused,
    /// 409: a request with this `Idempotency-Key` is still being processed.
    IdempotencyInProgress,
    /// 409: an employed engineer's requisites are his employer's and
    /// cannot be changed by him.
    RequisitesInherited,
    /// 409: the engineer has never logged in, so an employer cannot add
    /// him directly yet.
    EngineerNeverLoggedIn,
    /// 502: the SRO registry feed could not be fetched (unreachable, not
    /// 2xx, too large or too slow).
    FeedUnavailable,
    /// 422: the PKCS#10 request does not parse, its signature does not
    /// verify or its key type is not accepted.
    InvalidCsr,
    /// 422: the CSR's subject differs from the approved application;
    /// `errors` names the field (`full_name`, `snils`, `inn`).
    CsrSubjectMismatch,
    /// 401: the certificate-login challenge is unknown, used or expired;
    /// ask for a new one.
    ChallengeExpired,
    /// 401: the signature of the challenge did not validate (`detail` says
    /// the indication and why).
    CertificateNotAccepted,
    /// 401: the certificate is valid but no account is bound to it.
    CertificateNotLinked,
    /// 422: a signature of a document did not validate `TOTAL_PASSED`
    /// (`report` is the validation report); nothing was stored.
    SignatureRefused,
    /// 422: the signature is valid but its signer is not the party expected
    /// to sign (`report` names him); nothing was stored.
    SignerNotParty,
    /// 422: the file is not PDF/A (no PDF/A identification in its XMP
    /// metadata), or not a PDF at all.
    NotPdfA,
    /// 500: an unexpected error; quote `request_id` to support.
    Internal,
    /// 503: a dependency (database, session store) does not answer.
    ServiceUnavailable,
}

impl ErrorCode {
    /// The snake_case wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::SessionRevoked => "session_revoked",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::InvalidRefreshToken => "invalid_refresh_token",
            ErrorCode::RefreshTokenReused => "refresh_token_reused",
            ErrorCode::RefreshTokenSuperseded => "refresh_token_superseded",
            ErrorCode::InvalidOtp => "invalid_otp",
            ErrorCode::OtpExpired => "otp_expired",
            ErrorCode::OtpAttemptsExceeded => "otp_attempts_exceeded",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::EmailNotConfirmed => "email_not_confirmed",
            ErrorCode::PhoneNotConfirmed => "phone_not_confirmed",
            ErrorCode::AccountBlocked => "account_blocked",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::RoleNotHeld => "role_not_held",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::PhoneTaken => "phone_taken",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PreconditionFailed => "precondition_failed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::RangeNotSatisfiable => "range_not_satisfiable",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::OtpResendTooEarly => "otp_resend_too_early",
            ErrorCode::IllegalTransition => "illegal_transition",
            ErrorCode::EngineerProfileIncomplete => "engineer_profile_incomplete",
            ErrorCode::EngineerBlocked => "engineer_blocked",
            ErrorCode::RegionNotCovered => "region_not_covered",
            ErrorCode::SoleActiveEngineer => "sole_active_engineer",
            ErrorCode::OffersDisabled => "offers_disabled",
            ErrorCode::NotAnEngineer => "not_an_engineer",
            ErrorCode::AlreadyResponded => "already_responded",
            ErrorCode::AlreadyEmployed => "already_employed",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::IdempotencyInProgress => "idempotency_in_progress",
            ErrorCode::RequisitesInherited => "requisites_inherited",
            ErrorCode::EngineerNeverLoggedIn => "engineer_never_logged_in",
            ErrorCode::FeedUnavailable => "feed_unavailable",
            ErrorCode::InvalidCsr => "invalid_csr",
            ErrorCode::CsrSubjectMismatch => "csr_subject_mismatch",
            ErrorCode::ChallengeExpired => "challenge_expired",
            ErrorCode::CertificateNotAccepted => "certificate_not_accepted",
            ErrorCode::CertificateNotLinked => "certificate_not_linked",
            ErrorCode::SignatureRefused => "signature_refused",
            ErrorCode::SignerNotParty => "signer_not_party",
            ErrorCode::NotPdfA => "not_pdf_a",
            ErrorCode::Internal => "internal",
            ErrorCode::ServiceUnavailable => "service_unavailable",
        }
    }

    /// The HTTP status that always accompanies this code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::MalformedJson | ErrorCode::InvalidToken => 400,
            ErrorCode::Unauthenticated
            | ErrorCode::SessionRevoked
            | ErrorCode::InvalidCredentials
            | ErrorCode::InvalidRefreshToken
            | ErrorCode::RefreshTokenReused
            | ErrorCode::InvalidOtp
            | ErrorCode::OtpExpired
            | ErrorCode::OtpAttemptsExceeded
            | ErrorCode::ChallengeExpired
            | ErrorCode::CertificateNotAccepted
            | ErrorCode::CertificateNotLinked => 401,
            ErrorCode::EmailNotConfirmed
            | ErrorCode::AccountBlocked
            | ErrorCode::Forbidden
            | ErrorCode::RoleNotHeld
            | ErrorCode::EngineerProfileIncomplete
            | ErrorCode::EngineerBlocked
            | ErrorCode::RegionNotCovered
            | ErrorCode::SoleActiveEngineer
            | ErrorCode::OffersDisabled
            | ErrorCode::NotAnEngineer => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::EmailTaken
            | ErrorCode::PhoneTaken
            | ErrorCode::Conflict
            | ErrorCode::RefreshTokenSuperseded
            | ErrorCode::IllegalTransition
            | ErrorCode::AlreadyResponded
            | ErrorCode::AlreadyEmployed
            | ErrorCode::IdempotencyInProgress
            | ErrorCode::RequisitesInherited
            | ErrorCode::PhoneNotConfirmed
            | ErrorCode::EngineerNeverLoggedIn => 409,
            ErrorCode::PreconditionFailed => 412,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RangeNotSatisfiable => 416,
            ErrorCode::InvalidBody
            | ErrorCode::ValidationFailed
            | ErrorCode::IdempotencyKeyReused
            | ErrorCode::InvalidCsr
            | ErrorCode::CsrSubjectMismatch
            | ErrorCode::SignatureRefused
            | ErrorCode::SignerNotParty
            | ErrorCode::NotPdfA => 422,
            ErrorCode::RateLimited | ErrorCode::OtpResendTooEarly => 429,
            ErrorCode::Internal => 500,
            ErrorCode::FeedUnavailable => 502,
            ErrorCode::ServiceUnavailable => 503,
        }
    }

    /// A short, human title (English; the frontend translates by `code`).
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "Bad request",
            ErrorCode::MalformedJson => "Malformed JSON body",
            ErrorCode::InvalidBody => "Invalid request body",
            ErrorCode::ValidationFailed => "Validation failed",
            ErrorCode::Unauthenticated => "Authentication required",
            ErrorCode::SessionRevoked => "Session has ended",
            ErrorCode::InvalidCredentials => "Invalid credentials",
            ErrorCode::InvalidRefreshToken => "Invalid refresh token",
            ErrorCode::RefreshTokenReused => "Refresh token reused",
            ErrorCode::RefreshTokenSuperseded => "Refresh token superseded",
            ErrorCode::InvalidOtp => "Wrong SMS code",
            ErrorCode::OtpExpired => "SMS code expired",
            ErrorCode::OtpAttemptsExceeded => "Too many wrong SMS codes",
            ErrorCode::InvalidToken => "Invalid or expired link",
            ErrorCode::EmailNotConfirmed => "E-mail not confirmed",
            ErrorCode::PhoneNotConfirmed => "Phone not confirmed",
            ErrorCode::AccountBlocked => "Account blocked",
            ErrorCode::Forbidden => "Forbidden",
            ErrorCode::RoleNotHeld => "Role not held",
            ErrorCode::NotFound => "Not found",
            ErrorCode::MethodNotAllowed => "Method not allowed",
            ErrorCode::EmailTaken => "E-mail already registered",
            ErrorCode::PhoneTaken => "Phone already registered",
            ErrorCode::Conflict => "Conflict",
            ErrorCode::PreconditionFailed => "Precondition failed",
            ErrorCode::PayloadTooLarge => "Payload too large",
            ErrorCode::UnsupportedMediaType => "Unsupported media type",
            ErrorCode::RangeNotSatisfiable => "Range not satisfiable",
            ErrorCode::RateLimited => "Too many requests",
            ErrorCode::OtpResendTooEarly => "Too early for a new SMS code",
            ErrorCode::IllegalTransition => "Not allowed in the current status",
            ErrorCode::EngineerProfileIncomplete => "Engineer profile incomplete",
            ErrorCode::EngineerBlocked => "Engineer blocked",
            ErrorCode::RegionNotCovered => "Region not covered",
            ErrorCode::SoleActiveEngineer => "Sole active engineer of the employer",
            ErrorCode::OffersDisabled => "Engineer does not accept offers",
            ErrorCode::NotAnEngineer => "Not a cadastral engineer",
            ErrorCode::AlreadyResponded => "Already responded",
            ErrorCode::AlreadyEmployed => "Already employed",
            ErrorCode::IdempotencyKeyReused => "Idempotency key reused",
            ErrorCode::IdempotencyInProgress => "Request in progress",
            ErrorCode::RequisitesInherited => "Requisites are the employer's",
            ErrorCode::EngineerNeverLoggedIn => "Engineer has never logged in",
            ErrorCode::FeedUnavailable => "Registry feed unavailable",
            ErrorCode::InvalidCsr => "Invalid certificate request",
            ErrorCode::CsrSubjectMismatch => "Certificate request does not match the application",
            ErrorCode::ChallengeExpired => "Login challenge expired",
            ErrorCode::CertificateNotAccepted => "Signature not accepted",
            ErrorCode::CertificateNotLinked => "Certificate not linked to an account",
            ErrorCode::SignatureRefused => "Signature not accepted",
            ErrorCode::SignerNotParty => "Signed by someone else",
            ErrorCode::NotPdfA => "Not a PDF/A file",
            ErrorCode::Internal => "Internal server error",
            ErrorCode::ServiceUnavailable => "Service unavailable",
        }
    }
}

/// One problem with one field of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"code": "snils_checksum", "message": "SNILS check digits do not match"})))]
pub struct FieldIssue {
    /// Stable snake_case code, e.g. `too_short`, `snils_checksum`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// RFC 9457 problem details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "urn:mezha:problem:validation_failed",
    "title": "Validation failed",
    "status": 422,
    "detail": "One or more fields are invalid.",
    "code": "validation_failed",
    "request_id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50",
    "errors": {"snils": [{"code": "snils_checksum", "message": "SNILS check digits do not match"}]}
})))]
pub struct Problem {
    /// URI identifying the problem type: `urn:mezha:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short summary of the problem type.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Request id, also sent as `X-Request-Id`; quote it to support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field problems (validation failures), keyed by field name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<FieldIssue>>>,
    /// `illegal_transition`: the order's status now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_status: Option<String>,
    /// `illegal_transition`: the actions the caller may take now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<String>>,
    /// `signature_refused`, `signer_not_party`: the validation report of the
    /// refused signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Box<crate::signatures::ValidationReport>>,
}

impl Problem {
    /// A problem with the code's status and title.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Problem {
            type_uri: format!("urn:mezha:problem:{}", code.as_str()),
            title: code.title().to_owned(),
            status: code.status(),
            detail: Some(detail.into()),
            code,
            request_id: None,
            errors: None,
            current_status: None,
            allowed_actions: None,
            report: None,
        }
    }

    /// The issues reported for one field, if any.
    pub fn field(&self, name: &str) -> &[FieldIssue] {
        self.errors
            .as_ref()
            .and_then(|e| e.get(name))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_names() {
        for code in [ErrorCode::ValidationFailed, ErrorCode::OtpResendTooEarly] {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().into()));
        }
    }

    #[test]
    fn problem_has_rfc9457_members() {
        let p = Problem::new(ErrorCode::NotFound, "no such order");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], "urn:mezha:problem:not_found");
        assert_eq!(v["status"], 404);
        assert_eq!(v["title"], "Not found");
        assert!(v.get("errors").is_none());
    }
}
