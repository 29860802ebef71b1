//! Mezha's domain rules: value types that parse, the state machines, and the
//! rules of accounts, orders, employment, certificates, the chat,
//! notifications, webhooks and the SRO registry. The rules themselves are
//! described in `docs/` (accounts.md, orders.md, employers.md,
//! certificates.md, chat.md, notifications.md, webhooks.md, sro-registry.md).
//!
//! Everything here is pure: no HTTP, no SQL, no async runtime, no clock and
//! no global random generator. Callers pass the current time and an RNG in,
//! which keeps every rule testable without a server. A value such as
//! [`Email`] or [`Snils`] can only be obtained through `parse`, so once it
//! exists it is valid ("parse, don't validate").
//!
//! Depends on `mezha-api-types` (the wire enums the rules speak: roles,
//! statuses, actions) and small pure crates; never on `mezha-store`,
//! `mezha-app`, `mezha-http`, sea-orm, Redis, actix or tokio.
//!
//! | module | what it holds |
//! |---|---|
//! | [`authz`] | acting-role rules: which role may act, the default acting role, the roles of a new account |
//! | [`avatar`] | profile photos: accepted uploads, the centred square, the sizes served, who may see one |
//! | [`byte_range`] | which bytes of a file a download answers with (`Range`, `If-Range`; docs/storage.md) |
//! | [`certificates`] | the certificate application state machine and the owner's data (docs/certificates.md) |
//! | [`chat`] | who writes, reads and is told of a chat message; what a text may be (docs/chat.md) |
//! | [`clients`] | the client base: passport value types and the data checks reported beside fields (docs/clients.md) |
//! | [`digest`] | SHA-256 as lowercase hex |
//! | [`email`] | e-mail addresses |
//! | [`employment`] | an engineer's employment: statuses and what moves between them (docs/employers.md) |
//! | [`error`] | [`FieldError`] and [`FieldProblems`], what every `parse` returns |
//! | [`full_name`] | a person's full name (ФИО) |
//! | [`inn`] | INN with its check digits |
//! | [`ogrn`] | OGRN and OGRNIP with their check digits, matched to an INN |
//! | [`moderation`] | what a moderator may do with an account: block, unblock (docs/accounts.md) |
//! | [`notifications`] | the notification catalogue: events, payloads, texts, default channels (docs/notifications.md) |
//! | [`invoices`] | the life of an invoice, which invoice an order gets, what confirming it does (docs/payments.md) |
//! | [`money`] | amounts in kopecks, in figures ("12 345,67 ₽") and in Russian words for contracts |
//! | [`contracts`] | contract terms and the life of a contract version (docs/contracts.md) |
//! | [`orders`] | cadastral numbers, an order's fields, the order state machine, what a delivery of results needs, who may respond or receive offers (docs/orders.md) |
//! | [`organisations`] | an organisation's requisites, the offer its head signs, who may do what in it, memberships and invitations (docs/organisations.md) |
//! | [`otp`] | one-time SMS codes: issuing, resend spacing, checking (docs/accounts.md) |
//! | [`password`] | the new-password policy (docs/accounts.md) |
//! | [`phone`] | phone numbers, normalised to E.164 |
//! | [`rate_limit`] | fixed-window rate limits |
//! | [`requisites`] | bank details for contracts: BIK, accounts and their control keys, KPP |
//! | [`session`] | refresh-token rotation with reuse detection |
//! | [`snils`] | SNILS with its check digits |
//! | [`sro`] | the SRO registry file formats and rules (docs/sro-registry.md) |
//! | [`webhooks`] | which URLs may receive webhooks (SSRF), their signature, retry schedule (docs/webhooks.md) |

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod authz;
pub mod avatar;
pub mod byte_range;
pub mod certificates;
pub mod chat;
pub mod clients;
pub mod content;
pub mod contracts;
pub mod deals;
pub mod digest;
pub mod email;
pub mod employment;
pub mod error;
pub mod full_name;
pub mod inn;
pub mod invoices;
pub mod moderation;
pub mod money;
pub mod notifications;
pub mod ogrn;
pub mod orders;
pub mod organisations;
pub mod otp;
pub mod password;
pub mod phone;
pub mod poa;
pub mod rate_limit;
pub mod requisites;
pub mod session;
pub mod snils;
pub mod sro;
pub mod uin;
pub mod webhooks;

pub use email::Email;
pub use error::{FieldError, FieldProblems};
pub use full_name::FullName;
pub use inn::{Inn, InnKind};
pub use mezha_api_types::Role;
pub use ogrn::{Ogrn, OgrnKind};
pub use password::NewPassword;
pub use phone::Phone;
pub use snils::Snils;
