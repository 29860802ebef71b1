//! `/auth/*`: registration, confirmation, login (password and SMS code),
//! token refresh, logout, sessions, password reset.

use crate::common::Role;
#[cfg(feature = "validate")]
use crate::limits::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The cookie the server sets beside the browser's httpOnly refresh cookie
/// (value `1`, path `/`, readable by page scripts, the same lifetime, cleared
/// with it): not a credential, only the sign that a silent refresh is worth
/// asking for (docs/adr/0001-refresh-cookie.md, "The hint cookie").
pub const SESSION_HINT_COOKIE: &str = "mezha_session";

/// `POST /auth/register`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "anna@example.ru", "password": "correct horse battery", "full_name": "Анна Петровна Иванова"})))]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// E-mail address; a confirmation link is sent to it.
    #[cfg_attr(feature = "validate", validate(length(max = EMAIL_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    /// At least 8 characters, not one of the most common passwords.
    #[cfg_attr(feature = "validate", validate(length(max = PASSWORD_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 128, min_length = 8))]
    pub password: String,
    /// Full name (optional at registration).
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(max = FULL_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub full_name: Option<String>,
}

/// Answer to a registration: the account exists, the e-mail is unconfirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"user_id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50", "email": "anna@example.ru", "email_confirmed": false})))]
pub struct RegisterResponse {
    /// Id of the new account.
    pub user_id: Uuid,
    /// The normalised e-mail address.
    pub email: String,
    /// Always `false` here; confirm with the link from the e-mail.
    pub email_confirmed: bool,
}

/// `POST /auth/confirm-email` and `POST /auth/password-reset/confirm` carry
/// the token from the link in the e-mail.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"token": "q3vX9t0tJ2m1mJ6C0cS1bYbY4Zp2hH8o0vVbq1yq4Ww"})))]
#[serde(deny_unknown_fields)]
pub struct ConfirmEmailRequest {
    /// The token from the confirmation link.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TOKEN_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub token: String,
}

/// Answer to an e-mail confirmation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "anna@example.ru"})))]
pub struct ConfirmEmailResponse {
    /// The confirmed address.
    pub email: String,
}

/// `POST /auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "anna@example.ru", "password": "correct horse battery"})))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// E-mail address.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = EMAIL_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 254))]
    pub email: String,
    /// Password.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = PASSWORD_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub password: String,
}

/// OAuth 2.0-style token response of every login and of a refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6IjJmNGMxYTgwIn0.e30.sig",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50.Vb6PGx3n1YkXl2Sx0aV9bq3r8R1o2yJQ",
    "session_id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50",
    "roles": ["customer", "engineer"],
    "acting_role": "customer"
})))]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Opaque, single-use refresh token; each refresh returns a new one.
    /// Absent when the client asked for the cookie transport
    /// (`X-Token-Transport: cookie`): it is then in an httpOnly cookie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The session these tokens belong to.
    pub session_id: Uuid,
    /// Roles the account holds.
    pub roles: Vec<Role>,
    /// Role the session acts as; change it with `POST /me/acting-role`.
    pub acting_role: Role,
}

/// `POST /auth/refresh`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({"refresh_token": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50.Vb6PGx3n1YkXl2Sx0aV9bq3r8R1o2yJQ"})))]
pub struct RefreshRequest {
    /// The latest refresh token of the session. Browsers using the cookie
    /// transport leave it out (or send no body) and send
    /// `X-Token-Transport: cookie`.
    #[serde(default)]
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TOKEN_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub refresh_token: Option<String>,
}

/// `POST /auth/logout`: ends the current session, or the named one of the
/// same account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({"session_id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50"})))]
pub struct LogoutRequest {
    /// Session to end; the caller's own session when absent.
    #[serde(default)]
    pub session_id: Option<Uuid>,
}

/// One active session of the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50", "created_at": "2026-11-22T10:00:00Z", "last_seen_at": "2026-11-22T10:14:00Z", "method": "password", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0", "ip": "203.0.113.7", "acting_role": "customer", "current": true})))]
pub struct SessionInfo {
    /// Session id.
    pub id: Uuid,
    /// When the session began (login).
    pub created_at: DateTime<Utc>,
    /// Last token refresh or role switch.
    pub last_seen_at: DateTime<Utc>,
    /// How the session began: `password` or `sms`.
    pub method: String,
    /// `User-Agent` at login.
    pub user_agent: Option<String>,
    /// Client IP at login.
    pub ip: Option<String>,
    /// Acting role of the session.
    pub acting_role: Role,
    /// `true` for the session of the access token used for this request.
    pub current: bool,
}

crate::page::page_schema! {
    /// `GET /auth/sessions`: newest first.
    SessionList = Page<SessionInfo> {
        items: "Active sessions, newest first.",
        next_cursor: "Cursor of the next page, `null` on the last one.",
        example: {"items": [{"id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50", "created_at": "2026-11-22T10:00:00Z", "last_seen_at": "2026-11-22T10:14:00Z", "method": "sms", "user_agent": null, "ip": "203.0.113.7", "acting_role": "engineer", "current": false}], "next_cursor": null},
    }
}

/// `POST /auth/otp/request`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"phone": "+7 (912) 345-67-89"})))]
#[serde(deny_unknown_fields)]
pub struct OtpRequest {
    /// Phone number of the account, any common notation.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = PHONE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 32))]
    pub phone: String,
}

/// Answer to a code request. The same for every well-formed phone number,
/// so it does not tell whether an account uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"phone": "+79123456789", "expires_in": 300, "resend_after": 120})))]
pub struct OtpRequested {
    /// The normalised phone number (E.164).
    pub phone: String,
    /// Seconds the code stays valid.
    pub expires_in: u64,
    /// Seconds until a new code may be requested.
    pub resend_after: u64,
}

/// `POST /auth/otp/verify`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"phone": "+79123456789", "code": "123456"})))]
#[serde(deny_unknown_fields)]
pub struct OtpVerifyRequest {
    /// Phone number the code was sent to.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = PHONE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 32))]
    pub phone: String,
    /// The 6-digit code from the SMS.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 16)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 16))]
    pub code: String,
}

/// `POST /auth/cert/challenge` answer: the nonce to sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertChallenge {
    /// Random bytes, base64url without padding. Sign exactly these ASCII
    /// characters (the string itself, not its decoding) as a detached CMS.
    pub nonce: String,
    /// When the challenge stops being accepted (5 minutes).
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /auth/cert/verify`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CertVerifyRequest {
    /// The nonce of `POST /auth/cert/challenge`.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 128)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub nonce: String,
    /// The detached CMS signature of the nonce: PEM, or DER in base64.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 1_500_000)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1500000))]
    pub signature: String,
}

/// `POST /auth/password-reset/request`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "anna@example.ru"})))]
pub struct PasswordResetRequest {
    /// E-mail address of the account.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = EMAIL_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 254))]
    pub email: String,
}

/// `POST /auth/password-reset/confirm`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({"token": "q3vX9t0tJ2m1mJ6C0cS1bYbY4Zp2hH8o0vVbq1yq4Ww", "new_password": "a brand new secret"})))]
pub struct PasswordResetConfirm {
    /// The token from the reset link.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TOKEN_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub token: String,
    /// The new password; every session of the account ends.
    #[cfg_attr(feature = "validate", validate(length(max = PASSWORD_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 128, min_length = 8))]
    pub new_password: String,
}

/// Answer of requests whose effect is an e-mail or SMS that may or may not
/// be sent (so as not to reveal which accounts exist).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"message": "If an account uses this address, a reset link is on its way."})))]
pub struct Accepted {
    /// Human-readable confirmation.
    pub message: String,
}

/// `202` of a login whose account asks for the SMS second factor: no
/// session yet; send the ticket and the code from the SMS to `POST
/// /auth/second-factor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"ticket": "k3vX9t0tJ2m1mJ6C0cS1bYbY4Zp2hH8o0vVbq1yq4Ww", "phone": "+7912*****89", "expires_in": 300, "resend_after": 120})))]
pub struct SecondFactorRequired {
    /// The login's ticket, valid as long as the code.
    pub ticket: String,
    /// The account's phone, masked.
    pub phone: String,
    /// Seconds the code stays valid.
    pub expires_in: u64,
    /// Seconds until a new code may be requested.
    pub resend_after: u64,
}

/// `POST /auth/second-factor`: the second step of a login.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"ticket": "k3vX9t0tJ2m1mJ6C0cS1bYbY4Zp2hH8o0vVbq1yq4Ww", "code": "123456"})))]
#[serde(deny_unknown_fields)]
pub struct SecondFactorVerifyRequest {
    /// The ticket of the first step's answer.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TOKEN_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub ticket: String,
    /// The code from the SMS.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 16)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 16))]
    pub code: String,
}

/// `POST /auth/second-factor/resend` and `/auth/second-factor/recover`:
/// the login's ticket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"ticket": "k3vX9t0tJ2m1mJ6C0cS1bYbY4Zp2hH8o0vVbq1yq4Ww"})))]
#[serde(deny_unknown_fields)]
pub struct SecondFactorTicket {
    /// The ticket of the first step's answer.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = TOKEN_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub ticket: String,
}
