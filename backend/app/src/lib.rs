//! Mezha's application layer: the use cases, the background workers and
//! the periodic jobs.
//!
//! A use case takes the [`App`] (its dependencies), the [`Actor`] who acts
//! (when someone does) and plain values; it parses values with the domain
//! types, applies the domain rules (`mezha-domain`), reads and writes
//! through `mezha-store`, notifies through the outbox, and returns a record
//! or an [`AppError`] (a stable code with its parameters). It knows nothing
//! of HTTP: `mezha-http` authenticates callers, calls these functions and
//! renders their errors as problem+json.
//!
//! | module | what it does |
//! |---|---|
//! | [`accounts`], [`sessions`], [`passwords`], [`cert_login`], [`tokens`] | registration, confirmation, login (password, SMS code, certificate), sessions and their rotation, access tokens |
//! | [`orders`], [`engineers`], [`employment`], [`sro`] | the marketplace, engineer profiles, employers, the SRO registry |
//! | [`certificates`], [`pki`] | the certification authority: applications, issuing, revocation, CRLs, reminders |
//! | [`notifications`], [`chat`], [`events`], [`webhooks`], [`messaging`] | the outbox and its delivery, order chat, live events, webhooks, e-mail and SMS |
//! | [`idempotency`] | `Idempotency-Key` claims and their purge |
//! | [`context`], [`clock`], [`error`], [`actor`] | the dependencies, time, errors, the caller |

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod accounts;
pub mod actor;
pub mod cert_login;
pub mod certificates;
pub mod chat;
pub mod clock;
pub mod context;
pub mod dev;
pub mod employment;
pub mod engineers;
pub mod error;
pub mod events;
pub mod files;
pub mod health;
pub mod idempotency;
pub mod messaging;
pub mod notifications;
pub mod orders;
pub mod passwords;
pub mod pki;
pub mod reference;
pub mod sessions;
pub mod sro;
pub mod tokens;
pub mod webhooks;

pub use actor::{Actor, ClientInfo};
pub use context::{App, RateLimits, Settings};
pub use error::{AppError, AppResult};
