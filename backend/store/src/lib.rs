//! Persistence behind Mezha's domain.
//!
//! * [`db`]: connecting to SQLite or PostgreSQL and applying migrations;
//! * [`users`], [`tokens`], [`outbox`]: repositories over the sea-orm
//!   [`entities`], returning plain records — handlers never see entities;
//! * [`kv`]: the key-value store (Redis, or an in-process map on the
//!   embedded default) and, on top of it, [`sessions`], [`otp`] and
//!   [`limits`], whose logic is shared so both back-ends behave the same.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod bus;
pub mod certificates;
pub mod chat;
pub mod db;
pub mod employment;
pub mod engineers;
pub mod entities;
pub mod error;
pub mod files;
pub mod idempotency;
pub mod kv;
pub mod limits;
pub mod live;
pub mod marketplace;
pub mod notifications;
pub mod orders;
pub mod otp;
pub mod outbox;
pub mod pki;
pub mod sessions;
pub mod sro;
pub mod tokens;
pub mod users;
pub mod webhooks;

pub use error::StoreError;
pub use kv::Kv;
pub use kv::counters;
pub use sea_orm::DatabaseConnection;
