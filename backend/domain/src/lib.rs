//! Mezha's domain rules (SPEC §1): value types that parse, one-time codes,
//! rate limits, refresh-session rotation and the acting-role checks.
//!
//! Everything here is pure: no HTTP, no SQL, no async runtime, no clock and
//! no global random generator. Callers pass the current time and an RNG in,
//! which keeps every rule testable without a server. A value such as
//! [`Email`] or [`Snils`] can only be obtained through `parse`, so once it
//! exists it is valid ("parse, don't validate").

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod authz;
pub mod avatar;
pub mod certificates;
pub mod chat;
pub mod digest;
pub mod email;
pub mod employment;
pub mod error;
pub mod full_name;
pub mod inn;
pub mod notifications;
pub mod orders;
pub mod otp;
pub mod password;
pub mod phone;
pub mod rate_limit;
pub mod requisites;
pub mod session;
pub mod snils;
pub mod sro;
pub mod webhooks;

pub use avatar::AvatarUrl;
pub use email::Email;
pub use error::{FieldError, FieldProblems};
pub use full_name::FullName;
pub use inn::{Inn, InnKind};
pub use mezha_api_types::Role;
pub use password::NewPassword;
pub use phone::Phone;
pub use snils::Snils;
