//! English texts of the message catalogue, by key (`{name}`: a parameter).

/// `(key, text)`, grouped by area.
pub const TEXTS: &[(&str, &str)] = &[
    // common
    (
        "common.validation_failed",
        "One or more fields are invalid.",
    ),
    ("common.duplicate", "The record already exists."),
    ("common.not_found", "The resource does not exist."),
    (
        "common.stale_version",
        "The resource was changed since you read it; reload it and try again.",
    ),
    (
        "common.internal",
        "An unexpected error occurred. Quote the request id when you contact support.",
    ),
    // accounts
    (
        "accounts.email_taken",
        "This e-mail address belongs to another account.",
    ),
    (
        "accounts.phone_taken",
        "This phone number belongs to another account.",
    ),
    // otp
    ("otp.mismatch", "Wrong code; {left} attempts left."),
];
