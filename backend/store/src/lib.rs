//! Persistence behind Mezha's domain: the database (SQLite or PostgreSQL,
//! one schema: docs/adr/0004-sqlite-and-postgresql.md), the key-value store
//! (Redis, or an in-process map on the embedded default:
//! docs/adr/0002-time-rules-and-stores.md) and the live-event bus.
//!
//! Repositories take plain values and return plain records: the
//! application layer never sees the sea-orm [`entities`] (only `mezha
//! bench` seeds through them). Where the two databases differ (row locks,
//! `SKIP LOCKED`), the difference is handled here, not by callers.
//!
//! Depends on `mezha-domain` (the values and rules it stores),
//! `mezha-api-types` (wire enums stored by name) and `mezha-migrations`
//! (the schema); never on `mezha-app`, `mezha-http` or any web framework.
//! Holds no business rules: it writes what the application decided.
//!
//! | module | what it stores |
//! |---|---|
//! | [`bus`] | the live-event bus: Redis pub/sub or an in-process channel |
//! | [`certificates`] | certificate applications, issued certificates, expiry reminders sent |
//! | [`chat`] | order chat messages and read marks |
//! | [`db`] | connecting to SQLite or PostgreSQL, `BEGIN IMMEDIATE`, migrations |
//! | [`employment`] | employers and the employment of engineers |
//! | [`engineers`] | engineer profiles, requisites, the public list, an engineer's standing |
//! | [`entities`] | the sea-orm table definitions |
//! | [`error`] | [`StoreError`] |
//! | [`files`] | uploaded files' metadata |
//! | [`idempotency`] | `Idempotency-Key` claims and stored answers |
//! | [`kv`] | the key-value store ([`Kv`]) and the unread [`counters`] on it |
//! | [`limits`] | fixed-window rate-limit counters |
//! | [`powers_of_attorney`] | an organisation's machine-readable powers of attorney (МЧД) |
//! | [`live`] | ids of live events: the per-user cursor (docs/adr/0007-live-event-ids.md) |
//! | [`marketplace`] | responses and offers |
//! | [`notifications`] | the notification outbox, in-app notifications, deliveries, settings |
//! | [`orders`] | orders, their history and attachments; the order search |
//! | [`otp`] | pending SMS login codes |
//! | [`outbox`] | the development outbox of e-mails and SMS |
//! | [`paging`] | keyset pages: where a page starts, whether more rows follow |
//! | [`queue`] | the one leased job queue: claim, finish, fail, stats (docs/adr/0005-outbox-and-job-queue.md) |
//! | [`pki`] | the CRLs the platform CA published |
//! | [`sessions`] | login sessions |
//! | [`sro`] | the platform's copy of the SRO registry |
//! | [`storage`] | the bytes of stored files: a local directory or an S3-compatible bucket |
//! | [`tokens`] | single-use e-mail tokens (hashed) |
//! | [`users`] | accounts and their roles |
//! | [`webhooks`] | registered webhooks and their delivery log |

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod bus;
pub mod certificate_agents;
pub mod certificates;
pub mod chat;
pub mod clients;
pub mod contracts;
pub mod db;
pub mod deal_registry;
pub mod deals;
pub mod employment;
pub mod engineers;
pub mod entities;
pub mod error;
pub mod files;
pub mod idempotency;
pub mod invoices;
pub mod kv;
pub mod limits;
pub mod live;
pub mod marketplace;
pub mod notifications;
pub mod orders;
pub mod organisations;
pub mod otp;
pub mod outbox;
pub mod paging;
pub mod pki;
pub mod powers_of_attorney;
pub mod queue;
pub mod reminders;
pub mod results;
pub mod reviews;
pub mod sequences;
pub mod sessions;
pub mod sro;
pub mod storage;
pub mod tokens;
pub mod users;
pub mod webhooks;

pub use error::StoreError;
pub use kv::Kv;
pub use kv::counters;
pub use sea_orm::DatabaseConnection;
