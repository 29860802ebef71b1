//! Size limits shared by the server's validation and the frontend's forms.

/// Shortest acceptable password, in characters (docs/accounts.md).
pub const PASSWORD_MIN_CHARS: u64 = 8;
/// Longest acceptable password, in characters (bounds the hashing work).
pub const PASSWORD_MAX_CHARS: u64 = 128;
/// Longest e-mail address (RFC 5321 path limit).
pub const EMAIL_MAX_CHARS: u64 = 254;
/// Longest full name.
pub const FULL_NAME_MAX_CHARS: u64 = 200;
/// Longest reason a moderator gives for blocking an account.
pub const BLOCK_REASON_MAX_CHARS: u64 = 500;
/// Longest phone number as typed (with spaces, brackets and dashes).
pub const PHONE_MAX_CHARS: u64 = 32;
/// Longest opaque token (confirmation, reset, refresh) accepted in a body.
pub const TOKEN_MAX_CHARS: u64 = 256;
/// Largest photo upload (`PUT /me/avatar`), in bytes.
pub const AVATAR_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// The sides, in pixels, of the square sizes a photo is served in
/// (`GET /users/{id}/avatar?size=`), smallest first.
pub const AVATAR_SIZES: [u32; 3] = [64, 256, 512];
/// Largest JSON request body, in bytes.
pub const JSON_BODY_MAX_BYTES: usize = 64 * 1024;
/// Largest page size of a list.
pub const LIST_LIMIT_MAX: u32 = 100;
/// Longest webhook URL.
pub const WEBHOOK_URL_MAX_CHARS: u64 = 2000;
/// Most webhooks one account may have.
pub const WEBHOOKS_PER_USER_MAX: u64 = 10;
