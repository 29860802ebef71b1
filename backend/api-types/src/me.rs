//! `/me`: the caller's profile and acting role.

use crate::common::Role;
#[cfg(feature = "validate")]
use crate::limits::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The caller's account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": "0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50",
    "email": "anna@example.ru",
    "email_confirmed": true,
    "full_name": "Анна Петровна Иванова",
    "snils": "112-233-445 95",
    "inn": "500100732259",
    "phone": "+79123456789",
    "phone_confirmed": true,
    "second_factor": false,
    "avatar_url": "/api/v1/users/0193f1a2-7c4d-7e3a-9f00-5b1c2d3e4f50/avatar?v=5b7e0c3a9d2f4e61a8c7b9d0e1f2a3b4",
    "roles": ["customer"],
    "acting_role": "customer",
    "version": 3,
    "created_at": "2026-11-22T10:00:00Z",
    "updated_at": "2026-11-22T10:05:00Z"
})))]
pub struct Me {
    /// Account id.
    pub id: Uuid,
    /// E-mail address.
    pub email: String,
    /// Whether the e-mail address is confirmed.
    pub email_confirmed: bool,
    /// Full name.
    pub full_name: Option<String>,
    /// SNILS, formatted `NNN-NNN-NNN NN`.
    pub snils: Option<String>,
    /// INN: 12 digits for a person, 10 for a legal entity.
    pub inn: Option<String>,
    /// Phone number in E.164 (`+79123456789`), saved once confirmed by an
    /// SMS code (`POST /me/phone`); used for SMS login and the second
    /// factor.
    pub phone: Option<String>,
    /// Whether `phone` was confirmed (numbers saved before confirmation
    /// existed were not: confirm them again).
    pub phone_confirmed: bool,
    /// Whether logins ask for an SMS code after the password or
    /// certificate (`PUT /me/second-factor`).
    pub second_factor: bool,
    /// The photo (`PUT /me/avatar`): the path of `GET
    /// /users/{id}/avatar` with the photo's version (`?v=…`; add
    /// `&size=64` or `&size=512` for another size than 256), or `null`
    /// when there is none. A new photo has a new address.
    pub avatar_url: Option<String>,
    /// Roles the account holds.
    pub roles: Vec<Role>,
    /// Acting role of the caller's session.
    pub acting_role: Role,
    /// Version of the profile; also sent as `ETag` for `If-Match`.
    pub version: i64,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// When the profile last changed.
    pub updated_at: DateTime<Utc>,
}

/// `PATCH /me`: absent fields stay, `null` clears a field, a value sets it.
/// Changing `email` makes it unconfirmed and sends a new confirmation link.
/// The photo is uploaded, not typed: `PUT /me/avatar`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"full_name": "Анна Петровна Иванова", "snils": "112-233-445 95"})))]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    /// Full name.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = FULL_NAME_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub full_name: Option<Option<String>>,
    /// SNILS, with or without separators; the check digits are verified.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub snils: Option<Option<String>>,
    /// INN, 10 or 12 digits; the check digits are verified.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = 32)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub inn: Option<Option<String>>,
    /// `null` removes the number (and the second factor with it). A new
    /// number is saved only once confirmed by an SMS code (`POST
    /// /me/phone`); here only the number already saved may be repeated.
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    #[cfg_attr(feature = "validate", validate(length(max = PHONE_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub phone: Option<Option<String>>,
    /// E-mail address (cannot be cleared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "validate", validate(length(max = EMAIL_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
}

/// `POST /me/acting-role`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"role": "engineer"})))]
#[serde(deny_unknown_fields)]
pub struct ActingRoleRequest {
    /// A role the account holds.
    pub role: Role,
}

/// A new access token carrying the new acting role. The refresh token is
/// unchanged; later refreshes keep the new role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6IjJmNGMxYTgwIn0.e30.sig", "token_type": "Bearer", "expires_in": 900, "acting_role": "engineer"})))]
pub struct AccessTokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// The session's acting role from now on.
    pub acting_role: Role,
}

/// `PUT /me/second-factor`: the SMS second factor on or off, with the
/// account's password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"enabled": true, "password": "correct horse battery"})))]
#[serde(deny_unknown_fields)]
pub struct SecondFactorSettings {
    /// Ask for an SMS code after the password or certificate.
    pub enabled: bool,
    /// The account's password.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = crate::limits::PASSWORD_MAX_CHARS)))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub password: String,
}
