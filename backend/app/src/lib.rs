//! Mezha's application layer: the use cases, the background workers and
//! the periodic jobs (docs/adr/0003-application-layer.md).
//!
//! A use case takes its feature's dependency set (see [`context`]: the
//! [`Core`] of records, time and tunables, or a set built on it such as
//! [`Accounts`]; [`App`] wires them all), the [`Actor`] who acts
//! (when someone does) and plain values; it parses values with the domain
//! types, applies the domain rules (`mezha-domain`), reads and writes
//! through `mezha-store`, notifies through the outbox, and returns a record
//! or an [`AppError`] (a stable code with its parameters). It knows nothing
//! of HTTP: `mezha-http` authenticates callers, calls these functions and
//! renders their errors as problem+json.
//!
//! Depends on `mezha-domain`, `mezha-store`, `mezha-signatures` and
//! `mezha-api-types`, and on the libraries of its own duties (argon2, JWT,
//! lettre, printpdf, reqwest for webhooks and the SRO feed, RustCrypto for
//! the CA). Never on actix or `mezha-http`; no SQL (it goes through the
//! store) and no rules of its own (they go through the domain).
//!
//! | module | what it does |
//! |---|---|
//! | [`accounts`] | registration, e-mail confirmation, password reset, profile, staff accounts |
//! | [`avatars`] | profile photos: decoded, turned upright, cut square and re-encoded in fixed sizes; who may see one |
//! | [`actor`] | who acts: account, session, acting role; the client's address |
//! | [`cert_login`] | login by a signed nonce (docs/accounts.md) |
//! | [`certificates`] | certificate applications, issuing, certificates, revocation, CRLs, reminders, the form PDF |
//! | [`chat`] | the order chat (docs/chat.md) |
//! | [`clients`] | the client base of organisations: persons, data checks on read, scans, search, reads in the audit log (docs/clients.md) |
//! | [`contracts`] | contract versions: the template PDF, uploaded PDF/A, both parties' signatures (docs/contracts.md) |
//! | [`clock`] | the application clock ([`clock::ManualClock`] in tests) |
//! | [`context`] | [`App`] and the dependency set of each feature, [`Settings`], [`RateLimits`] |
//! | [`dev`] | the development outbox of mails and SMS |
//! | [`employment`] | employers and their engineers (docs/employers.md) |
//! | [`engineers`] | engineer profiles, requisites, the public engineer list |
//! | [`error`] | [`AppError`]: a code, its explanation and parameters |
//! | [`events`] | live events: the hub, publishing, tickets, the SSE stream |
//! | [`files`] | streamed uploads and who may download a file |
//! | [`health`] | readiness of the database, the key-value store and the file storage; the job queues' metrics |
//! | [`storage_migration`] | `mezha storage migrate`: every stored file copied to another storage, verified, resumable |
//! | [`idempotency`] | `Idempotency-Key` claims and their purge |
//! | [`invoices`] | invoices, receipts and the confirmation that moves the order on (docs/payments.md) |
//! | [`jobs`] | the worker runner of every job queue: claim, attempt, retry with backoff, metrics (docs/adr/0005-outbox-and-job-queue.md) |
//! | [`messaging`] | e-mail (SMTP) and SMS providers, the development outbox |
//! | [`moderation`] | the moderators' user list, blocking with a reason, unblocking |
//! | [`notifications`] | settings, the in-app list, counters; the delivery worker |
//! | [`orders`] | orders, search, responses and offers, one file per verb (docs/orders.md) |
//! | [`organisations`] | organisations: registration, the offer signature, members, rights, invitations, settings, the audit log (docs/organisations.md) |
//! | [`paging`] | the page size asked for and the one cursor codec of every list |
//! | [`passwords`] | argon2id hashing on the blocking pool |
//! | [`pdf`] | writing A4 documents in Russian; the PDF/A check of uploaded files |
//! | [`pki`] | the platform CA: keys, certificates, CRLs (docs/adr/0006-in-house-certification-authority.md) |
//! | [`reference`] | regions and work types |
//! | [`sessions`] | password and SMS-code logins, refresh rotation, logout, acting role |
//! | [`results`] | delivering results, accepting or rejecting them (docs/results.md) |
//! | [`reviews`] | the customers' reviews of engineers |
//! | [`second_factor`] | the optional SMS second factor after the password or certificate |
//! | [`sms_codes`] | one-time SMS codes: sending, resend pause, checking (docs/accounts.md, "SMS codes") |
//! | [`sro`] | the SRO registry import and its periodic job |
//! | [`tokens`] | the Ed25519 keys and the access-token JWTs |
//! | [`webhooks`] | registering webhooks, the delivery log, the sender |

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod accounts;
pub mod actor;
pub mod avatars;
pub mod cert_login;
pub mod certificates;
pub mod chat;
pub mod clients;
pub mod clock;
pub mod context;
pub mod contracts;
pub mod deals;
pub use contracts::acts;
pub mod dev;
pub mod employment;
pub mod engineers;
pub mod error;
pub mod events;
pub mod files;
pub mod health;
pub mod idempotency;
pub mod invoices;
pub mod jobs;
pub mod messaging;
pub mod moderation;
pub mod notifications;
pub mod orders;
pub mod organisations;
pub mod paging;
pub mod passwords;
pub mod pdf;
pub mod pki;
pub mod reference;
pub mod results;
pub mod reviews;
pub mod second_factor;
pub mod sessions;
pub mod sms_codes;
pub mod sro;
pub mod storage_migration;
pub mod tokens;
pub mod webhooks;

pub use actor::{Actor, ClientInfo};
pub use context::{
    Accounts, App, CertLogin, Certificates, Core, Live, Logins, RateLimits, Settings, Tickets,
};
pub use error::{AppError, AppResult};
